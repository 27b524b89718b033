"""A teacher's card opens a menu: borrow equipment, return equipment, borrow books."""
from __future__ import annotations

from db.models import Patron
from kiosk.i18n import t
from kiosk.presenters.base import Presenter
from kiosk.services.results import Outcome

CHOICES = ("borrow_equipment", "return_equipment", "borrow_books")


class TeacherMenuPresenter(Presenter):
    """The three choices offered to a teacher."""

    screen = "teacher"

    def __init__(self, flow, teacher: Patron):
        super().__init__(flow)
        self.teacher = teacher

    @property
    def greeting(self) -> str:
        """'Xin chào thầy/cô Phạm Thu Hà'."""
        return t("ui.teacher.greeting", name=self.teacher.name)

    def choices(self) -> list[tuple[str, str]]:
        """(choice, label) for each button."""
        return [(choice, t(f"ui.teacher.{choice}")) for choice in CHOICES]

    def choose(self, choice: str) -> None:
        """Open the chosen flow."""
        from kiosk.presenters.equipment import EquipmentBorrowPresenter, EquipmentReturnPresenter
        if choice == "borrow_equipment":
            self._open(EquipmentBorrowPresenter.start(self.flow, self.teacher))
        elif choice == "return_equipment":
            self.flow.go(EquipmentReturnPresenter(self.flow, self.teacher))
        elif choice == "borrow_books":
            self.flow.home_presenter.start_borrow(self.teacher.code)
        else:
            raise ValueError(choice)

    def on_scan(self, code: str) -> None:
        """An item scanned here starts an equipment loan with it; the card again goes home."""
        if code.strip() == self.teacher.code:
            self.flow.home()
            return
        found = self.flow.circulation.identify(code)
        if found.kind in ("item", "stock"):
            from kiosk.presenters.equipment import EquipmentBorrowPresenter
            presenter = self._open(EquipmentBorrowPresenter.start(self.flow, self.teacher))
            if presenter is not None:
                presenter.on_scan(code)
            return
        self.flow.home()
        self.flow.home_presenter.on_scan(code)

    def _open(self, result):
        if isinstance(result, Outcome):
            self.message = result
            self.feedback(result)
            self.changed()
            return None
        return self.flow.go(result)

    def done(self) -> None:
        """Back home."""
        self.flow.home()
