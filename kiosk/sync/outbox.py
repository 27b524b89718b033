"""Reading pending outbox rows a batch at a time and recording what the receiver answered."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Sequence

from db.models import Outbox
from kiosk.sync.connector import Record, RecordResult

#: SQLite's older builds allow 999 bound variables; stay well under it.
_CHUNK = 500

NO_ANSWER = "the receiver gave no answer for this record"


def pending_batch(limit: int) -> list[Record]:
    """Up to ``limit`` pending records, oldest first (by outbox row id, the order of writing)."""
    rows = (Outbox.select(Outbox.record_id, Outbox.type, Outbox.occurred_at, Outbox.data)
            .where(Outbox.state == "pending").order_by(Outbox.id).limit(limit).tuples())
    return [Record(id=rid, type=rtype, occurred_at=occurred, data_json=data)
            for rid, rtype, occurred, data in rows]


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _update(ids: Sequence[str], **values) -> int:
    changed = 0
    for chunk in _chunks(list(ids)):
        changed += (Outbox.update(attempts=Outbox.attempts + 1, **values)
                    .where(Outbox.record_id.in_(chunk), Outbox.state == "pending").execute())
    return changed


def apply_results(batch: Sequence[Record], results: Sequence[RecordResult], now: datetime
                  ) -> tuple[int, int, int, int]:
    """Mark a batch by the receiver's answer; call inside one transaction.

    Delivered records (``accepted``/``duplicate``) become ``sent``; ``rejected`` ones ``dead``
    with the reason; records the answer left out stay pending and are sent again later.
    Answers for ids not in the batch are ignored. Returns (accepted, duplicate, rejected, missing).
    """
    sent_at = now.astimezone(timezone.utc).replace(tzinfo=None)
    in_batch = {record.id for record in batch}
    by_id: dict[str, RecordResult] = {}
    for result in results:
        if result.id in in_batch:
            by_id.setdefault(result.id, result)
    delivered = [rid for rid, r in by_id.items() if r.delivered]
    accepted = sum(1 for r in by_id.values() if r.status == "accepted")
    _update(delivered, state="sent", sent_at=sent_at, last_error="")
    rejected = [r for r in by_id.values() if r.status == "rejected"]
    by_reason: dict[str, list[str]] = {}
    for result in rejected:
        by_reason.setdefault(result.reason or "rejected", []).append(result.id)
    for reason, ids in by_reason.items():
        _update(ids, state="dead", last_error=reason)
    missing = [rid for rid in in_batch if rid not in by_id]
    _update(missing, last_error=NO_ANSWER)
    return accepted, len(delivered) - accepted, len(rejected), len(missing)


def note_failure(batch: Sequence[Record], error: str) -> None:
    """Count a failed attempt on every record of a batch (they stay pending)."""
    _update([record.id for record in batch], last_error=error[:500])


def requeue_dead(record_ids: Sequence[str] | None = None) -> int:
    """Put dead letters back in the queue (all, or the given ids) after staff fixed them."""
    query = Outbox.update(state="pending", last_error="").where(Outbox.state == "dead")
    if record_ids is not None:
        if not record_ids:
            return 0
        changed = 0
        for chunk in _chunks(list(record_ids)):
            changed += (Outbox.update(state="pending", last_error="")
                        .where(Outbox.state == "dead", Outbox.record_id.in_(chunk)).execute())
        return changed
    return query.execute()
