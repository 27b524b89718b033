"""A teacher brings equipment back: scan each item (or tap a counted loan), mark its condition
(good by default, one tap for damaged or missing), confirm, and the slip prints."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from db.vocabulary import CONDITIONS
from kiosk.i18n import t
from kiosk.presenters.equipment_borrow import ACTIVE, FINISHED, SlipPresenter
from kiosk.printing import EquipmentReturnSlip
from kiosk.services import identify as ident
from kiosk.services.results import LoanInfo, Outcome, refuse

log = logging.getLogger(__name__)


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


class EquipmentReturnPresenter(SlipPresenter):
    """A teacher brings equipment back: scan each item, mark its condition, confirm."""

    screen = "equipment_return"

    @classmethod
    def open(cls, flow, card: ident.Identified) -> "EquipmentReturnPresenter":
        """The teacher's open equipment loans, ready to be scanned back."""
        return cls(flow, card.record)

    def __init__(self, flow, teacher):
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
            self.flow.leave_and_rescan(code)
            return
        if code.strip() == self.teacher.code:
            self.flow.home()
            return
        picked = {e.loan.loan_id for e in self.entries}
        found = self.flow.equipment.open_equipment_loan(code, self.teacher, skip=picked)
        if isinstance(found, Outcome):
            return self._refuse(found)
        if self.entry(found.loan_id):
            self.flow.play("success")
            return
        self.entries.append(ReturnEntry(found))
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
            entry.condition = CONDITIONS[(CONDITIONS.index(entry.condition) + 1)
                                         % len(CONDITIONS)]
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
        if self.writing:
            return
        entries = [(e.loan.loan_id, e.condition, e.quantity_back) for e in self.entries]
        self.write(lambda: self.flow.equipment.return_lines(entries, returned_by=self.teacher),
                   self._returned)

    def _returned(self, outcome: Outcome) -> None:
        self.message = outcome
        self.feedback(outcome)
        if outcome.ok:
            self.phase = FINISHED
            self.print(EquipmentReturnSlip(outcome.params["ref"]))
            self.reload()
        self.changed()

    def done(self) -> None:
        """Home."""
        self.flow.home()
