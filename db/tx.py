"""Transactions: every write takes the write lock up front; every user action is one transaction
holding its state change, its journal entries and its outbox records, with its reference.

Why up front: in WAL mode a deferred transaction that reads and then writes fails at once
(SQLITE_BUSY, the busy timeout never applies) when another connection commits in between. A
transaction that takes the lock when it begins waits its turn instead, up to the busy timeout;
past it, the driver's "database is locked" error is the caller's clear refusal.

Only this module opens transactions (a test checks that nothing outside ``db/`` calls
``atomic()``).
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator

import peewee

from db.connection import database
from db.engine import engine_of
from db.errors import IncompleteAction
from db.ids import short_ref, uuid7


def _db(db: peewee.Database | None) -> peewee.Database:
    return db if db is not None else database.obj


@contextmanager
def write_transaction(db: peewee.Database | None = None) -> Iterator[peewee.Database]:
    """A transaction that holds the write lock from its first statement (a savepoint when
    already inside one). Any exception rolls everything back."""
    db = _db(db)
    with engine_of(db).begin_write(db):
        yield db


@contextmanager
def read_transaction(db: peewee.Database | None = None) -> Iterator[peewee.Database]:
    """A read-only snapshot: several queries that see the same committed state."""
    db = _db(db)
    with db.atomic():
        yield db


def dump(value) -> str | None:
    """JSON for the journal's before/after and the outbox's data (NFC text, sorted keys)."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@dataclass(frozen=True)
class Who:
    """Who acts, where and when: the frame of one action's journal entries and records."""

    kiosk_id: str
    actor: str
    at: datetime  # naive UTC, as stored
    occurred_at: str  # ISO 8601 with the local offset, as the provincial records carry it


@dataclass
class Action:
    """One user action being written: its reference, journal entries and outbox records."""

    who: Who
    ref: str
    journal_ids: list[int] = field(default_factory=list)
    record_ids: list[str] = field(default_factory=list)

    def journal(self, action: str, *, entity: str = "", entity_key: str = "",
                before: dict | None = None, after: dict | None = None, reason: str = "",
                actor: str | None = None) -> None:
        """Append a journal entry of this action (who did what, before and after)."""
        from db.queries import journal
        self.journal_ids.append(journal.append(
            at=self.who.at, kiosk_id=self.who.kiosk_id,
            actor=self.who.actor if actor is None else actor, action=action, entity=entity,
            entity_key=entity_key, txn_ref=self.ref, before=dump(before), after=dump(after),
            reason=reason))

    def record(self, record_type: str, data: dict) -> str:
        """Queue a record for the provincial systems; returns its stable id. The record carries
        this action's reference as ``action_ref``."""
        from db.queries import outbox
        record_id = uuid7()
        outbox.enqueue(record_id, record_type, self.who.occurred_at,
                       dump({**data, "action_ref": self.ref}), self.ref)
        self.record_ids.append(record_id)
        return record_id


@contextmanager
def action(who: Who, ref: str | None = None, *, prefix: str = "GD", records: bool = True,
           db: peewee.Database | None = None) -> Iterator[Action]:
    """One user action in one write transaction.

    The reference is made here, inside the transaction, unless the action continues an earlier
    one (a borrow session's second book keeps the session's reference). Leaving the block
    without a journal entry, or (``records=True``) without an outbox record, is a programming
    error: :class:`IncompleteAction` is raised and nothing is written.
    """
    with write_transaction(db):
        current = Action(who=who, ref=ref or short_ref(prefix))
        yield current
        if not current.journal_ids:
            raise IncompleteAction(f"action {current.ref} wrote no journal entry")
        if records and not current.record_ids:
            raise IncompleteAction(f"action {current.ref} queued no provincial record")
