"""The outbox as the sync worker sees it: batches of :class:`Record`, answers recorded."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Sequence

from db.queries import outbox
from kiosk.sync.connector import Record, RecordResult

NO_ANSWER = "the receiver gave no answer for this record"


def pending_batch(limit: int) -> list[Record]:
    """Up to ``limit`` pending records, oldest first (by outbox row id, the order of writing)."""
    return [Record(id=row.record_id, type=row.type, occurred_at=row.occurred_at,
                   data_json=row.data_json) for row in outbox.pending_batch(limit)]


def apply_results(batch: Sequence[Record], results: Sequence[RecordResult], now: datetime
                  ) -> tuple[int, int, int, int]:
    """Mark a batch by the receiver's answer; call inside one write transaction.

    Delivered records (``accepted``/``duplicate``) become ``sent``; ``rejected`` ones ``dead``
    with the reason; records the answer left out stay pending and are sent again later.
    Answers for ids not in the batch are ignored. Returns (accepted, duplicate, rejected, missing).
    """
    sent_at = now.astimezone(timezone.utc).replace(tzinfo=None)
    return outbox.apply_results([record.id for record in batch],
                                ((r.id, r.status, r.reason) for r in results), sent_at,
                                NO_ANSWER)


def note_failure(batch: Sequence[Record], error: str) -> None:
    """Count a failed attempt on every record of a batch (they stay pending)."""
    outbox.note_failure([record.id for record in batch], error)


def requeue_dead(record_ids: Sequence[str] | None = None) -> int:
    """Put dead letters back in the queue (all, or the given ids) after staff fixed them."""
    return outbox.requeue_dead(record_ids)
