"""Contract v1.1's heartbeat: a kiosk's health, kept on its ``Kiosk`` row."""
from __future__ import annotations

from datetime import datetime

from hub.ingest.contract import BatchError, nfc, parse_moment
from hub.schools.models import Kiosk

PRINTER_STATES = ("ok", "paper_out", "disconnected", "unavailable", "timeout", "error", "none",
                  "unknown")


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def record_heartbeat(kiosk: Kiosk, body, now: datetime) -> dict:
    """Keep what a heartbeat says; returns the answer (with the measured clock offset).

    Raises :class:`BatchError` when the body is not a heartbeat."""
    if not isinstance(body, dict):
        raise BatchError("the body must be an object")
    sent_at = parse_moment(body.get("sent_at"))
    if sent_at is None:
        raise BatchError("sent_at must be ISO 8601 with an offset")
    queue = body.get("queue") if isinstance(body.get("queue"), dict) else {}
    devices = body.get("devices") if isinstance(body.get("devices"), dict) else {}
    printer = devices.get("printer") if isinstance(devices.get("printer"), dict) else {}
    status = nfc(printer.get("status")) or "unknown"
    if status not in PRINTER_STATES:
        status = "error"
    scanners = [{"name": nfc(s.get("name"))[:60], "status": nfc(s.get("status"))[:40],
                 "detail": nfc(s.get("detail"))[:200]}
                for s in devices.get("scanners", []) if isinstance(s, dict)][:10]
    offset = round((sent_at - now).total_seconds(), 1)
    kiosk.last_heartbeat_at = now
    kiosk.version = nfc(body.get("version"))[:40]
    kiosk.queue_pending = _count(queue.get("pending"))
    kiosk.queue_dead = _count(queue.get("dead"))
    kiosk.oldest_pending_at = parse_moment(queue.get("oldest_pending_at"))
    kiosk.last_push_at = parse_moment(body.get("last_push_at"))
    kiosk.clock_offset_s = offset
    kiosk.printer_status = status
    kiosk.paper_out = status == "paper_out" or printer.get("paper_out") is True
    kiosk.scanners = scanners
    kiosk.heartbeat = {k: v for k, v in body.items() if k not in ("school_code", "kiosk_id")}
    kiosk.save(update_fields=["last_heartbeat_at", "version", "queue_pending", "queue_dead",
                              "oldest_pending_at", "last_push_at", "clock_offset_s",
                              "printer_status", "paper_out", "scanners", "heartbeat"])
    return {"status": "ok", "server_time": now.isoformat(timespec="seconds"),
            "clock_offset_s": offset}
