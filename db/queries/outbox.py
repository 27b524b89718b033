"""The outbox: records the provincial systems must receive, retried until acknowledged."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Sequence

from db.queries import execute, fetch_all, fetch_one

#: Older SQLite builds allow 999 bound variables; stay well under it.
_CHUNK = 500

PENDING, SENT, DEAD = "pending", "sent", "dead"
DELIVERED = ("accepted", "duplicate")


@dataclass(frozen=True)
class PendingRecord:
    """A record waiting to be sent, as stored (``data_json`` is sent as it is)."""

    record_id: str
    type: str
    occurred_at: str
    data_json: str


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
class Counts:
    """The queue at a glance."""

    pending: int
    dead: int
    oldest_pending: str | None  # occurred_at of the oldest pending record


def enqueue(record_id: str, record_type: str, occurred_at: str, data_json: str,
            action_ref: str = "") -> None:
    """Queue one record (inside the action's transaction)."""
    execute("INSERT INTO outbox (record_id, type, occurred_at, data, state, attempts, last_error,"
            " action_ref) VALUES (?, ?, ?, ?, 'pending', 0, '', ?)",
            (record_id, record_type, occurred_at, data_json, action_ref))


def pending_batch(limit: int) -> list[PendingRecord]:
    """Up to ``limit`` pending records, oldest first (by row id, the order of writing)."""
    rows = fetch_all("SELECT record_id, type, occurred_at, data FROM outbox WHERE state = ? "
                     "ORDER BY id LIMIT ?", (PENDING, limit))
    return [PendingRecord(*row) for row in rows]


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _mark(ids: Sequence[str], state: str | None, error: str, sent_at: datetime | None = None
          ) -> int:
    changed = 0
    for chunk in _chunks(list(ids)):
        marks = ", ".join("?" * len(chunk))
        if state is None:
            sql = (f"UPDATE outbox SET attempts = attempts + 1, last_error = ? "
                   f"WHERE state = 'pending' AND record_id IN ({marks})")
            params = (error, *chunk)
        else:
            sql = (f"UPDATE outbox SET attempts = attempts + 1, state = ?, last_error = ?, "
                   f"sent_at = COALESCE(?, sent_at) "
                   f"WHERE state = 'pending' AND record_id IN ({marks})")
            params = (state, error, sent_at, *chunk)
        changed += execute(sql, params).rowcount
    return changed


def apply_results(batch_ids: Sequence[str], results: Iterable[tuple[str, str, str]],
                  sent_at: datetime, no_answer: str) -> tuple[int, int, int, int]:
    """Mark a batch by the receiver's answer ``(record_id, status, reason)``; call inside one
    write transaction. Delivered records (``accepted``/``duplicate``) become sent; rejected ones
    dead with the reason; records the answer left out stay pending with ``no_answer``. Answers
    for ids not in the batch are ignored. Returns (accepted, duplicate, rejected, missing)."""
    in_batch = set(batch_ids)
    by_id: dict[str, tuple[str, str]] = {}
    for record_id, status, reason in results:
        if record_id in in_batch:
            by_id.setdefault(record_id, (status, reason))
    delivered = [rid for rid, (status, _) in by_id.items() if status in DELIVERED]
    accepted = sum(1 for status, _ in by_id.values() if status == "accepted")
    _mark(delivered, SENT, "", sent_at)
    by_reason: dict[str, list[str]] = {}
    for rid, (status, reason) in by_id.items():
        if status == "rejected":
            by_reason.setdefault(reason or "rejected", []).append(rid)
    for reason, ids in by_reason.items():
        _mark(ids, DEAD, reason)
    missing = [rid for rid in batch_ids if rid not in by_id]
    _mark(missing, None, no_answer)
    rejected = sum(len(ids) for ids in by_reason.values())
    return accepted, len(delivered) - accepted, rejected, len(missing)


def note_failure(batch_ids: Sequence[str], error: str) -> None:
    """Count a failed attempt on every record of a batch (they stay pending)."""
    _mark(batch_ids, None, error[:500])


def requeue_dead(record_ids: Sequence[str] | None = None) -> int:
    """Put dead letters back in the queue (all, or the given ids) after staff fixed them."""
    if record_ids is None:
        return execute("UPDATE outbox SET state = 'pending', last_error = '' "
                       "WHERE state = 'dead'").rowcount
    changed = 0
    for chunk in _chunks(list(record_ids)):
        marks = ", ".join("?" * len(chunk))
        changed += execute(f"UPDATE outbox SET state = 'pending', last_error = '' "
                           f"WHERE state = 'dead' AND record_id IN ({marks})", chunk).rowcount
    return changed


def counts() -> Counts:
    """Pending and dead records, and when the oldest pending one happened (index lookups)."""
    pending = fetch_one("SELECT count(*) FROM outbox WHERE state = 'pending'")[0]
    dead = fetch_one("SELECT count(*) FROM outbox WHERE state = 'dead'")[0]
    oldest = fetch_one("SELECT occurred_at FROM outbox WHERE state = 'pending' "
                       "ORDER BY id LIMIT 1")
    return Counts(pending=pending, dead=dead, oldest_pending=oldest[0] if oldest else None)


def _loads(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def dead_letters(limit: int) -> list[DeadLetter]:
    """The newest dead letters first."""
    rows = fetch_all("SELECT record_id, type, occurred_at, last_error, attempts, data "
                     "FROM outbox WHERE state = 'dead' ORDER BY id DESC LIMIT ?", (limit,))
    return [DeadLetter(*row[:5], data=_loads(row[5])) for row in rows]


def records_of(action_ref: str) -> list[tuple[str, str, str]]:
    """(record id, type, state) of every record an action queued (an index lookup)."""
    return [tuple(row) for row in fetch_all(
        "SELECT record_id, type, state FROM outbox WHERE action_ref = ? ORDER BY id",
        (action_ref,))]
