"""A teacher's card opens a menu: borrow equipment (for a lesson today or booked ahead, or long
term), return equipment, borrow books; their bookings and long-term loans are listed there.

A booking whose lesson is about to start is collected by the card alone: the menu opens,
writes the checkout at once, and prints its slip."""
from __future__ import annotations

from dataclasses import dataclass

from kiosk.clock import format_date
from kiosk.i18n import t
from kiosk.presenters.addressing import teacher_greeting, teacher_question
from kiosk.presenters.base import Presenter
from kiosk.printing import EquipmentSlip
from kiosk.services import identify as ident
from kiosk.services.results import LoanInfo, Outcome

CHOICES = ("borrow_equipment", "long_term", "return_equipment", "borrow_books")


@dataclass(frozen=True)
class BookingLine:
    """One of the teacher's bookings as the menu lists it."""

    booking_id: int
    text: str
    collectable: bool


class TeacherMenuPresenter(Presenter):
    """The choices offered to a teacher, their bookings and long-term loans."""

    screen = "teacher"

    @classmethod
    def open(cls, flow, card: ident.Identified) -> "TeacherMenuPresenter":
        """The menu for a teacher's scanned card; a booking due now is collected at once."""
        presenter = cls(flow, card)
        presenter.collect_due()
        return presenter

    def __init__(self, flow, card: ident.Identified):
        super().__init__(flow)
        self.card = card
        self.teacher = card.record
        self.bookings = []
        self.long_term: list[LoanInfo] = []
        self.refresh()

    def refresh(self) -> None:
        """Read the teacher's bookings and long-term loans again."""
        self.bookings = self.flow.bookings.of_teacher(self.teacher)
        self.long_term = self.flow.equipment.long_term_loans(self.teacher)

    @property
    def greeting(self) -> str:
        """'Xin chào cô Phạm Thu Hà'."""
        return teacher_greeting(self.teacher)

    @property
    def question(self) -> str:
        """'Cô muốn làm gì?' ('Thầy/cô …' when the gender is not known)."""
        return teacher_question(self.teacher)

    def choices(self) -> list[tuple[str, str]]:
        """(choice, label) for each button."""
        return [(choice, t(f"ui.teacher.{choice}")) for choice in CHOICES]

    def choose(self, choice: str) -> None:
        """Open the chosen flow."""
        if choice not in CHOICES:
            raise ValueError(choice)
        if choice == "long_term":
            self.flow.follow("teacher:long_term", card=self.card, long_term=True)
            return
        self.flow.follow(f"teacher:{choice}", card=self.card)

    # -- bookings -----------------------------------------------------------------------------
    def booking_lines(self) -> list[BookingLine]:
        """'27/11 · Tiết 3 Sáng · 6A1 · Kính hiển vi ×1, Ống nghiệm ×5' for each booking."""
        today = self.flow.context.clock.today()
        lines = []
        for booking in self.bookings:
            things: dict[str, int] = {}
            for line in booking.lines:
                things[line.type_name] = things.get(line.type_name, 0) + line.quantity
            what = ", ".join(f"{name} ×{n}" for name, n in things.items())
            when = t("ui.booking.when", date=format_date(booking.lesson_date)[:5],
                     period=booking.period,
                     session=t(f"ui.equipment.session_{booking.session}"))
            lines.append(BookingLine(booking.id, f"{when} · {booking.class_name} · {what}",
                                     booking.lesson_date == today))
        return lines

    def collect_due(self) -> None:
        """Collect the booking whose lesson is about to start (the card alone does it)."""
        due = self.flow.bookings.collectable(self.teacher)
        if due and not self.writing:
            self.collect(due[0].id)

    def collect(self, booking_id: int) -> None:
        """Turn a booking into the lesson's loan; its slip prints."""
        if self.writing:
            return
        self.write(lambda: self.flow.bookings.collect(self.teacher, booking_id), self._collected)

    def _collected(self, outcome: Outcome) -> None:
        self.show(outcome)
        if outcome.ok:
            self.print(EquipmentSlip(outcome.params["ref"]))
        self.refresh()
        self.changed()

    def cancel_booking(self, booking_id: int) -> None:
        """Cancel one of the teacher's bookings."""
        if self.writing:
            return
        self.write(lambda: self.flow.bookings.cancel(self.teacher, booking_id), self._after)

    # -- long-term loans ------------------------------------------------------------------------
    def long_term_text(self) -> str:
        """'Mượn dài hạn: 2 thiết bị, hạn 15/04/2027' ('' when none)."""
        if not self.long_term:
            return ""
        due = min(loan.due_on for loan in self.long_term)
        return t("ui.teacher.long_term_line", count=sum(l.quantity for l in self.long_term),
                 due=format_date(due))

    def renew_long_term(self) -> None:
        """Renew the teacher's long-term loans a term from today."""
        if self.writing or not self.long_term:
            return
        ids = [loan.loan_id for loan in self.long_term]
        self.write(lambda: self.flow.equipment.renew_long_term(self.teacher, ids), self._after)

    def _after(self, outcome: Outcome) -> None:
        self.refresh()
        self.show(outcome)

    # -- scans ----------------------------------------------------------------------------------
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
