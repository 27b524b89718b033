"""Status for the screen, back-off arithmetic, Retry-After parsing, the wire format."""
import json
import random
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from kiosk.i18n import Translator
from kiosk.sync import worker as w
from kiosk.sync.backoff import retry_delay
from kiosk.sync.connector import Record
from kiosk.sync.http import encode_batch, parse_retry_after
from kiosk.sync.present import format_age, status_lines
from kiosk.sync.status import sync_status
from tests.sync.helpers import fill_outbox


def test_status_of_a_fresh_kiosk(sync_context):
    status = sync_status(sync_context.db, sync_context.clock)
    assert (status.pending, status.oldest_pending_age_s, status.last_success_at) == (0, None, None)
    assert status.dead_count == 0 and not status.auth_failed and not status.failing


def test_status_counts_pending_and_ages_the_oldest(sync_context, worker, standin_client):
    fill_outbox(sync_context.db, sync_context.clock, 10)  # the oldest is 10 s old
    sync_context.clock.advance(minutes=5)
    status = sync_status(sync_context.db, sync_context.clock)
    assert status.pending == 10
    assert status.oldest_pending_age_s == pytest.approx(310)

    standin_client.faults(fail_next=1, status=500)
    worker.run_once()
    failing = sync_status(sync_context.db, sync_context.clock)
    assert failing.failing and failing.last_error == "Máy chủ của Sở đang lỗi (HTTP 500)."
    assert failing.last_error_detail == "HTTP 500"  # the English diagnosis, for logs
    assert failing.next_attempt_at > sync_context.clock.now()

    sync_context.clock.advance(minutes=1)
    assert worker.run_once().outcome == w.DONE
    done = sync_status(sync_context.db, sync_context.clock)
    assert done.pending == 0 and done.last_success_at == sync_context.clock.now()
    assert not done.failing and done.next_attempt_at is None
    assert done.last_error == "" and done.last_error_at is None  # a success clears the error


def test_status_lines_in_both_languages(sync_context, worker, standin_client):
    fill_outbox(sync_context.db, sync_context.clock, 3, type_="loan.voided")
    standin_client.faults(reject_types=["loan.voided"])
    worker.run_once()
    status = sync_status(sync_context.db, sync_context.clock)
    vi = "\n".join(status_lines(status, sync_context.clock, Translator("vi")))
    en = "\n".join(status_lines(status, sync_context.clock, Translator("en")))
    assert "Bản ghi bị Sở từ chối: 3" in vi
    assert "Lần gửi thành công gần nhất: 26/11/2026 09:00" in vi  # Vietnam time, dd/mm/yyyy
    assert "Records rejected by the province: 3" in en
    assert en.count("  loan.voided  ") == 3


def test_format_age():
    t = Translator("vi")
    assert format_age(None, t) == "không có"
    assert format_age(45, t) == "45 giây"
    assert format_age(3 * 86400 + 2 * 3600 + 5, t) == "3 ngày 2 giờ"


def test_retry_delay_doubles_with_jitter_and_caps():
    rng = random.Random(7)
    for failures, ceiling in [(1, 5), (2, 10), (3, 20), (8, 640), (9, 900), (40, 900)]:
        for _ in range(50):
            delay = retry_delay(failures, 5, 900, rng=rng)
            assert ceiling / 2 <= delay <= ceiling
    assert retry_delay(1, 5, 900, retry_after=120, rng=rng) == 120
    assert retry_delay(1, 5, 900, retry_after=5000, rng=rng) == 900
    assert len({round(retry_delay(5, 5, 900, rng=rng), 3) for _ in range(20)}) > 10  # jitter


def test_retry_after_seconds_and_http_date():
    assert parse_retry_after("120") == 120
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    now = datetime(2026, 11, 26, 2, 0, tzinfo=timezone.utc)
    header = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(header, now=now.timestamp()) == pytest.approx(90)


def test_wire_format_follows_the_contract():
    records = [Record("0190-a", "loan.borrowed", "2026-11-26T09:00:00+07:00",
                      '{"patron_code": "0123456789", "title": "Dế Mèn"}')]
    body = json.loads(encode_batch("HY-1", "kiosk-1", records))
    assert body == {"school_code": "HY-1", "kiosk_id": "kiosk-1", "records": [
        {"id": "0190-a", "type": "loan.borrowed", "occurred_at": "2026-11-26T09:00:00+07:00",
         "data": {"patron_code": "0123456789", "title": "Dế Mèn"}}]}


def test_dead_letters_carry_their_data_and_can_be_sent_again(sync_context, worker,
                                                             standin_client):
    from kiosk.sync.service import requeue_dead_letters
    fill_outbox(sync_context.db, sync_context.clock, 2, type_="item.declared")
    standin_client.faults(reject_types=["item.declared"])
    worker.run_once()
    status = sync_status(sync_context.db, sync_context.clock)
    assert [d.data["patron_kind"] for d in status.dead_letters] == ["student", "student"]
    standin_client.reset()
    assert requeue_dead_letters(sync_context) == 2
    assert worker.run_once().accepted == 2


def test_forced_wake_skips_the_back_off_window(sync_context, connector, standin_client):
    import time
    from kiosk.sync.service import SyncThread
    fill_outbox(sync_context.db, sync_context.clock, 3)
    standin_client.faults(fail_next=1, status=500, retry_after="600")
    sync_worker = w.SyncWorker(sync_context, connector)
    assert sync_worker.run_once().outcome == w.RETRY  # next try in 10 minutes (frozen clock)
    thread = SyncThread(sync_worker).start()
    try:
        time.sleep(0.1)
        assert sync_status(sync_context.db, sync_context.clock).pending == 3
        thread.wake(force=True)
        deadline = time.monotonic() + 10
        while (sync_status(sync_context.db, sync_context.clock).pending
               and time.monotonic() < deadline):
            time.sleep(0.02)
    finally:
        thread.stop(10)
    assert sync_status(sync_context.db, sync_context.clock).pending == 0
