"""The day's transactions: every borrow, return and void of one local day, in time order."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import peewee

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


_ItemType = EquipmentType.alias("item_type")
_StockType = EquipmentType.alias("stock_type")
_LEFT = peewee.JOIN.LEFT_OUTER


def _events(column: peewee.Field, start: datetime, end: datetime):
    """Tuples for loans whose ``column`` time falls in [start, end): an index range scan."""
    code = peewee.fn.COALESCE(Copy.barcode, EquipmentItem.barcode, _StockType.code)
    title = peewee.fn.COALESCE(Title.title, _ItemType.name, _StockType.name)
    return (Loan.select(column, Loan.id, Loan.txn_ref, Patron.code, Patron.name, Patron.kind,
                        peewee.fn.COALESCE(Loan.lesson_class, Patron.class_name), code, title,
                        Loan.kind, Loan.quantity, Loan.due_on, Loan.kiosk_id,
                        Loan.return_kiosk_id, Loan.return_condition, Loan.void_reason)
            .join(Patron, on=(Loan.patron == Patron.id))
            .switch(Loan).join(Copy, _LEFT, on=(Loan.copy == Copy.id))
            .join(Title, _LEFT, on=(Copy.title == Title.id))
            .switch(Loan).join(EquipmentItem, _LEFT, on=(Loan.item == EquipmentItem.id))
            .join(_ItemType, _LEFT, on=(EquipmentItem.type == _ItemType.id))
            .switch(Loan).join(_StockType, _LEFT, on=(Loan.equipment_type == _StockType.id))
            .where((column >= start) & (column < end))
            .tuples())


def day_transactions(day: date, clock: Clock) -> list[DayRow]:
    """Every borrow, return and void whose time falls on ``day`` (local)."""
    start, end = clock.local_day_bounds(day)
    rows: list[DayRow] = []
    for action, column in (("borrow", Loan.out_at), ("return", Loan.returned_at),
                           ("void", Loan.voided_at)):
        for (moment, loan_id, txn_ref, p_code, p_name, p_kind, class_name, code, title, kind,
             quantity, due_on, kiosk_id, return_kiosk, condition, reason) in _events(
                column, start, end):
            rows.append(DayRow(
                at=clock.to_local(_as_datetime(moment)), action=action, loan_id=loan_id,
                txn_ref=txn_ref, patron_code=p_code, patron_name=p_name, patron_kind=p_kind,
                class_name=class_name or "", item_code=code or "", item_title=title or "",
                item_kind=kind, quantity=quantity, due_on=_as_date(due_on),
                kiosk_id=(return_kiosk or kiosk_id) if action == "return" else kiosk_id,
                condition=(condition or "") if action == "return" else "",
                reason=(reason or "") if action == "void" else ""))
    rows.sort(key=lambda row: (row.at, row.loan_id, row.action))
    return rows


def _as_datetime(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
