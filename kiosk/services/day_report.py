"""The day's transactions: every borrow, return and void of one local day, in time order."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from db.models import Copy, EquipmentItem, EquipmentType, Loan, Patron, Title
from kiosk.clock import Clock


@dataclass(frozen=True)
class DayRow:
    """One event of the day."""

    at: datetime  # aware, local
    action: str  # borrow | return | void
    loan_id: int
    txn_ref: str
    patron_code: str
    patron_name: str
    patron_kind: str
    class_name: str
    item_code: str
    item_title: str
    item_kind: str  # book | equipment
    quantity: int
    due_on: date
    kiosk_id: str
    condition: str = ""
    reason: str = ""


def _loan_rows(column, bounds):
    start, end = bounds
    return (Loan.select(Loan, Patron, Copy, Title, EquipmentItem, EquipmentType)
            .join(Patron, on=(Loan.patron == Patron.id))
            .switch(Loan).join(Copy, peewee_left(), on=(Loan.copy == Copy.id))
            .join(Title, peewee_left(), on=(Copy.title == Title.id))
            .switch(Loan).join(EquipmentItem, peewee_left(), on=(Loan.item == EquipmentItem.id))
            .switch(Loan).join(EquipmentType, peewee_left(),
                               on=((Loan.equipment_type == EquipmentType.id)
                                   | (EquipmentItem.type == EquipmentType.id)))
            .where((column >= start) & (column < end)))


def peewee_left():
    """LEFT OUTER join type (a function so the query above reads top to bottom)."""
    import peewee
    return peewee.JOIN.LEFT_OUTER


def day_transactions(day: date, clock: Clock) -> list[DayRow]:
    """Every borrow, return and void whose time falls on ``day`` (local)."""
    bounds = clock.local_day_bounds(day)
    rows: list[DayRow] = []
    for action, column in (("borrow", Loan.out_at), ("return", Loan.returned_at),
                           ("void", Loan.voided_at)):
        for loan in _loan_rows(column, bounds):
            rows.append(_row(loan, action, getattr(loan, column.name), clock))
    rows.sort(key=lambda row: (row.at, row.loan_id, row.action))
    return rows


def _row(loan: Loan, action: str, moment: datetime, clock: Clock) -> DayRow:
    patron = loan.patron
    if loan.copy_id:
        code, title = loan.copy.barcode, loan.copy.title.title
    elif loan.item_id:
        code, title = loan.item.barcode, loan.item.type.name
    else:
        code, title = loan.equipment_type.code, loan.equipment_type.name
    return DayRow(
        at=clock.to_local(moment), action=action, loan_id=loan.id, txn_ref=loan.txn_ref,
        patron_code=patron.code, patron_name=patron.name, patron_kind=patron.kind,
        class_name=loan.lesson_class or patron.class_name, item_code=code, item_title=title,
        item_kind=loan.kind, quantity=loan.quantity, due_on=loan.due_on,
        kiosk_id=loan.return_kiosk_id if action == "return" and loan.return_kiosk_id
        else loan.kiosk_id,
        condition=(loan.return_condition or "") if action == "return" else "",
        reason=(loan.void_reason or "") if action == "void" else "")
