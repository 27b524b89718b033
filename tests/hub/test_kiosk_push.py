"""End to end: the demo kiosk pushes to the real hub (``kiosk sync --once`` in its own
process, over HTTP, against the hub served by Django's live server on PostgreSQL)."""
import sqlite3

import pytest

from hub.ingest.models import ReadingCount, Record
from tests.hub.conftest import outbox_states as _outbox, run_kiosk as _kiosk

pytestmark = pytest.mark.django_db(transaction=True)


def test_kiosk_sync_once_delivers_everything_once_and_reports_its_health(demo_kiosk):
    config, db, kiosk = demo_kiosk
    waiting = _outbox(db)["pending"]
    assert waiting > 100
    done = _kiosk("sync", "--once", config=config)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _outbox(db) == {"sent": waiting}
    assert Record.objects.filter(kiosk=kiosk).count() == waiting
    kiosk.refresh_from_db()
    assert kiosk.last_heartbeat_at is not None and kiosk.version
    assert kiosk.queue_pending == 0 and abs(kiosk.clock_offset_s) < 60
    assert kiosk.printer_status in ("ok", "none")

    # A loan at the kiosk, pushed: the hub counts it in the class's month.
    with sqlite3.connect(db) as conn:
        student, = conn.execute("SELECT code FROM patron WHERE kind='student' AND code NOT IN "
                                "(SELECT p.code FROM patron p JOIN loan l ON l.patron_id=p.id "
                                "WHERE l.returned_at IS NULL) LIMIT 1").fetchone()
        book, = conn.execute("SELECT barcode FROM copy WHERE status='available' AND store='TK' "
                             "LIMIT 1").fetchone()
    before = sum(ReadingCount.objects.values_list("loans", flat=True))
    borrowed = _kiosk("borrow", student, book, config=config)
    assert borrowed.returncode == 0, borrowed.stdout + borrowed.stderr
    assert _kiosk("sync", "--once", config=config).returncode == 0
    assert sum(ReadingCount.objects.values_list("loans", flat=True)) == before + 1
    assert Record.objects.filter(kiosk=kiosk).count() == waiting + 1


def test_a_batch_sent_again_is_answered_duplicate_and_stored_once(demo_kiosk):
    config, db, kiosk = demo_kiosk
    assert _kiosk("sync", "--once", config=config).returncode == 0
    stored = Record.objects.count()
    with sqlite3.connect(db) as conn:  # as if the kiosk died before recording the answers
        conn.execute("UPDATE outbox SET state='pending' WHERE id IN "
                     "(SELECT id FROM outbox ORDER BY id LIMIT 250)")
    done = _kiosk("sync", "--once", config=config)
    assert done.returncode == 0
    assert _outbox(db).get("pending", 0) == 0
    assert Record.objects.count() == stored


def test_a_revoked_token_stops_the_kiosk_and_keeps_its_records(demo_kiosk):
    from hub.ingest.tokens import revoke_tokens

    config, db, kiosk = demo_kiosk
    revoke_tokens(kiosk)
    done = _kiosk("sync", "--once", config=config)
    assert done.returncode == 3  # the kiosk's "credentials refused"
    assert "sent" not in _outbox(db) and not Record.objects.exists()
