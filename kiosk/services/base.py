"""What every service shares: the context, one user action as one transaction, database
failures and refusals as results, loans described for screens and receipts."""
from __future__ import annotations

import functools
import logging
from contextlib import contextmanager
from datetime import date
from typing import Iterator

from db.engine import engine_of
from db.errors import DatabaseUnavailable
from db.queries.loans import LoanRow
from db.tx import Action, Who, action
from kiosk.context import KioskContext
from kiosk.services.results import LoanInfo, Refused, refuse

log = logging.getLogger(__name__)


def guarded(method):
    """Turn a refusal raised inside an action, or a database failure, into a refusal result;
    the transaction has rolled back. A busy database past the timeout is ``db_locked``."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Refused as refusal:
            return refusal.outcome
        except DatabaseUnavailable as exc:
            log.error("database unavailable during %s: %s", method.__name__, exc)
            return refuse(f"db_{exc.reason}")
        except engine_of(self.context.db).errors() as exc:
            original = _root_cause(exc)
            log.error("database error during %s: %s", method.__name__, original)
            return refuse(f"db_{engine_of(self.context.db).classify(original).reason}")

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

    def who(self, actor: str) -> Who:
        """This kiosk, ``actor`` and now: the frame of an action's journal and records."""
        now = self.clock.db_now()
        return Who(kiosk_id=self.context.kiosk_id, actor=actor, at=now,
                   occurred_at=self.clock.iso_local(now))

    @contextmanager
    def action(self, actor: str, *, prefix: str, ref: str | None = None,
               records: bool = True) -> Iterator[Action]:
        """One user action: one write transaction with its reference, journal and records."""
        with action(self.who(actor), ref, prefix=prefix, records=records,
                    db=self.context.db) as current:
            yield current

    def loan_info(self, loan: LoanRow, today: date | None = None) -> LoanInfo:
        """A plain description of a loan for screens and receipts."""
        return describe_loan(loan, self.clock, today or self.clock.today())


def describe_loan(loan: LoanRow, clock, today: date) -> LoanInfo:
    """A loan row as screens and receipts show it (times local, days late counted)."""
    end = clock.to_local(loan.returned_at).date() if loan.returned_at else today
    return LoanInfo(
        loan_id=loan.id, uid=loan.uid, txn_ref=loan.txn_ref, kind=loan.kind, code=loan.code,
        title=loan.title, patron_code=loan.patron_code, patron_name=loan.patron_name,
        patron_class=loan.patron_class, quantity=loan.quantity,
        out_at=clock.to_local(loan.out_at), due_on=loan.due_on,
        returned_at=clock.to_local(loan.returned_at), return_condition=loan.return_condition,
        late_days=max(0, (end - loan.due_on).days), unit=loan.unit, return_ref=loan.return_ref,
        lesson=loan.lesson, long_term=loan.long_term, voided=loan.voided_at is not None,
        returned_good=loan.returned_good, returned_damaged=loan.returned_damaged,
        returned_missing=loan.returned_missing, returned_lost=loan.returned_lost,
        outstanding=loan.outstanding, return_note=loan.return_note, unit_value=loan.unit_value)


def loan_snapshot(loan: LoanRow) -> dict:
    """The fields of a loan worth keeping in the journal's before/after."""
    return {
        "patron": loan.patron_code, "copy": loan.code if loan.copy_id else None,
        "item": loan.code if loan.item_id else None,
        "equipment_type": loan.code if loan.equipment_type_id else None,
        "quantity": loan.quantity, "due_on": loan.due_on, "returned_at": loan.returned_at,
        "return_condition": loan.return_condition, "voided_at": loan.voided_at,
        "renewals": loan.renewals, "lesson": loan.lesson.uid if loan.lesson else None,
        "returned": {"good": loan.returned_good, "damaged": loan.returned_damaged,
                     "missing": loan.returned_missing, "lost": loan.returned_lost},
        "outstanding": loan.outstanding,
    }
