"""Read-only queries the staff and teacher screens need: today's transactions, overdue loans by
class, the class list, a teacher's recent lessons, the day's summary.

Every query is bounded by an indexed column (``loan.out_at``, ``loan.returned_at``, the open-loan
partial index, ``patron(kind, class_name)``); stored times are naive UTC, days are local.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from db.queries import calendar, equipment, lessons, loans, patrons
from db.queries.equipment import EquipmentTypeRow
from db.queries.loans import LoanRow
from db.queries.patrons import PatronRow
from db.text import search_key, sort_key
from db.vocabulary import BOOK, EQUIPMENT, STUDENT
from kiosk.services.base import Service
from printers.receipt import ClassCounts, DaySummary

log = logging.getLogger(__name__)

OUT, BACK = "out", "back"


@dataclass(frozen=True)
class TxnRow:
    """One line of the day's transactions: a loan going out or coming back."""

    loan_id: int
    txn_ref: str
    direction: str  # out | back
    kind: str  # book | equipment
    code: str
    title: str
    quantity: int
    patron_code: str
    patron_name: str
    patron_kind: str
    class_name: str  # the student's class, or the lesson's class for a teacher's equipment
    at: datetime  # aware, local
    voided: bool
    condition: str | None = None
    late_days: int = 0


@dataclass(frozen=True)
class OverdueRow:
    """One overdue loan."""

    loan_id: int
    code: str
    title: str
    patron_code: str
    patron_name: str
    class_name: str
    due_on: date
    days_late: int
    kind: str = BOOK
    quantity: int = 1
    unit: str = ""


def _class_key(name: str) -> tuple:
    """Classes in school order: by grade number, then by name (``6A2`` before ``10A1``)."""
    match = re.match(r"\d+", name or "")
    return (int(match.group()) if match else 999, sort_key(name))


def class_of(loan: LoanRow) -> str:
    """The class a loan is filed under: the student's, or the lesson's for a teacher's equipment."""
    return loan.patron_class or (loan.lesson.class_name if loan.lesson else "")


class Reports(Service):
    """Queries for the review screens; nothing here writes."""

    def transactions(self, day: date | None = None, kind: str | None = None,
                     direction: str | None = None, class_name: str | None = None,
                     teacher_code: str | None = None, include_voided: bool = True
                     ) -> list[TxnRow]:
        """The loans that went out or came back on a local day, newest first, filtered."""
        day = day or self.clock.today()
        start, end = self.clock.local_day_bounds(day)
        rows: list[TxnRow] = []
        for which in (d for d in (OUT, BACK) if direction in (None, d)):
            column = "out_at" if which == OUT else "returned_at"
            for loan in loans.in_period(column, start, end):
                if kind and loan.kind != kind:
                    continue
                if teacher_code and (loan.patron_code != teacher_code
                                     or loan.patron_kind == STUDENT):
                    continue
                if class_name and class_of(loan) != class_name:
                    continue
                if not include_voided and loan.voided_at is not None:
                    continue
                rows.append(self._row(loan, which))
        rows.sort(key=lambda r: (r.at, r.loan_id), reverse=True)
        return rows

    def _row(self, loan: LoanRow, which: str) -> TxnRow:
        moment = loan.out_at if which == OUT else loan.returned_at
        late = 0
        if which == BACK and loan.returned_at:
            late = max(0, (self.clock.to_local(loan.returned_at).date() - loan.due_on).days)
        return TxnRow(
            loan_id=loan.id, txn_ref=loan.txn_ref if which == OUT else (loan.return_ref or ""),
            direction=which, kind=loan.kind, code=loan.code, title=loan.title,
            quantity=loan.quantity, patron_code=loan.patron_code, patron_name=loan.patron_name,
            patron_kind=loan.patron_kind, class_name=class_of(loan),
            at=self.clock.to_local(moment), voided=loan.voided_at is not None,
            condition=loan.return_condition if which == BACK else None, late_days=late)

    def transaction_loans(self, ref: str) -> list[LoanRow]:
        """Every loan an action made or closed (for a reprint), in order."""
        return loans.by_ref(ref)

    def overdue_by_class(self, kind: str | None = BOOK) -> dict[str, list[OverdueRow]]:
        """Open loans past their due date, grouped by class in school order."""
        today = self.clock.today()
        groups: dict[str, list[OverdueRow]] = {}
        for loan in loans.overdue(today, kind):
            group = class_of(loan)
            groups.setdefault(group, []).append(OverdueRow(
                loan_id=loan.id, code=loan.code, title=loan.title, patron_code=loan.patron_code,
                patron_name=loan.patron_name, class_name=group, due_on=loan.due_on,
                days_late=(today - loan.due_on).days))
        for rows in groups.values():
            rows.sort(key=lambda r: (sort_key(r.patron_name), r.due_on))
        return {name: groups[name] for name in sorted(groups, key=_class_key)}

    def overdue_equipment(self) -> list[OverdueRow]:
        """Equipment past its due date (short loans not back after the lesson, long-term
        loans past their term), the longest overdue first; ``class_name`` is the lesson's."""
        today = self.clock.today()
        rows = [OverdueRow(loan_id=loan.id, code=loan.code, title=loan.title,
                           patron_code=loan.patron_code, patron_name=loan.patron_name,
                           class_name=class_of(loan), due_on=loan.due_on,
                           days_late=(today - loan.due_on).days, kind=EQUIPMENT,
                           quantity=loan.quantity, unit=loan.unit)
                for loan in loans.overdue(today, EQUIPMENT)]
        return sorted(rows, key=lambda r: (r.due_on, sort_key(r.patron_name), r.loan_id))

    def class_list(self) -> list[str]:
        """The classes of active students, in school order."""
        return sorted(patrons.class_names(), key=_class_key)

    def recent_lesson_titles(self, teacher: PatronRow, limit: int = 6) -> list[str]:
        """The teacher's most recent distinct lesson titles, newest first."""
        return lessons.recent_titles(teacher.id, limit)

    def teachers(self) -> list[PatronRow]:
        """Active teachers, alphabetically (for the review filter)."""
        return patrons.active_teachers()

    def stock_types(self, subject: str | None = None) -> list[EquipmentTypeRow]:
        """Counted (unlabelled) equipment, the teacher's subject first."""
        wanted = search_key(subject) if subject else ""
        return sorted(equipment.counted_types(),
                      key=lambda k: (search_key(k.subject) != wanted, sort_key(k.name)))

    def periods(self) -> list[tuple[str, int]]:
        """The school's teaching periods as (session, number), unordered."""
        return calendar.periods()

    def equipment_subjects(self) -> list[str]:
        """Every subject equipment is filed under, in Vietnamese order."""
        return sorted(equipment.subjects(), key=sort_key)

    def day_summary(self, day: date | None = None, notes: int = 0) -> DaySummary:
        """How many books and pieces of equipment went out and came back on a local day (a
        loan of 12 test tubes counts 12), in all and by class; voids; overdue now; and
        (``notes``) up to that many short equipment loans still out at the end of the day."""
        day = day or self.clock.today()
        rows = self.transactions(day)
        live = [r for r in rows if not r.voided]

        def counts(of: list[TxnRow]) -> dict[str, int]:
            def pieces(kind: str, which: str) -> int:
                return sum(r.quantity for r in of if r.kind == kind and r.direction == which)
            return {"books_borrowed": pieces(BOOK, OUT), "books_returned": pieces(BOOK, BACK),
                    "equipment_borrowed": pieces(EQUIPMENT, OUT),
                    "equipment_returned": pieces(EQUIPMENT, BACK)}

        classes = sorted({r.class_name for r in live}, key=_class_key)
        still_out = loans.open_equipment_due_by(day, notes) if notes else []
        return DaySummary(
            day=day, **counts(live),
            voided=sum(1 for r in rows if r.voided and r.direction == OUT),
            overdue=len(loans.overdue(self.clock.today())),
            patrons=len({r.patron_code for r in rows}),
            notes=tuple(f"{loan.title} — {loan.patron_name}" for loan in still_out),
            by_class=tuple(ClassCounts(name, **counts([r for r in live if r.class_name == name]))
                           for name in classes))
