"""What every service shares: the context, recording an action, database failures as refusals."""
from __future__ import annotations

import functools
import logging
import sqlite3
from datetime import date

import peewee

from db.connection import classify_error
from db.errors import DatabaseUnavailable
from db.models import Loan
from db.records import enqueue_record, write_journal
from kiosk.context import KioskContext
from kiosk.services.payloads import loan_data
from kiosk.services.results import LoanInfo, refuse

log = logging.getLogger(__name__)


def guarded(method):
    """Turn a database failure inside an action into a refusal; the transaction has rolled back."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except DatabaseUnavailable as exc:
            log.error("database unavailable during %s: %s", method.__name__, exc)
            return refuse(f"db_{exc.reason}")
        except (peewee.OperationalError, peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            original = _root_cause(exc)
            log.error("database error during %s: %s", method.__name__, original)
            return refuse(f"db_{classify_error(original).reason}")

    return wrapper


def _root_cause(exc: BaseException) -> BaseException:
    """The error that started it all.

    When SQLite aborts a transaction by itself (a full disk, an I/O error), the rollback that
    follows fails with "no transaction is active" and hides the real cause in ``__context__``.
    """
    while "no transaction is active" in str(exc) and exc.__context__ is not None:
        exc = exc.__context__
    return exc


class Service:
    """Base of the domain services."""

    def __init__(self, context: KioskContext):
        self.context = context
        self.config = context.config
        self.clock = context.clock

    def record_loan_event(self, loan: Loan, record_type: str, actor: str, action: str,
                          before: dict | None, after: dict | None, reason: str = "") -> None:
        """Journal entry and outbox record for a loan change (call inside the transaction)."""
        now = self.clock.db_now()
        write_journal(at=now, kiosk_id=self.context.kiosk_id, actor=actor, action=action,
                      entity="loan", entity_key=loan.uid, txn_ref=loan.txn_ref, before=before,
                      after=after, reason=reason)
        enqueue_record(type=record_type, occurred_at=self.clock.iso_local(now),
                       data=loan_data(loan, self.config.school.code, self.context.kiosk_id))

    def loan_info(self, loan: Loan, today: date | None = None) -> LoanInfo:
        """A plain description of a loan for screens and receipts."""
        today = today or self.clock.today()
        if loan.copy_id:
            code, title, unit = loan.copy.barcode, loan.copy.title.title, ""
        elif loan.item_id:
            code, title, unit = loan.item.barcode, loan.item.type.name, loan.item.type.unit
        else:
            kind = loan.equipment_type
            code, title, unit = kind.code, kind.name, kind.unit
        end = self.clock.to_local(loan.returned_at).date() if loan.returned_at else today
        late_days = max(0, (end - loan.due_on).days)
        return LoanInfo(
            loan_id=loan.id, uid=loan.uid, txn_ref=loan.txn_ref, kind=loan.kind, code=code,
            title=title, patron_code=loan.patron.code, patron_name=loan.patron.name,
            patron_class=loan.patron.class_name, quantity=loan.quantity,
            out_at=self.clock.to_local(loan.out_at), due_on=loan.due_on,
            returned_at=self.clock.to_local(loan.returned_at),
            return_condition=loan.return_condition, late_days=late_days, unit=unit)


def loan_snapshot(loan: Loan) -> dict:
    """The fields of a loan worth keeping in the journal's before/after."""
    return {
        "patron": loan.patron.code, "copy": loan.copy.barcode if loan.copy_id else None,
        "item": loan.item.barcode if loan.item_id else None,
        "equipment_type": loan.equipment_type.code if loan.equipment_type_id else None,
        "quantity": loan.quantity, "due_on": loan.due_on, "returned_at": loan.returned_at,
        "return_condition": loan.return_condition, "voided_at": loan.voided_at,
        "renewals": loan.renewals,
    }
