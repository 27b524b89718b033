"""The sync's own bookkeeping in the ``sync_state`` key/value table, shared by every worker."""
from __future__ import annotations

from datetime import datetime, timezone

from db.models import SyncState

LAST_SUCCESS_AT = "last_success_at"
LAST_ATTEMPT_AT = "last_attempt_at"
LAST_ERROR = "last_error"
LAST_ERROR_AT = "last_error_at"
FAILURES = "consecutive_failures"
NEXT_ATTEMPT_AT = "next_attempt_at"
AUTH_FAILED = "auth_failed"
AUTH_MARK = "auth_failed_mark"


def read_all() -> dict[str, str]:
    """Every key and value."""
    return {row.key: row.value for row in SyncState.select(SyncState.key, SyncState.value)}


def write(values: dict[str, str | None], now: datetime) -> None:
    """Set (or, for ``None``, delete) several keys; call inside a transaction."""
    stamp = now.astimezone(timezone.utc).replace(tzinfo=None)
    for key, value in values.items():
        if value is None:
            SyncState.delete().where(SyncState.key == key).execute()
        else:
            (SyncState.insert(key=key, value=value, updated_at=stamp)
             .on_conflict(conflict_target=[SyncState.key],
                          update={SyncState.value: value, SyncState.updated_at: stamp})
             .execute())


def stamp(moment: datetime) -> str:
    """How a moment is stored: ISO 8601 in UTC with its offset."""
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def parse_stamp(value: str | None) -> datetime | None:
    """A stored moment back as an aware datetime (None when absent or unreadable)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
