"""A teacher brings equipment back: scan each item (or tap a counted loan), mark its condition
(good by default, one tap for damaged or missing), say how many came back and in which
condition ("trả 2/3, còn 1"; 2 tốt, 1 hỏng), add a note on what is broken, confirm, and the slip
prints."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from db.vocabulary import CONDITIONS
from kiosk.i18n import t
from kiosk.presenters.slip import ACTIVE, FINISHED, SlipPresenter
from kiosk.presenters.telex import TelexComposer
from kiosk.printing import EquipmentReturnSlip
from kiosk.services import identify as ident
from kiosk.services.results import LoanInfo, Outcome, refuse
from kiosk.services.takeback import ReturnSplit

log = logging.getLogger(__name__)


@dataclass
class ReturnEntry:
    """One open loan being returned: how many of its pieces still out come back now, and in
    which condition (all good by default), with a note."""

    loan: LoanInfo
    good: int = -1
    damaged: int = 0
    missing: int = 0
    note: str = ""

    def __post_init__(self):
        if self.good < 0:
            self.good = self.outstanding

    @property
    def outstanding(self) -> int:
        """Pieces still out before this return."""
        return self.loan.outstanding or self.loan.quantity

    @property
    def pieces(self) -> int:
        """Pieces this return accounts for."""
        return self.good + self.damaged + self.missing

    @property
    def left(self) -> int:
        """Pieces that stay on loan after it."""
        return self.outstanding - self.pieces

    @property
    def counted(self) -> bool:
        """Counted stock with more than one piece out: the split applies."""
        return self.outstanding > 1

    @property
    def condition(self) -> str:
        """One word: the worst condition among the pieces."""
        return self.split.condition

    @property
    def split(self) -> ReturnSplit:
        """What the service records."""
        return ReturnSplit(self.good, self.damaged, self.missing, self.note)

    @property
    def condition_label(self) -> str:
        """The condition in words."""
        return t(f"ui.condition.{self.condition}")

    @property
    def short_summary(self) -> str:
        """What the line's button says: "Trả 2/3" while some stay out, else the split."""
        if self.left:
            return t("ui.equipment.back_of", back=self.pieces, of=self.outstanding)
        counts = [(c, n) for c, n in (("good", self.good), ("damaged", self.damaged),
                                       ("missing", self.missing)) if n]
        if len(counts) == 1:
            return t(f"ui.condition.{counts[0][0]}")
        return ", ".join(f"{n} {t(f'ui.condition.{c}').lower()}" for c, n in counts)

    @property
    def summary(self) -> str:
        """"Trả 2/3, còn 1 · 2 tốt, 1 hỏng" for a counted line; the condition for one piece."""
        if not self.counted:
            return self.condition_label
        parts = []
        if self.left:
            parts.append(t("ui.equipment.partial", back=self.pieces, of=self.outstanding,
                           left=self.left))
        else:
            parts.append(t("ui.equipment.all_back", n=self.pieces))
        counts = [(c, n) for c, n in (("good", self.good), ("damaged", self.damaged),
                                       ("missing", self.missing)) if n]
        if len(counts) > 1 or (counts and counts[0][0] != "good"):
            parts.append(", ".join(f"{n} {t(f'ui.condition.{c}').lower()}" for c, n in counts))
        return " · ".join(parts)


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
        #: The entry whose pieces and note are being edited (its loan id), if any.
        self.selected: int | None = None
        self.note = TelexComposer(modern=flow.config.ui.telex_modern)
        self.typing_note = False
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
        """Every piece of this return in one condition: good, damaged or parts missing."""
        if condition not in CONDITIONS:
            raise ValueError(condition)
        entry = self.entry(loan_id)
        if entry:
            pieces = entry.pieces
            entry.good = entry.damaged = entry.missing = 0
            setattr(entry, condition, pieces)
            self.changed()

    def cycle_condition(self, loan_id: int) -> None:
        """One tap: good -> damaged -> parts missing -> good (a counted line opens its
        split instead)."""
        entry = self.entry(loan_id)
        if entry is None:
            return
        if entry.counted:
            self.select(loan_id)
            return
        self.set_condition(loan_id, CONDITIONS[(CONDITIONS.index(entry.condition) + 1)
                                               % len(CONDITIONS)])

    def select(self, loan_id: int | None) -> None:
        """Open (or close, with None) an entry's pieces and note."""
        self.selected = loan_id if self.entry(loan_id) else None
        self.typing_note = False
        self.changed()

    def step(self, loan_id: int, condition: str, delta: int) -> None:
        """One more (or fewer) piece back in ``condition``; never more than are out, never
        none at all."""
        entry = self.entry(loan_id)
        if entry is None or condition not in CONDITIONS:
            return
        value = getattr(entry, condition) + delta
        if value < 0 or entry.pieces + delta > entry.outstanding or entry.pieces + delta < 1:
            return
        setattr(entry, condition, value)
        self.changed()

    def step_quantity(self, loan_id: int, delta: int) -> None:
        """How many good pieces of a counted loan came back (the rest stays on loan)."""
        self.step(loan_id, "good", delta)

    # -- the note -----------------------------------------------------------------------------
    def start_note(self, loan_id: int) -> None:
        """Open the keyboard to say what is broken."""
        entry = self.entry(loan_id)
        if entry is None:
            return
        self.selected = loan_id
        self.note.set(entry.note)
        self.typing_note = True
        self.changed()

    def note_key(self, key: str) -> None:
        """A key of the on-screen keyboard, into the note."""
        if key == "\b":
            self.note.backspace()
        else:
            self.note.key(key)
        self.changed()

    def finish_note(self) -> None:
        """Keep the typed note on its entry."""
        entry = self.entry(self.selected) if self.selected is not None else None
        if entry:
            entry.note = self.note.text
        self.typing_note = False
        self.changed()

    def remove(self, loan_id: int) -> None:
        """Unpick a loan."""
        self.entries = [e for e in self.entries if e.loan.loan_id != loan_id]
        if self.selected == loan_id:
            self.selected = None
            self.typing_note = False
        self.changed()

    def confirm(self) -> None:
        """Record every picked return at once; the slip prints."""
        if self.phase == FINISHED:
            return
        if not self.entries:
            return self._refuse(refuse("basket_empty"))
        if self.writing:
            return
        entries = [(e.loan.loan_id, e.split) for e in self.entries]
        self.write(lambda: self.flow.equipment.return_lines(entries, returned_by=self.teacher),
                   self._returned)

    def _returned(self, outcome: Outcome) -> None:
        self.message = outcome
        self.feedback(outcome)
        if outcome.ok:
            self.phase = FINISHED
            self.selected = None
            self.typing_note = False
            if outcome.params.get("still_out"):
                self.message = Outcome(ok=True, code="equipment_returned_partly",
                                       params=outcome.params)
            self.print(EquipmentReturnSlip(outcome.params["ref"]))
            self.reload()
        self.changed()

    def done(self) -> None:
        """Home."""
        self.flow.home()
