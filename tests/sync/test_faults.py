"""The push against a misbehaving peer: down, 500s, timeouts, drops, duplicates, rejections."""
import socket

import pytest

from db.models import Outbox
from kiosk.standin.server import StandinServer
from kiosk.sync import worker as w
from kiosk.sync.http import HttpConnector
from kiosk.sync.outbox import requeue_dead
from kiosk.sync.status import sync_status
from tests.sync.helpers import TOKEN, StandinClient, fill_outbox, states


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _advance_past_retry(context, report):
    context.clock.advance(seconds=report.retry_in_s + 0.001)


def test_server_down_then_up_loses_nothing(tmp_path, sync_context):
    port = _free_port()
    connector = HttpConnector(f"http://127.0.0.1:{port}", TOKEN, timeout_s=2.0)
    worker = w.SyncWorker(sync_context, connector)
    ids = fill_outbox(sync_context.db, sync_context.clock, 75)

    down = worker.run_once()
    assert down.outcome == w.RETRY
    assert down.error.startswith(("Không kết nối được tới", "Kết nối tới"))
    assert 0.5 <= down.retry_in_s <= 1.0  # first failure: between base/2 and base
    assert states() == {"pending": 75, "sent": 0, "dead": 0}
    assert Outbox.get(Outbox.record_id == ids[0]).attempts == 1
    assert worker.run_once().outcome == w.WAITING  # inside the back-off window

    server = StandinServer(tmp_path / "late.sqlite3", token=TOKEN, port=port).start()
    try:
        _advance_past_retry(sync_context, down)
        up = worker.run_once()
        assert up.outcome == w.DONE
        assert up.accepted == 75
        stats = StandinClient(server.url).stats(ids=True)
        assert stats["records"] == 75
        assert set(stats["receipts_by_id"]) == set(ids)
        assert sync_status(sync_context.db, sync_context.clock).failing is False
    finally:
        server.stop()


def test_500s_back_off_exponentially_then_deliver(sync_context, worker, standin_client):
    fill_outbox(sync_context.db, sync_context.clock, 60)
    standin_client.faults(fail_next=3, status=503)
    delays = []
    for _ in range(3):
        report = worker.run_once()
        assert report.outcome == w.RETRY
        assert report.error == "Máy chủ của Sở đang lỗi (HTTP 503)."
        delays.append(report.retry_in_s)
        assert worker.run_once().outcome == w.WAITING
        _advance_past_retry(sync_context, report)
    # base 1 s: ceilings 1, 2, 4; equal jitter keeps each above half its ceiling
    assert 0.5 <= delays[0] <= 1 and 1 <= delays[1] <= 2 and 2 <= delays[2] <= 4
    final = worker.run_once()
    assert final.outcome == w.DONE and final.accepted == 60
    assert standin_client.stats()["records"] == 60
    assert Outbox.select().where(Outbox.attempts != 4, Outbox.record_id.in_(
        [r.record_id for r in Outbox.select().order_by(Outbox.id).limit(50)])).count() == 0


def test_retry_after_is_honoured_and_capped(sync_context, worker, standin_client):
    fill_outbox(sync_context.db, sync_context.clock, 5)
    standin_client.faults(fail_next=1, status=429, retry_after="30")
    assert worker.run_once().retry_in_s == pytest.approx(30)
    sync_context.clock.advance(seconds=31)
    standin_client.faults(fail_next=1, status=503, retry_after="5000")
    assert worker.run_once().retry_in_s == pytest.approx(60)  # max_backoff_s in the tests
    sync_context.clock.advance(seconds=61)
    assert worker.run_once().outcome == w.DONE


def test_timeout_is_retried_and_the_late_batch_counts_once(sync_context, standin_client,
                                                            token_file):
    connector = HttpConnector(sync_context.config.sync.url, TOKEN, timeout_s=0.3)
    worker = w.SyncWorker(sync_context, connector)
    ids = fill_outbox(sync_context.db, sync_context.clock, 50)
    # The server stores the batch, then answers too late for the kiosk.
    standin_client.faults(delay_s=1.5, delay_next=1, delay_after_store=True)
    slow = worker.run_once()
    assert slow.outcome == w.RETRY
    assert "không trả lời trong" in slow.error
    assert states()["pending"] == 50
    _advance_past_retry(sync_context, slow)
    again = worker.run_once()
    assert again.outcome == w.DONE
    assert again.duplicates == 50 and again.accepted == 0
    stats = standin_client.stats(ids=True)
    assert stats["records"] == 50
    assert set(stats["receipts_by_id"]) == set(ids)


@pytest.mark.parametrize("knob", ["drop_next", "drop_after_store_next"])
def test_dropped_connection_is_retried(sync_context, worker, standin_client, knob):
    ids = fill_outbox(sync_context.db, sync_context.clock, 30)
    standin_client.faults(**{knob: 1})
    dropped = worker.run_once()
    assert dropped.outcome == w.RETRY
    _advance_past_retry(sync_context, dropped)
    assert worker.run_once().outcome == w.DONE
    stats = standin_client.stats(ids=True)
    assert stats["records"] == 30 and set(stats["receipts_by_id"]) == set(ids)
    assert states() == {"pending": 0, "sent": 30, "dead": 0}


def test_duplicate_answers_count_as_delivered(sync_context, worker, standin_client, connector):
    from kiosk.sync.outbox import pending_batch
    fill_outbox(sync_context.db, sync_context.clock, 20)
    # Someone (an earlier, killed run) already delivered the first 12.
    connector.send("HY-THCS-01", "kiosk-1", pending_batch(12))
    report = worker.run_once()
    assert report.outcome == w.DONE
    assert (report.accepted, report.duplicates) == (8, 12)
    assert states() == {"pending": 0, "sent": 20, "dead": 0}
    assert standin_client.stats()["records"] == 20


def test_rejected_record_lands_in_dead_letters_and_is_not_retried(sync_context, worker,
                                                                   standin_client):
    fill_outbox(sync_context.db, sync_context.clock, 10)
    bad = fill_outbox(sync_context.db, sync_context.clock, 2, type_="loan.returned")
    standin_client.faults(reject_types=["loan.returned"])
    report = worker.run_once()
    assert report.outcome == w.DONE
    assert (report.accepted, report.rejected) == (10, 2)
    status = sync_status(sync_context.db, sync_context.clock)
    assert status.dead_count == 2 and status.pending == 0
    assert {d.record_id for d in status.dead_letters} == set(bad)
    assert all("refused" in d.reason for d in status.dead_letters)
    requests = standin_client.stats()["requests"]
    assert worker.run_once(force=True).outcome == w.IDLE
    assert standin_client.stats()["requests"] == requests  # not retried by itself

    standin_client.reset()
    with sync_context.db.atomic():
        assert requeue_dead(bad[:1]) == 1
    assert worker.run_once().accepted == 1
    assert sync_status(sync_context.db, sync_context.clock).dead_count == 1


def test_a_record_left_out_of_the_answer_stays_pending(sync_context, worker):
    from kiosk.sync.connector import Connector, RecordResult

    class Forgetful(Connector):
        def send(self, school_code, kiosk_id, records):
            return [RecordResult(r.id, "accepted") for r in records[1:]]

    ids = fill_outbox(sync_context.db, sync_context.clock, 3)
    report = w.SyncWorker(sync_context, Forgetful()).run_once()
    assert report.outcome == w.RETRY
    assert Outbox.get(Outbox.record_id == ids[0]).state == "pending"
    assert states()["sent"] == 2
