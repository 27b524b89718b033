"""The kiosk's heartbeat (contract v1.1): what it says, and that a v1-only receiver (the
stand-in answers 404) neither breaks the sync nor gets asked again for an hour."""
from kiosk.presenters.ports import DeviceState
from kiosk.sync.heartbeat import HeartbeatSender, heartbeat_body, heartbeat_from_config
from tests.sync.helpers import fill_outbox


def test_the_body_says_queue_version_devices_and_clock(sync_context):
    fill_outbox(sync_context.db, sync_context.clock, 3)
    paper_out = "preview: Máy in hết giấy. Hãy báo cán bộ thư viện."

    def devices():
        return [DeviceState("printer", False, paper_out),
                DeviceState("scanner:usb", True, "connected")]
    body = heartbeat_body(sync_context, devices)
    assert body["school_code"] == sync_context.config.school.code
    assert body["kiosk_id"] == sync_context.kiosk_id
    assert body["queue"]["pending"] == 3 and body["queue"]["dead"] == 0
    assert body["queue"]["oldest_pending_at"] is not None
    assert body["sent_at"][-6:] in ("+07:00", "+00:00")  # the kiosk's clock, with its offset
    assert body["devices"]["printer"]["status"] == "paper_out"
    assert body["devices"]["printer"]["paper_out"] is True
    assert body["devices"]["scanners"] == [{"name": "usb", "status": "connected",
                                            "detail": "connected"}]
    assert body["version"]


def test_a_receiver_without_heartbeats_is_left_alone_and_the_push_goes_on(sync_context, worker,
                                                                           standin_client):
    sender = heartbeat_from_config(sync_context)
    assert isinstance(sender, HeartbeatSender)
    worker.heartbeat = sender
    fill_outbox(sync_context.db, sync_context.clock, 5)
    report = worker.run_once()
    assert report.delivered == 5
    assert sender.last_answer is None  # 404 from the stand-in
    assert sender.maybe_send() is False  # not asked again before the pause is over
    assert standin_client.stats()["records"] == 5
