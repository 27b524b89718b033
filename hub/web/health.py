"""A kiosk's health from its last heartbeat and push: green, late or silent, and its problems
(paper out, clock off, records waiting too long, rejected records)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

GREEN, LATE, SILENT = "green", "late", "silent"
RANK = {GREEN: 0, LATE: 1, SILENT: 2}


@dataclass
class Health:
    """What the schools page shows for one kiosk."""

    state: str
    last_seen: datetime | None
    problems: list[str] = field(default_factory=list)


def kiosk_health(kiosk, now: datetime, config) -> Health:
    """Green: heard from within ``late_after_min`` and nothing waiting too long; late: heard
    from within ``silent_after_h`` (or records wait longer than ``queue_late_after_h``);
    silent: nothing for longer, or never."""
    seen = [m for m in (kiosk.last_heartbeat_at, kiosk.last_records_at) if m]
    last = max(seen) if seen else None
    problems = []
    if kiosk.paper_out:
        problems.append("paper_out")
    elif kiosk.printer_status and kiosk.printer_status not in ("ok", "none", "unknown"):
        problems.append("printer")
    if any(s.get("status") not in ("connected", "ok", "") for s in kiosk.scanners or []):
        problems.append("scanner")
    if kiosk.clock_offset_s is not None and abs(kiosk.clock_offset_s) > config.clock_tolerance_s:
        problems.append("clock")
    queue_old = (kiosk.oldest_pending_at is not None and kiosk.queue_pending and
                 now - kiosk.oldest_pending_at > timedelta(hours=config.queue_late_after_h))
    if queue_old:
        problems.append("queue")
    if kiosk.queue_dead:
        problems.append("dead")
    if last is None or now - last > timedelta(hours=config.silent_after_h):
        state = SILENT
    elif now - last > timedelta(minutes=config.late_after_min) or queue_old:
        state = LATE
    else:
        state = GREEN
    return Health(state=state, last_seen=last, problems=problems)
