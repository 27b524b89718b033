"""Writing the journal and the outbox: the two rows every action adds beside its state change.

Callers run these inside the same ``db.atomic()`` block as the state change.
"""
from __future__ import annotations

import json
from datetime import datetime

from db.ids import uuid7
from db.models import Journal, Outbox


def _dump(value) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def write_journal(*, at: datetime, kiosk_id: str, actor: str, action: str, entity: str = "",
                  entity_key: str = "", txn_ref: str = "", before: dict | None = None,
                  after: dict | None = None, reason: str = "") -> Journal:
    """Append one journal entry (who did what, when, where, before and after)."""
    return Journal.create(at=at, kiosk_id=kiosk_id, actor=actor, action=action, entity=entity,
                          entity_key=entity_key, txn_ref=txn_ref, before=_dump(before),
                          after=_dump(after), reason=reason)


def enqueue_record(*, type: str, occurred_at: str, data: dict, record_id: str | None = None) -> str:
    """Add one record for the provincial systems; returns its stable id."""
    record_id = record_id or uuid7()
    Outbox.create(record_id=record_id, type=type, occurred_at=occurred_at, data=_dump(data))
    return record_id
