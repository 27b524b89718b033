"""Read-only queries behind the registers. Voided loans (mistakes) are left out."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from peewee import JOIN

from db.models import Copy, EquipmentItem, EquipmentType, Loan, Patron, Title
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
    query = (Loan.select(Loan, Patron, Copy, Title)
             .join(Patron, on=(Loan.patron == Patron.id))
             .switch(Loan).join(Copy, on=(Loan.copy == Copy.id))
             .join(Title, on=(Copy.title == Title.id))
             .where(Loan.kind == "book", Loan.voided_at.is_null(), Loan.out_at >= low,
                    Loan.out_at < high, Patron.kind.in_(patron_kinds))
             .order_by(Loan.out_at, Loan.id))
    return [BookLine(
        out_on=_local_date(clock, loan.out_at), patron_code=loan.patron.code,
        patron_name=loan.patron.name, patron_kind=loan.patron.kind,
        class_name=loan.patron.class_name, subject_group=loan.patron.subject_group,
        barcode=loan.copy.barcode, title=loan.copy.title.title, author=loan.copy.title.author,
        due_on=loan.due_on, returned_on=_local_date(clock, loan.returned_at),
        renewals=loan.renewals, condition=loan.return_condition or "")
        for loan in query]


def equipment_loans(clock: Clock, start: date, end: date) -> list[EquipmentLine]:
    """Equipment loans made between ``start`` and ``end`` (inclusive), oldest first."""
    low, high = _range(clock, start, end)
    ItemType = EquipmentType.alias()
    query = (Loan.select(Loan, Patron, EquipmentItem, ItemType, EquipmentType)
             .join(Patron, on=(Loan.patron == Patron.id))
             .switch(Loan).join(EquipmentItem, JOIN.LEFT_OUTER, on=(Loan.item == EquipmentItem.id))
             .join(ItemType, JOIN.LEFT_OUTER, on=(EquipmentItem.type == ItemType.id))
             .switch(Loan).join(EquipmentType, JOIN.LEFT_OUTER,
                                on=(Loan.equipment_type == EquipmentType.id))
             .where(Loan.kind == "equipment", Loan.voided_at.is_null(), Loan.out_at >= low,
                    Loan.out_at < high)
             .order_by(Loan.out_at, Loan.id))
    lines = []
    for loan in query:
        if loan.item_id:
            kind, code = loan.item.type, loan.item.barcode
        else:
            kind = loan.equipment_type
            code = kind.code
        lines.append(EquipmentLine(
            out_on=_local_date(clock, loan.out_at), teacher_code=loan.patron.code,
            teacher_name=loan.patron.name, subject_group=loan.patron.subject_group,
            code=code, name=kind.name, unit=kind.unit, quantity=loan.quantity,
            lesson_date=loan.lesson_date,
            period=(loan.lesson_period if loan.lesson_session in (None, "morning")
                    else period_label(loan.lesson_period, loan.lesson_session)),
            period_order=(loan.lesson_session == "afternoon", loan.lesson_period or 0),
            class_name=loan.lesson_class or "", subject=loan.lesson_subject or kind.subject,
            lesson_title=loan.lesson_title or "", purpose=loan.lesson_purpose or "",
            long_term=bool(loan.long_term), due_on=loan.due_on,
            returned_on=_local_date(clock, loan.returned_at),
            condition=loan.return_condition or ""))
    return lines

