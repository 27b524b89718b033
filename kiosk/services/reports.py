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

from db.models import EquipmentType, Loan, Patron
from db.text import search_key, sort_key
from kiosk.services.base import Service

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


@dataclass(frozen=True)
class DaySummary:
    """Counts for the end-of-day summary receipt."""

    day: date
    books_out: int
    books_back: int
    equipment_out: int
    equipment_back: int
    voided: int
    overdue: int
    patrons: int = 0  # different people who borrowed or returned


def _thing(loan: Loan) -> tuple[str, str]:
    if loan.copy_id:
        return loan.copy.barcode, loan.copy.title.title
    if loan.item_id:
        return loan.item.barcode, loan.item.type.name
    return loan.equipment_type.code, loan.equipment_type.name


def _class_key(name: str) -> tuple:
    """Classes in school order: by grade number, then by name (``6A2`` before ``10A1``)."""
    match = re.match(r"\d+", name or "")
    return (int(match.group()) if match else 999, sort_key(name))


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
        wanted = [d for d in (OUT, BACK) if direction in (None, d)]
        for which in wanted:
            column = Loan.out_at if which == OUT else Loan.returned_at
            query = Loan.select(Loan, Patron).join(Patron, on=(Loan.patron == Patron.id)).where(
                column >= start, column < end)
            if kind:
                query = query.where(Loan.kind == kind)
            if teacher_code:
                query = query.where(Patron.code == teacher_code, Patron.kind != "student")
            if class_name:
                query = query.where((Patron.class_name == class_name)
                                    | (Loan.lesson_class == class_name))
            if not include_voided:
                query = query.where(Loan.voided_at.is_null())
            for loan in query:
                rows.append(self._row(loan, which))
        rows.sort(key=lambda r: (r.at, r.loan_id), reverse=True)
        return rows

    def _row(self, loan: Loan, which: str) -> TxnRow:
        code, title = _thing(loan)
        moment = loan.out_at if which == OUT else loan.returned_at
        patron = loan.patron
        late = 0
        if which == BACK and loan.returned_at:
            late = max(0, (self.clock.to_local(loan.returned_at).date() - loan.due_on).days)
        return TxnRow(
            loan_id=loan.id, txn_ref=loan.txn_ref, direction=which, kind=loan.kind, code=code,
            title=title, quantity=loan.quantity, patron_code=patron.code,
            patron_name=patron.name, patron_kind=patron.kind,
            class_name=patron.class_name or (loan.lesson_class or ""),
            at=self.clock.to_local(moment), voided=loan.voided_at is not None,
            condition=loan.return_condition if which == BACK else None, late_days=late)

    def transaction_loans(self, txn_ref: str) -> list[Loan]:
        """Every loan of one transaction (for a reprint), in order."""
        return list(Loan.select().where(Loan.txn_ref == txn_ref).order_by(Loan.id))

    def overdue_by_class(self, kind: str | None = "book") -> dict[str, list[OverdueRow]]:
        """Open loans past their due date, grouped by class in school order."""
        today = self.clock.today()
        query = (Loan.select(Loan, Patron).join(Patron, on=(Loan.patron == Patron.id))
                 .where(Loan.returned_at.is_null(), Loan.voided_at.is_null(),
                        Loan.due_on < today))
        if kind:
            query = query.where(Loan.kind == kind)
        groups: dict[str, list[OverdueRow]] = {}
        for loan in query:
            code, title = _thing(loan)
            patron = loan.patron
            group = patron.class_name or loan.lesson_class or ""
            groups.setdefault(group, []).append(OverdueRow(
                loan_id=loan.id, code=code, title=title, patron_code=patron.code,
                patron_name=patron.name, class_name=group, due_on=loan.due_on,
                days_late=(today - loan.due_on).days))
        for rows in groups.values():
            rows.sort(key=lambda r: (sort_key(r.patron_name), r.due_on))
        return {name: groups[name] for name in sorted(groups, key=_class_key)}

    def class_list(self) -> list[str]:
        """The classes of active students, in school order."""
        query = (Patron.select(Patron.class_name).distinct()
                 .where(Patron.kind == "student", Patron.class_name != "", Patron.active == True))  # noqa: E712
        return sorted((p.class_name for p in query), key=_class_key)

    def recent_lesson_titles(self, teacher: Patron, limit: int = 6) -> list[str]:
        """The teacher's most recent distinct lesson titles, newest first."""
        query = (Loan.select(Loan.lesson_title, Loan.out_at)
                 .where(Loan.patron == teacher.id, Loan.lesson_title.is_null(False))
                 .order_by(Loan.out_at.desc()).limit(200))
        titles: list[str] = []
        for loan in query:
            if loan.lesson_title and loan.lesson_title not in titles:
                titles.append(loan.lesson_title)
            if len(titles) >= limit:
                break
        return titles

    def teachers(self) -> list[Patron]:
        """Active teachers, alphabetically (for the review filter)."""
        query = Patron.select().where(Patron.kind == "teacher", Patron.active == True)  # noqa: E712
        return sorted(query, key=lambda p: sort_key(p.name))

    def stock_types(self, subject: str | None = None) -> list[EquipmentType]:
        """Counted (unlabelled) equipment with some on hand, the teacher's subject first."""
        query = EquipmentType.select().where(EquipmentType.tracking == "counted")
        kinds = list(query)
        wanted = search_key(subject) if subject else ""
        return sorted(kinds, key=lambda k: (search_key(k.subject) != wanted, sort_key(k.name)))

    def day_summary(self, day: date | None = None) -> DaySummary:
        """How many loans went out and came back today, by kind; voids; overdue now."""
        day = day or self.clock.today()
        rows = self.transactions(day)
        live = [r for r in rows if not r.voided]

        def count(kind: str, which: str) -> int:
            return sum(1 for r in live if r.kind == kind and r.direction == which)

        overdue = sum(len(v) for v in self.overdue_by_class(kind=None).values())
        return DaySummary(day=day, books_out=count("book", OUT), books_back=count("book", BACK),
                          equipment_out=count("equipment", OUT),
                          equipment_back=count("equipment", BACK),
                          voided=sum(1 for r in rows if r.voided and r.direction == OUT),
                          overdue=overdue, patrons=len({r.patron_code for r in rows}))

