"""What staff see about the push: queue length, age, last success, last error, dead letters."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from db import Database
from db.queries import outbox
from db.queries.outbox import DeadLetter
from db.tx import read_transaction
from kiosk.clock import Clock
from kiosk.sync import state

DEAD_LETTERS_SHOWN = 200


@dataclass(frozen=True)
class SyncStatus:
    """A snapshot of the sync, for the screen and ``kiosk sync --status``."""

    pending: int = 0
    oldest_pending_age_s: float | None = None
    last_success_at: datetime | None = None
    last_error: str = ""
    last_error_at: datetime | None = None
    next_attempt_at: datetime | None = None
    auth_failed: bool = False
    dead_count: int = 0
    #: The newest dead letters first, at most ``DEAD_LETTERS_SHOWN``.
    dead_letters: list[DeadLetter] = field(default_factory=list)
    #: False when no provincial endpoint is set: records wait for an export or a later push.
    configured: bool = True

    @property
    def dead(self) -> int:
        """How many records the province rejected (they wait for staff)."""
        return self.dead_count

    @property
    def level(self) -> str:
        """The home indicator's colour: ``error`` (dead letters, or the last push failed),
        ``waiting`` (not connected, or records queued for more than ten minutes) or ``ok``."""
        if self.dead_count or self.failing:
            return "error"
        if not self.configured:
            return "waiting"
        if self.pending and (self.oldest_pending_age_s or 0) > 600:
            return "waiting"
        return "ok"

    @property
    def failing(self) -> bool:
        """The last attempt failed (a retry is scheduled or the credentials were refused)."""
        if self.auth_failed:
            return True
        if self.last_error_at is None:
            return False
        return self.last_success_at is None or self.last_error_at > self.last_success_at


def sync_status(db: Database, clock: Clock, dead_limit: int = DEAD_LETTERS_SHOWN,
                configured: bool = True) -> SyncStatus:
    """Read the status in one read transaction (cheap: index lookups and a few rows)."""
    with read_transaction(db):
        counts = outbox.counts()
        dead = outbox.dead_letters(dead_limit)
        values = state.read_all()
    pending, oldest, dead_count = counts.pending, counts.oldest_pending, counts.dead
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
        configured=configured,
    )
