"""POST /v1/records exactly as the contract says, on the real hub and PostgreSQL."""
import json
from datetime import date

import pytest

from hub.ingest.models import Record
from hub.ingest.tokens import revoke_tokens
from tests.hub.builders import KioskFeed, rid

DAY = date(2026, 10, 5)
pytestmark = pytest.mark.django_db


def test_accepted_then_duplicate_each_stored_once(client, feed):
    record, _ = feed.book_loan(DAY, "HS1", "6A1")
    assert feed.push(client, [record]) == {record["id"]: "accepted"}
    assert feed.push(client, [record]) == {record["id"]: "duplicate"}
    assert Record.objects.filter(id=record["id"]).count() == 1
    stored = Record.objects.get(id=record["id"])
    assert stored.data["patron_class"] == "6A1" and stored.school == feed.school


def test_one_result_per_record_in_request_order_and_duplicate_within_a_batch(client, feed):
    a, _ = feed.book_loan(DAY, "HS1", "6A1")
    b, _ = feed.book_loan(DAY, "HS2", "6A2")
    response = feed.post(client, feed.body([a, b, a]))
    assert [(r["id"], r["status"]) for r in response.json()["results"]] == [
        (a["id"], "accepted"), (b["id"], "accepted"), (a["id"], "duplicate")]


def test_broken_records_are_rejected_with_a_reason_and_not_stored(client, feed):
    good, _ = feed.book_loan(DAY, "HS1", "6A1")
    no_offset = dict(good, id=rid(), occurred_at="2026-10-05T09:00:00")
    not_object = dict(good, id=rid(), data=[1, 2])
    other_school = feed.record("loan.borrowed", {"loan_id": rid()}, good["occurred_at"])
    other_school["data"]["school_code"] = "HY-OTHER"
    no_loan_id = feed.record("loan.returned", {}, good["occurred_at"])
    results = {r["id"]: r for r in feed.post(client, feed.body(
        [good, no_offset, not_object, other_school, no_loan_id])).json()["results"]}
    assert results[good["id"]]["status"] == "accepted"
    for bad, words in [(no_offset, "offset"), (not_object, "object"),
                       (other_school, "school_code"), (no_loan_id, "loan_id")]:
        assert results[bad["id"]]["status"] == "rejected"
        assert words in results[bad["id"]]["reason"]
        assert not Record.objects.filter(id=bad["id"]).exists()


def test_unknown_types_and_extra_fields_are_stored_and_acknowledged(client, feed):
    odd = feed.record("room.booked", {"room": "Phòng Lý", "whatever": {"x": 1}},
                      "2026-10-05T09:00:00+07:00")
    loan, _ = feed.book_loan(DAY, "HS1", "6A1")
    loan["data"]["new_field_from_the_future"] = [1, 2, 3]
    loan["extra_top_level"] = True
    assert set(feed.push(client, [odd, loan]).values()) == {"accepted"}
    assert Record.objects.get(id=odd["id"]).data["room"] == "Phòng Lý"
    assert Record.objects.get(id=loan["id"]).data["new_field_from_the_future"] == [1, 2, 3]


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer not-a-token", "Basic abc"])
def test_unknown_token_is_401(client, feed, header):
    record, _ = feed.book_loan(DAY, "HS1", "6A1")
    response = client.post("/v1/records", data=json.dumps(feed.body([record])),
                           content_type="application/json", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert not Record.objects.exists()


def test_revoked_token_is_401_and_a_new_one_works(client, feed):
    from hub.ingest.tokens import issue_token

    record, _ = feed.book_loan(DAY, "HS1", "6A1")
    revoke_tokens(feed.kiosk)
    assert feed.post(client, feed.body([record])).status_code == 401
    fresh = issue_token(feed.kiosk)
    assert feed.post(client, feed.body([record]), token=fresh).status_code == 200


def test_token_of_another_kiosk_is_403(client, feed, feed_b):
    record, _ = feed.book_loan(DAY, "HS1", "6A1")
    response = feed.post(client, feed.body([record]), token=feed_b.token)
    assert response.status_code == 403
    assert not Record.objects.exists()


def test_tokens_are_stored_hashed(feed):
    from hub.schools.models import KioskToken

    stored = KioskToken.objects.get(kiosk=feed.kiosk)
    assert feed.token not in (stored.digest, stored.hint) and len(stored.digest) == 64
    assert feed.token.startswith(stored.hint)


def test_not_json_and_not_a_batch_are_400(client, feed):
    bad = client.post("/v1/records", data=b"{nope", content_type="application/json",
                      HTTP_AUTHORIZATION=f"Bearer {feed.token}")
    assert bad.status_code == 400
    body = {"school_code": feed.school_code, "kiosk_id": feed.kiosk_id, "records": "x"}
    assert feed.post(client, body).status_code == 400


def test_too_many_records_is_400_and_nothing_stored(client, feed, hub_config):
    hub_config(ingest={"max_records_per_batch": 3})
    records = [feed.book_loan(DAY, f"HS{i}", "6A1")[0] for i in range(4)]
    response = feed.post(client, feed.body(records))
    assert response.status_code == 400 and "at most 3" in response.json()["error"]
    assert not Record.objects.exists()


def test_busy_hub_answers_503_with_retry_after_and_stores_nothing(client, feed, hub_config):
    hub_config(ingest={"max_concurrent_batches": 0, "retry_after_s": 7})
    record, _ = feed.book_loan(DAY, "HS1", "6A1")
    response = feed.post(client, feed.body([record]))
    assert response.status_code == 503
    assert 7 <= int(response["Retry-After"]) <= 10
    assert not Record.objects.exists()


def test_a_slot_held_by_another_transaction_makes_the_next_batch_wait(feed, hub_config):
    """Two connections: one holds the only slot (an open transaction), the other is told 503."""
    import threading

    from django.db import connection, transaction

    from hub.ingest.gate import Busy, take_slot

    held, release = threading.Event(), threading.Event()

    def holder():
        with transaction.atomic():
            take_slot(1)
            held.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(10)
        with pytest.raises(Busy):
            with transaction.atomic():
                take_slot(1)
    finally:
        release.set()
        thread.join()
    with transaction.atomic():
        take_slot(1)  # free again once the holder committed


def test_get_is_405(client, feed):
    response = client.get("/v1/records", HTTP_AUTHORIZATION=f"Bearer {feed.token}")
    assert response.status_code == 405


def test_heartbeat_keeps_the_kiosks_health_and_measures_its_clock(client, feed):
    from datetime import datetime, timedelta, timezone

    ahead = datetime.now(timezone.utc) + timedelta(minutes=10)
    body = {"school_code": feed.school_code, "kiosk_id": feed.kiosk_id,
            "sent_at": ahead.isoformat(), "version": "0.3.1",
            "queue": {"pending": 12, "dead": 1, "oldest_pending_at": "2026-10-05T08:00:00+07:00"},
            "last_push_at": "2026-10-05T08:30:00+07:00",
            "devices": {"printer": {"status": "paper_out", "paper_out": True},
                        "scanners": [{"name": "usb", "status": "connected"}]},
            "future_field": 1}
    response = feed.post(client, body, path="/v1/heartbeat")
    assert response.status_code == 200
    assert 590 < response.json()["clock_offset_s"] < 610
    feed.kiosk.refresh_from_db()
    assert (feed.kiosk.version, feed.kiosk.queue_pending, feed.kiosk.queue_dead) == ("0.3.1", 12, 1)
    assert feed.kiosk.paper_out and feed.kiosk.printer_status == "paper_out"
    assert feed.kiosk.scanners == [{"name": "usb", "status": "connected", "detail": ""}]
    assert feed.kiosk.oldest_pending_at.isoformat() == "2026-10-05T01:00:00+00:00"


def test_heartbeat_needs_the_kiosks_own_token_and_a_time(client, feed, feed_b):
    body = {"school_code": feed.school_code, "kiosk_id": feed.kiosk_id,
            "sent_at": "2026-10-05T08:00:00+07:00"}
    assert feed.post(client, body, token=feed_b.token, path="/v1/heartbeat").status_code == 403
    assert feed.post(client, body, token="x", path="/v1/heartbeat").status_code == 401
    assert feed.post(client, dict(body, sent_at="yesterday"),
                     path="/v1/heartbeat").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_a_batch_rolled_back_on_a_new_connection_does_not_break_the_next():
    """The records go through a temporary staging table made once per connection: a first
    batch rolled back takes the table with it, and the next batch makes it again."""
    from django.db import connection, transaction
    from django.utils import timezone

    from hub.ingest.contract import read_batch
    from hub.ingest.models import Record
    from hub.ingest.store import store_records

    feed = KioskFeed.create("HY-THCS-R", "Trường R", "kiosk-r1")
    kiosk = type(feed.kiosk).objects.select_related("school").get(pk=feed.kiosk.pk)
    day = date(2026, 10, 5)
    first = [feed.book_loan(day, f"HS{n}", "6A1")[0] for n in range(3)]
    second = [feed.book_loan(day, f"HS{n}", "6A2")[0] for n in range(3, 5)]

    def batch(records):
        return read_batch(feed.body(records), feed.school_code, feed.kiosk_id, 1000)[0]

    connection.close()  # a fresh connection: its staging table is not made yet
    with pytest.raises(RuntimeError), transaction.atomic():
        store_records(kiosk, batch(first), timezone.now())
        raise RuntimeError("the batch fails after its records were staged")
    with transaction.atomic():
        assert store_records(kiosk, batch(second), timezone.now()) == {r["id"] for r in second}
    with transaction.atomic():  # and again on the same connection, the table now known
        assert store_records(kiosk, batch(first), timezone.now()) == {r["id"] for r in first}
    assert Record.objects.count() == 5
