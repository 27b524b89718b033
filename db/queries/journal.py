"""The journal: an append-only entry for every action (triggers refuse updates and deletes)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from db.queries import as_datetime, execute, fetch_all, fetch_one


@dataclass(frozen=True)
class JournalRow:
    """One journal entry."""

    id: int
    at: datetime
    kiosk_id: str
    actor: str
    action: str
    entity: str
    entity_key: str
    txn_ref: str
    before: dict | None
    after: dict | None
    reason: str


def append(*, at: datetime, kiosk_id: str, actor: str, action: str, entity: str,
           entity_key: str, txn_ref: str, before: str | None, after: str | None,
           reason: str) -> int:
    """Append one entry (``before``/``after`` already JSON); returns its id."""
    cursor = execute(
        "INSERT INTO journal (at, kiosk_id, actor, action, entity, entity_key, txn_ref, before,"
        " after, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (at, kiosk_id, actor, action, entity, entity_key, txn_ref, before, after, reason))
    return cursor.fetchone()[0]


def _loads(text: str | None) -> dict | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else {"value": value}


def by_ref(ref: str) -> list[JournalRow]:
    """Every entry of one action, by its reference (an index lookup), in order."""
    rows = fetch_all("SELECT id, at, kiosk_id, actor, action, entity, entity_key, txn_ref,"
                     " before, after, reason FROM journal WHERE txn_ref = ? ORDER BY id", (ref,))
    return [JournalRow(row[0], as_datetime(row[1]), *row[2:8], _loads(row[8]), _loads(row[9]),
                       row[10]) for row in rows]


def newest_time() -> datetime | None:
    """The time of the newest entry (the clock must not go back before it)."""
    row = fetch_one("SELECT MAX(at) FROM journal")
    return as_datetime(row[0]) if row else None
