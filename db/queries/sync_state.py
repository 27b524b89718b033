"""The sync's own bookkeeping: a key/value table shared by every worker."""
from __future__ import annotations

from datetime import datetime

from db.queries import execute, fetch_all


def read_all() -> dict[str, str]:
    """Every key and value."""
    return dict(fetch_all("SELECT key, value FROM sync_state"))


def write(values: dict[str, str | None], at: datetime) -> None:
    """Set (or, for ``None``, delete) several keys; ``at`` is naive UTC. Call inside a write
    transaction."""
    for key, value in values.items():
        if value is None:
            execute("DELETE FROM sync_state WHERE key = ?", (key,))
        else:
            execute("INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                    "updated_at = excluded.updated_at", (key, value, at))
