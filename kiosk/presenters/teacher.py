"""A teacher's card opens a menu: borrow equipment, return equipment, borrow books."""
from __future__ import annotations

from kiosk.i18n import t
from kiosk.presenters.base import Presenter
from kiosk.services import identify as ident

CHOICES = ("borrow_equipment", "return_equipment", "borrow_books")


class TeacherMenuPresenter(Presenter):
    """The three choices offered to a teacher."""

    screen = "teacher"

    @classmethod
    def open(cls, flow, card: ident.Identified) -> "TeacherMenuPresenter":
        """The menu for a teacher's scanned card."""
        return cls(flow, card)

    def __init__(self, flow, card: ident.Identified):
        super().__init__(flow)
        self.card = card
        self.teacher = card.record

    @property
    def greeting(self) -> str:
        """'Xin chào thầy/cô Phạm Thu Hà'."""
        return t("ui.teacher.greeting", name=self.teacher.name)

    def choices(self) -> list[tuple[str, str]]:
        """(choice, label) for each button."""
        return [(choice, t(f"ui.teacher.{choice}")) for choice in CHOICES]

    def choose(self, choice: str) -> None:
        """Open the chosen flow."""
        if choice not in CHOICES:
            raise ValueError(choice)
        self.flow.follow(f"teacher:{choice}", card=self.card)

    def on_scan(self, code: str) -> None:
        """An item scanned here starts an equipment loan with it; the card again goes home."""
        if code.strip() == self.teacher.code:
            self.flow.home()
            return
        found = self.flow.circulation.identify(code)
        if found.kind in (ident.ITEM, ident.STOCK):
            presenter = self.flow.follow("teacher:borrow_equipment", card=self.card)
            if presenter is not None:
                presenter.on_scan(code)
            return
        self.flow.leave_and_rescan(code)

    def done(self) -> None:
        """Back home."""
        self.flow.home()
