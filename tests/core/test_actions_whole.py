"""One user action is one transaction: when its provincial record cannot be written, nothing of
the action remains (the loan, the thing's status, the journal entry); an action that forgets its
journal entry or record is refused by the transaction helper itself."""
import pytest

from db.errors import IncompleteAction
from db.migrate import MigrationSession
from db.models import Copy, Journal, Loan, Outbox
from db.tx import Who, action
from kiosk.services.circulation import Circulation, ReturnRun

BROKEN_OUTBOX = """CREATE TRIGGER outbox_broken BEFORE INSERT ON outbox
                   BEGIN SELECT RAISE(ABORT, 'outbox is broken'); END"""


def break_outbox(db) -> None:
    """The trigger above, said for the engine in use (as migrations are)."""
    MigrationSession(db).execute_sql(BROKEN_OUTBOX)


def _counts():
    return Loan.select().count(), Journal.select().count(), Outbox.select().count()


def test_a_borrow_whose_record_fails_leaves_nothing(context):
    break_outbox(context.db)
    service = Circulation(context)
    session = service.start_session("0123456789")
    outcome = service.borrow(session, "TK.00001")
    assert not outcome.ok and outcome.code.startswith("db_")
    assert _counts() == (0, 0, 0)
    assert Copy.get(Copy.barcode == "TK.00001").status == "available"
    assert session.borrowed == [] and session.txn_ref is None


def test_a_return_whose_record_fails_leaves_the_loan_open(context):
    service = Circulation(context)
    assert service.borrow(service.start_session("0123456789"), "TK.00001").ok
    before = _counts()
    break_outbox(context.db)
    run = ReturnRun()
    outcome = service.return_code("TK.00001", run)
    assert not outcome.ok and outcome.code.startswith("db_")
    assert _counts() == before
    loan = Loan.get()
    assert loan.returned_at is None and loan.return_ref is None
    assert Copy.get(Copy.barcode == "TK.00001").status == "on_loan"
    assert run.ref is None and run.returned == []


def test_an_action_without_its_journal_or_record_is_refused(context):
    who = Who(kiosk_id="k", actor="CB0001", at=context.clock.db_now(),
              occurred_at=context.clock.iso_local())
    with pytest.raises(IncompleteAction):
        with action(who, prefix="GD", db=context.db) as act:
            Copy.update(status="lost").where(Copy.barcode == "TK.00002").execute()
            act.journal("lose", entity="copy", entity_key="TK.00002")  # but no record
    assert Copy.get(Copy.barcode == "TK.00002").status == "available"
    assert Journal.select().count() == 0
    with pytest.raises(IncompleteAction):
        with action(who, prefix="GD", records=False, db=context.db):
            Copy.update(status="lost").where(Copy.barcode == "TK.00002").execute()
    assert Copy.get(Copy.barcode == "TK.00002").status == "available"
