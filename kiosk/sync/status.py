"""What staff see about the push: queue length, age, last success, last error, dead letters."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import peewee

from db.models import Outbox
from kiosk.clock import Clock
from kiosk.sync import state

DEAD_LETTERS_SHOWN = 200


@dataclass(frozen=True)
class DeadLetter:
    """A record the provincial system rejected; it waits for staff, with the reason."""

    record_id: str
    type: str
    occurred_at: str
    reason: str
    attempts: int
    #: The record's data (patron, item, lesson...), so staff can see what it was.
    data: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class SyncStatus:
    """A snapshot of the sync, for the screen and ``kiosk sync --status``."""

    pending: int
    oldest_pending_age_s: float | None
    last_success_at: datetime | None
    last_error: str
    last_error_at: datetime | None
    next_attempt_at: datetime | None
    auth_failed: bool
    dead_count: int
    #: The newest dead letters first, at most ``DEAD_LETTERS_SHOWN``.
    dead_letters: list[DeadLetter] = field(default_factory=list)

    @property
    def failing(self) -> bool:
        """The last attempt failed (a retry is scheduled or the credentials were refused)."""
        if self.auth_failed:
            return True
        if self.last_error_at is None:
            return False
        return self.last_success_at is None or self.last_error_at > self.last_success_at


def _loads(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def sync_status(db: peewee.SqliteDatabase, clock: Clock, dead_limit: int = DEAD_LETTERS_SHOWN
                ) -> SyncStatus:
    """Read the status in one read transaction (cheap: index lookups and a few rows)."""
    with db.atomic():
        pending = Outbox.select().where(Outbox.state == "pending").count()
        oldest = (Outbox.select(Outbox.occurred_at).where(Outbox.state == "pending")
                  .order_by(Outbox.id).limit(1).scalar())
        dead_count = Outbox.select().where(Outbox.state == "dead").count()
        dead_rows = (Outbox.select(Outbox.record_id, Outbox.type, Outbox.occurred_at,
                                   Outbox.last_error, Outbox.attempts, Outbox.data)
                     .where(Outbox.state == "dead").order_by(Outbox.id.desc())
                     .limit(dead_limit).tuples())
        dead = [DeadLetter(*row[:5], data=_loads(row[5])) for row in dead_rows]
        values = state.read_all()
    age = None
    if oldest:
        occurred = state.parse_stamp(oldest)
        if occurred is not None:
            age = max(0.0, (clock.now() - occurred).total_seconds())
    return SyncStatus(
        pending=pending,
        oldest_pending_age_s=age,
        last_success_at=state.parse_stamp(values.get(state.LAST_SUCCESS_AT)),
        last_error=values.get(state.LAST_ERROR, ""),
        last_error_at=state.parse_stamp(values.get(state.LAST_ERROR_AT)),
        next_attempt_at=state.parse_stamp(values.get(state.NEXT_ATTEMPT_AT)),
        auth_failed=values.get(state.AUTH_FAILED) == "1",
        dead_count=dead_count,
        dead_letters=dead,
    )
