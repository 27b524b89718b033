"""A normal push, against the real stand-in on loopback."""
from db.models import Outbox
from kiosk.services.circulation import Circulation
from kiosk.services.equipment import EquipmentLending, Lesson
from kiosk.sync import worker as w
from tests.sync.helpers import fill_outbox, states


def test_real_loans_reach_the_standin_with_every_contract_field(sync_context, worker,
                                                                standin_client):
    circ = Circulation(sync_context)
    session = circ.start_session("0123456789")
    assert circ.borrow(session, "TK.00001").ok
    assert circ.return_code("TK.00001").ok
    lending = EquipmentLending(sync_context)
    from db.models import Patron
    teacher = Patron.get(Patron.code == "GV0012")
    basket = lending.start(teacher, Lesson(date=sync_context.clock.today(), period=2,
                                           class_name="6A1", subject="KHTN",
                                           title="Tế bào", purpose="Quan sát"))
    assert lending.add_scan(basket, "TB.KHTN6.001").ok
    assert lending.set_quantity(basket, "KHTN6.OCN", 5).ok
    assert lending.confirm(basket).ok

    report = worker.run_once()

    assert report.outcome == w.DONE
    assert report.accepted == 4
    assert states() == {"pending": 0, "sent": 4, "dead": 0}
    stats = standin_client.stats(ids=True)
    assert stats["records"] == 4
    assert stats["by_type"] == {"loan.borrowed": 3, "loan.returned": 1}
    sent_ids = {row.record_id for row in Outbox.select()}
    assert set(stats["receipts_by_id"]) == sent_ids


def test_batches_are_oldest_first_and_bounded(sync_context, worker, standin_client):
    ids = fill_outbox(sync_context.db, sync_context.clock, 120)
    report = worker.run_once()
    assert report.outcome == w.DONE
    assert report.batches == 3  # batch_size 50
    assert report.accepted == 120
    assert standin_client.stats()["requests"] == 3
    assert states()["sent"] == 120
    assert Outbox.get(Outbox.record_id == ids[0]).attempts == 1


def test_nothing_pending_is_idle(worker, standin_client):
    assert worker.run_once().outcome == w.IDLE
    assert standin_client.stats()["requests"] == 0
