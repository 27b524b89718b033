"""The sync's own bookkeeping in the ``sync_state`` key/value table, shared by every worker."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from db.queries import sync_state

LAST_SUCCESS_AT = "last_success_at"
LAST_ATTEMPT_AT = "last_attempt_at"
LAST_ERROR = "last_error"
LAST_ERROR_AT = "last_error_at"
#: The last error as a catalog message: its key (``sync.error_<key>``) and values (JSON).
LAST_ERROR_KEY = "last_error_key"
LAST_ERROR_VALUES = "last_error_values"
FAILURES = "consecutive_failures"
NEXT_ATTEMPT_AT = "next_attempt_at"
AUTH_FAILED = "auth_failed"
AUTH_MARK = "auth_failed_mark"


def error_values(exc) -> dict[str, str]:
    """What to store of a :class:`~kiosk.sync.connector.SyncError`: its detail (English, for
    diagnosis) and its catalog key and values (for people)."""
    return {LAST_ERROR: exc.detail, LAST_ERROR_KEY: exc.key or None,
            LAST_ERROR_VALUES: json.dumps(exc.values, ensure_ascii=False) if exc.key else None}


#: Writing these (as ``None``) forgets the last error: a success clears it.
NO_ERROR = {LAST_ERROR: None, LAST_ERROR_AT: None, LAST_ERROR_KEY: None, LAST_ERROR_VALUES: None}


def read_all() -> dict[str, str]:
    """Every key and value."""
    return sync_state.read_all()


def write(values: dict[str, str | None], now: datetime) -> None:
    """Set (or, for ``None``, delete) several keys; call inside a write transaction."""
    sync_state.write(values, now.astimezone(timezone.utc).replace(tzinfo=None))


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
