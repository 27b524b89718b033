"""What staff see about the push: queue length, age, last success, last error, dead letters."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from db import Database
from db.queries import outbox
from db.queries.outbox import DeadLetter
from db.tx import read_transaction
from kiosk.clock import Clock
from kiosk.i18n import t as default_t
from kiosk.sync import state

DEAD_LETTERS_SHOWN = 200


@dataclass(frozen=True)
class SyncStatus:
    """A snapshot of the sync, for the screen and ``kiosk sync --status``."""

    pending: int = 0
    oldest_pending_age_s: float | None = None
    last_success_at: datetime | None = None
    #: The last failure as the catalog message ``sync.error_<key>`` with its values (cleared
    #: by the next success); the detail is the English diagnosis kept for logs.
    last_error_key: str = ""
    last_error_values: dict = field(default_factory=dict)
    last_error_detail: str = ""
    last_error_at: datetime | None = None
    next_attempt_at: datetime | None = None
    auth_failed: bool = False
    dead_count: int = 0
    #: The newest dead letters first, at most ``DEAD_LETTERS_SHOWN``.
    dead_letters: list[DeadLetter] = field(default_factory=list)
    #: False when no provincial endpoint is set: records wait for an export or a later push.
    configured: bool = True

    @property
    def last_error(self) -> str:
        """The last failure in words, in the current language ("" when there is none)."""
        return self.error_text(default_t)

    def error_text(self, t: Callable[..., str] = default_t) -> str:
        """The last failure in words through ``t``."""
        if self.last_error_key:
            return t(f"sync.error_{self.last_error_key}", **self.last_error_values)
        return self.last_error_detail

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
        last_error_key=values.get(state.LAST_ERROR_KEY, ""),
        last_error_values=_error_values(values),
        last_error_detail=values.get(state.LAST_ERROR, ""),
        last_error_at=state.parse_stamp(values.get(state.LAST_ERROR_AT)),
        next_attempt_at=state.parse_stamp(values.get(state.NEXT_ATTEMPT_AT)),
        auth_failed=values.get(state.AUTH_FAILED) == "1",
        dead_count=dead_count,
        dead_letters=dead,
        configured=configured,
    )


def _error_values(values: dict[str, str]) -> dict:
    try:
        found = json.loads(values.get(state.LAST_ERROR_VALUES) or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def stored_error_text(values: dict[str, str], t: Callable[..., str] = default_t) -> str:
    """The last failure kept in the sync state (``state.read_all()``), in words."""
    key = values.get(state.LAST_ERROR_KEY)
    if key:
        return t(f"sync.error_{key}", **_error_values(values))
    return values.get(state.LAST_ERROR, "")
