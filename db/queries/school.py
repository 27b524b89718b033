"""The school this database belongs to and the kiosks that have written to it."""
from __future__ import annotations

from datetime import datetime

from db.queries import execute, fetch_one


def register_identity(*, code: str, name: str, kiosk_id: str, kiosk_name: str,
                      at: datetime) -> None:
    """Make sure the school row (with the configured code and name) and this kiosk's row
    exist; call inside a write transaction."""
    row = fetch_one("SELECT code, name FROM school WHERE id = 1")
    if row is None:
        # Two kiosks starting at once on a new server both find no row: the second one's
        # insert becomes an update instead of failing its start.
        execute("INSERT INTO school (id, code, name, level) VALUES (1, ?, ?, '') "
                "ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name",
                (code, name))
    elif tuple(row) != (code, name):
        execute("UPDATE school SET code = ?, name = ? WHERE id = 1", (code, name))
    execute("INSERT INTO kiosk (kiosk_id, name, first_seen_at) VALUES (?, ?, ?) "
            "ON CONFLICT (kiosk_id) DO NOTHING", (kiosk_id, kiosk_name, at))


def set_level(level: str) -> None:
    """The school's level (tiểu học, THCS...)."""
    execute("UPDATE school SET level = ? WHERE id = 1", (level,))
