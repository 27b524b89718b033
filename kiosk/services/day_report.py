"""The day's transactions: every borrow, return and void of one local day, in time order."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from db.queries import loans
from kiosk.clock import Clock
from kiosk.services.reports import class_of


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


_EVENTS = (("borrow", "out_at"), ("return", "returned_at"), ("void", "voided_at"))


def day_transactions(day: date, clock: Clock) -> list[DayRow]:
    """Every borrow, return and void whose time falls on ``day`` (local): index range scans."""
    start, end = clock.local_day_bounds(day)
    rows: list[DayRow] = []
    for action, column in _EVENTS:
        for loan in loans.in_period(column, start, end):
            rows.append(DayRow(
                at=clock.to_local(getattr(loan, column)), action=action, loan_id=loan.id,
                txn_ref=loan.return_ref if action == "return" and loan.return_ref
                else loan.txn_ref,
                patron_code=loan.patron_code, patron_name=loan.patron_name,
                patron_kind=loan.patron_kind, class_name=class_of(loan), item_code=loan.code,
                item_title=loan.title, item_kind=loan.kind, quantity=loan.quantity,
                due_on=loan.due_on,
                kiosk_id=(loan.return_kiosk_id or loan.kiosk_id) if action == "return"
                else loan.kiosk_id,
                condition=(loan.return_condition or "") if action == "return" else "",
                reason=(loan.void_reason or "") if action == "void" else ""))
    rows.sort(key=lambda row: (row.at, row.loan_id, row.action))
    return rows
