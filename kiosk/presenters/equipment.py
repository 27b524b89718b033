"""A teacher's equipment: borrowing for a lesson (class, period, subject, lesson title, then
items scanned or stock counted, then confirm and the slip), and returning with each item's
condition (good by default, one tap for damaged or parts missing)."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from db.ids import short_ref
from db.models import EquipmentType, Loan, Patron, Period
from kiosk.i18n import t
from kiosk.presenters.base import Presenter, ResultLine
from kiosk.presenters.telex import TelexComposer
from kiosk.services import identify as ident
from kiosk.services.equipment import EquipmentBasket, Lesson
from kiosk.services.results import LoanInfo, Outcome, refuse

log = logging.getLogger(__name__)

STEPS = ("class", "period", "subject", "title", "items")
CONDITIONS = ("good", "damaged", "missing_parts")
ACTIVE, FINISHED = "active", "finished"
LINGER_AFTER_PRINT_S = 6.0
SESSIONS = ("morning", "afternoon", "evening")


@dataclass
class StockRow:
    """A kind of counted stock the teacher may pick with the quantity stepper."""

    code: str
    name: str
    unit: str
    on_hand: int
    quantity: int


class _SlipPresenter(Presenter):
    """A teacher's screen that ends with a printed slip: it lingers briefly once printed."""

    def idle_timeout_s(self) -> float:
        """Short once the slip printed."""
        if self.phase == FINISHED and self.receipt and self.receipt.state == "printed":
            return LINGER_AFTER_PRINT_S
        return super().idle_timeout_s()


class EquipmentBorrowPresenter(_SlipPresenter):
    """Borrow equipment for one lesson."""

    screen = "equipment_borrow"

    @classmethod
    def start(cls, flow, teacher: Patron) -> "EquipmentBorrowPresenter | Outcome":
        """The presenter, or a refusal when this patron may not borrow equipment."""
        basket = flow.equipment.start(teacher)
        if isinstance(basket, Outcome):
            return basket
        return cls(flow, teacher, basket)

    def __init__(self, flow, teacher: Patron, basket: EquipmentBasket):
        super().__init__(flow)
        self.teacher = teacher
        self.basket = basket
        self.phase = ACTIVE
        self.step = "class"
        self.class_name: str | None = None
        self.period: int | None = None
        self.session = "morning"
        subjects = teacher.subject_list
        self.subject: str | None = subjects[0] if subjects else None
        self.title = TelexComposer(modern=flow.config.ui.telex_modern)
        self.lines: list[ResultLine] = []
        self.classes = flow.reports.class_list()
        self.recent_titles = flow.reports.recent_lesson_titles(teacher)

    # -- what the screen shows ----------------------------------------------------------------
    @property
    def greeting(self) -> str:
        """The teacher's name."""
        return t("ui.teacher.greeting", name=self.teacher.name)

    @property
    def step_title(self) -> str:
        """The question of the current step."""
        return t(f"ui.equipment.step_{self.step}")

    def periods(self) -> list[tuple[str, int, str]]:
        """The period buttons as (session, number, label): the school's periods, morning first
        (labelled with their session when the school teaches in both), else 1..ui.periods."""
        rows = sorted({(p.session, p.number) for p in Period.select(Period.session, Period.number)},
                      key=lambda row: (SESSIONS.index(row[0]) if row[0] in SESSIONS else 9, row[1]))
        if not rows:
            rows = [("morning", n) for n in range(1, self.flow.config.ui.periods + 1)]
        both = len({session for session, _ in rows}) > 1
        return [(session, number, self._period_label(session, number, both))
                for session, number in rows]

    @staticmethod
    def _period_label(session: str, number: int, with_session: bool) -> str:
        if not with_session:
            return t("ui.equipment.period_n", n=number)
        return t("ui.equipment.period_session", n=number,
                 session=t(f"ui.equipment.session_{session}"))

    @property
    def period_label(self) -> str:
        """The chosen period as its button shows it ('' before one is chosen)."""
        if not self.period:
            return ""
        return next((label for session, number, label in self.periods()
                     if (session, number) == (self.session, self.period)),
                    t("ui.equipment.period_n", n=self.period))

    def subjects(self) -> list[str]:
        """The teacher's subjects first, then every subject equipment is filed under."""
        own = self.teacher.subject_list
        others = sorted({k.subject for k in EquipmentType.select(EquipmentType.subject)
                         if k.subject and k.subject not in own})
        return own + others

    def lesson_summary(self) -> str:
        """'6A1 · tiết 2 · KHTN · Bài 5' for the header."""
        parts = [self.class_name or "", self.period_label, self.subject or "", self.title.text]
        return " · ".join(p for p in parts if p)

    def stock_rows(self) -> list[StockRow]:
        """Counted stock, the lesson's subject first, with the quantity in the basket."""
        rows = []
        for kind in self.flow.reports.stock_types(self.subject):
            line = self.basket.line_for(kind.code)
            rows.append(StockRow(kind.code, kind.name, kind.unit, kind.stock_on_hand,
                                 line.quantity if line else 0))
        return rows

    def basket_rows(self) -> list[tuple[str, str, int, str]]:
        """(code, name, quantity, unit) of each basket line."""
        return [(line.code, line.name, line.quantity, line.unit) for line in self.basket.lines]

    @property
    def can_confirm(self) -> bool:
        """A lesson and at least one line."""
        return bool(self.basket.lines and self.class_name and self.period and self.subject)

    # -- the lesson ---------------------------------------------------------------------------
    def choose_class(self, class_name: str) -> None:
        """The class button."""
        self.class_name = class_name
        self.step = "period"
        self.changed()

    def choose_period(self, period: int, session: str = "morning") -> None:
        """The period button."""
        self.period = int(period)
        self.session = session
        self.step = "subject"
        self.changed()

    def choose_subject(self, subject: str) -> None:
        """The subject button (the teacher's own is preselected)."""
        self.subject = subject
        self.step = "title"
        self.changed()

    def choose_recent_title(self, title: str) -> None:
        """One of the teacher's recent lesson titles."""
        self.title.set(title)
        self.step = "items"
        self.changed()

    def type_key(self, key: str) -> None:
        """A key of the on-screen keyboard (Telex)."""
        if key == "\b":
            self.title.backspace()
        else:
            self.title.key(key)
        self.changed()

    def finish_title(self) -> None:
        """The title is typed (or skipped: it is optional)."""
        self.step = "items"
        self.changed()

    def go_to(self, step: str) -> None:
        """Jump back to a step (tapping the lesson summary)."""
        if step not in STEPS:
            raise ValueError(step)
        self.step = step
        self.changed()

    def back(self) -> None:
        """The previous step; from the first step, home."""
        index = STEPS.index(self.step)
        if index == 0:
            self.flow.home()
            return
        self.step = STEPS[index - 1]
        self.changed()

    # -- the items ----------------------------------------------------------------------------
    def on_scan(self, code: str) -> None:
        """A labelled item (or a stock code) goes into the basket; the card again cancels."""
        if self.phase == FINISHED:
            self.flow.home()
            self.flow.home_presenter.on_scan(code)
            return
        if code.strip() == self.teacher.code:
            self.cancel()
            return
        outcome = self.flow.equipment.add_scan(self.basket, code)
        self._show(outcome)

    def step_quantity(self, type_code: str, delta: int) -> None:
        """The − / + buttons of a stock row."""
        line = self.basket.line_for(type_code)
        current = line.quantity if line else 0
        self._show(self.flow.equipment.set_quantity(self.basket, type_code,
                                                    max(0, current + delta)))

    def remove(self, code: str) -> None:
        """Take a line out of the basket."""
        self.flow.equipment.remove(self.basket, code)
        self.changed()

    def _show(self, outcome: Outcome) -> None:
        self.message = outcome
        if outcome.code not in ("already_in_session",):
            self.lines.append(ResultLine(outcome))
        self.feedback(outcome)
        self.changed()

    def confirm(self) -> None:
        """Lend the basket for the lesson; the slip prints."""
        if self.phase == FINISHED:
            return
        if not (self.class_name and self.period and self.subject):
            self._show(refuse("lesson_required"))
            self.step = next(s for s, v in (("class", self.class_name), ("period", self.period),
                                            ("subject", self.subject)) if not v)
            self.changed()
            return
        self.basket.lesson = Lesson(date=self.flow.context.clock.today(), period=self.period,
                                    session=self.session,
                                    class_name=self.class_name, subject=self.subject,
                                    title=self.title.text.strip())
        outcome = self.flow.equipment.confirm(self.basket)
        self._show(outcome)
        if outcome.ok:
            self.phase = FINISHED
            loans: list[LoanInfo] = outcome.params.get("loans", [])
            self.print_receipt("equipment_out", self.basket.txn_ref, loans, self.teacher,
                               {"lesson": self.basket.lesson})
            self.changed()

    def cancel(self) -> None:
        """Drop the basket (nothing was recorded) and go home."""
        self.flow.home()


@dataclass
class ReturnEntry:
    """One open loan being returned, with its condition and (for stock) the quantity back."""

    loan: LoanInfo
    condition: str = "good"
    quantity_back: int | None = None

    @property
    def condition_label(self) -> str:
        """The condition in words."""
        return t(f"ui.condition.{self.condition}")


class EquipmentReturnPresenter(_SlipPresenter):
    """A teacher brings equipment back: scan each item, mark its condition, confirm."""

    screen = "equipment_return"

    def __init__(self, flow, teacher: Patron):
        super().__init__(flow)
        self.teacher = teacher
        self.phase = ACTIVE
        self.entries: list[ReturnEntry] = []
        self.open_loans: list[LoanInfo] = []
        self.reload()

    def reload(self) -> None:
        """The teacher's open equipment loans."""
        self.open_loans = [loan for loan in self.flow.circulation.current_loans(self.teacher)
                           if loan.kind == "equipment"]

    @property
    def greeting(self) -> str:
        """The teacher's name."""
        return t("ui.teacher.greeting", name=self.teacher.name)

    def waiting(self) -> list[LoanInfo]:
        """Open loans not yet picked for this return."""
        picked = {e.loan.loan_id for e in self.entries}
        return [loan for loan in self.open_loans if loan.loan_id not in picked]

    def entry(self, loan_id: int) -> ReturnEntry | None:
        """The entry of a loan being returned."""
        return next((e for e in self.entries if e.loan.loan_id == loan_id), None)

    # -- commands -----------------------------------------------------------------------------
    def on_scan(self, code: str) -> None:
        """Pick the scanned item's open loan (anyone's: anyone may return)."""
        if self.phase == FINISHED:
            self.flow.home()
            self.flow.home_presenter.on_scan(code)
            return
        if code.strip() == self.teacher.code:
            self.flow.home()
            return
        found = self.flow.circulation.identify(code)
        loan = None
        if found.kind == ident.ITEM:
            loan = (Loan.select().where(Loan.item == found.record.id, Loan.returned_at.is_null(),
                                        Loan.voided_at.is_null()).first())
        elif found.kind == ident.STOCK:
            picked = {e.loan.loan_id for e in self.entries}
            loan = next((Loan.get_by_id(info.loan_id) for info in self.open_loans
                         if info.code == found.code and info.loan_id not in picked), None)
        elif found.kind == ident.INVALID:
            return self._refuse(refuse("invalid_code"))
        else:
            return self._refuse(refuse("not_equipment", code=found.code))
        if loan is None:
            return self._refuse(refuse("not_on_loan", code=found.code))
        if self.entry(loan.id):
            self.flow.play("success")
            return
        info = self.flow.circulation.loan_info(loan)
        self.entries.append(ReturnEntry(info))
        self.message = None
        self.flow.play("success")
        self.changed()

    def _refuse(self, outcome: Outcome) -> None:
        self.message = outcome
        self.feedback(outcome)
        self.changed()

    def pick(self, loan_id: int) -> None:
        """Tap an open loan (unlabelled stock has nothing to scan)."""
        info = next((loan for loan in self.open_loans if loan.loan_id == loan_id), None)
        if info and not self.entry(loan_id):
            self.entries.append(ReturnEntry(info))
            self.changed()

    def set_condition(self, loan_id: int, condition: str) -> None:
        """Good, damaged or parts missing."""
        if condition not in CONDITIONS:
            raise ValueError(condition)
        entry = self.entry(loan_id)
        if entry:
            entry.condition = condition
            self.changed()

    def cycle_condition(self, loan_id: int) -> None:
        """One tap: good -> damaged -> parts missing -> good."""
        entry = self.entry(loan_id)
        if entry:
            entry.condition = CONDITIONS[(CONDITIONS.index(entry.condition) + 1) % 3]
            self.changed()

    def step_quantity(self, loan_id: int, delta: int) -> None:
        """How many of a counted loan came back."""
        entry = self.entry(loan_id)
        if entry and entry.loan.quantity > 1:
            current = entry.loan.quantity if entry.quantity_back is None else entry.quantity_back
            entry.quantity_back = max(0, min(entry.loan.quantity, current + delta))
            self.changed()

    def remove(self, loan_id: int) -> None:
        """Unpick a loan."""
        self.entries = [e for e in self.entries if e.loan.loan_id != loan_id]
        self.changed()

    def confirm(self) -> None:
        """Record every picked return at once; the slip prints."""
        if self.phase == FINISHED:
            return
        if not self.entries:
            return self._refuse(refuse("basket_empty"))
        outcome = self.flow.equipment.return_lines(
            [(e.loan.loan_id, e.condition, e.quantity_back) for e in self.entries],
            returned_by=self.teacher)
        self.message = outcome
        self.feedback(outcome)
        if outcome.ok:
            self.phase = FINISHED
            loans = outcome.params.get("loans", [])
            self.print_receipt("equipment_back", short_ref("TT"), loans, self.teacher, {})
            self.reload()
        self.changed()

    def done(self) -> None:
        """Home."""
        self.flow.home()

