"""Read-only queries behind the registers. Voided loans (mistakes) are left out."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from db.queries import loans
from db.vocabulary import BOOK, EQUIPMENT, MORNING
from kiosk.clock import Clock
from kiosk.services.calendar import period_label


@dataclass(frozen=True)
class BookLine:
    """One book loan in a sổ mượn sách."""

    out_on: date
    patron_code: str
    patron_name: str
    patron_kind: str
    class_name: str
    subject_group: str
    barcode: str
    title: str
    author: str
    due_on: date
    returned_on: date | None
    renewals: int
    condition: str


@dataclass(frozen=True)
class EquipmentLine:
    """One equipment loan in a teacher's sổ mượn trả thiết bị and the usage log."""

    out_on: date
    teacher_code: str
    teacher_name: str
    subject_group: str
    code: str
    name: str
    unit: str
    quantity: int
    lesson_date: date | None
    period: int | str | None  # 2, or "2 (chiều)" for an afternoon period
    class_name: str
    subject: str
    lesson_title: str
    purpose: str
    long_term: bool
    due_on: date
    returned_on: date | None
    condition: str
    period_order: tuple = (False, 0)  # morning periods before afternoon ones


def _local_date(clock: Clock, stored: datetime | None) -> date | None:
    return clock.to_local(stored).date() if stored is not None else None


def _range(clock: Clock, start: date, end: date) -> tuple[datetime, datetime]:
    return clock.local_day_bounds(start)[0], clock.local_day_bounds(end)[1]


def book_loans(clock: Clock, start: date, end: date, patron_kinds: tuple[str, ...]
               ) -> list[BookLine]:
    """Book loans made between ``start`` and ``end`` (local days, inclusive), oldest first."""
    low, high = _range(clock, start, end)
    return [BookLine(
        out_on=_local_date(clock, loan.out_at), patron_code=loan.patron_code,
        patron_name=loan.patron_name, patron_kind=loan.patron_kind,
        class_name=loan.patron_class, subject_group=loan.patron_group,
        barcode=loan.code, title=loan.title, author=loan.author,
        due_on=loan.due_on, returned_on=_local_date(clock, loan.returned_at),
        renewals=loan.renewals, condition=loan.return_condition or "")
        for loan in loans.in_period("out_at", low, high, "loan.kind = ? AND loan.voided_at IS NULL",
                                    (BOOK,))
        if loan.patron_kind in patron_kinds]


def equipment_loans(clock: Clock, start: date, end: date) -> list[EquipmentLine]:
    """Equipment loans made between ``start`` and ``end`` (inclusive), oldest first. The subject
    group is the lesson's (the teacher's group when it was taught), else the teacher's now."""
    low, high = _range(clock, start, end)
    lines = []
    for loan in loans.in_period("out_at", low, high, "loan.kind = ? AND loan.voided_at IS NULL",
                                (EQUIPMENT,)):
        lesson = loan.lesson
        session = lesson.session if lesson else None
        period = lesson.period if lesson else None
        lines.append(EquipmentLine(
            out_on=_local_date(clock, loan.out_at), teacher_code=loan.patron_code,
            teacher_name=loan.patron_name,
            subject_group=(lesson.subject_group if lesson and lesson.subject_group
                           else loan.patron_group),
            code=loan.code, name=loan.title, unit=loan.unit, quantity=loan.quantity,
            lesson_date=lesson.date if lesson else None,
            period=(period if session in (None, MORNING) else period_label(period, session)),
            period_order=(session == "afternoon", period or 0),
            class_name=lesson.class_name if lesson else "",
            subject=lesson.subject if lesson else "",
            lesson_title=lesson.title if lesson else "", purpose=lesson.purpose if lesson else "",
            long_term=loan.long_term, due_on=loan.due_on,
            returned_on=_local_date(clock, loan.returned_at),
            condition=loan.return_condition or ""))
    return lines
