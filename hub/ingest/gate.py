"""Load shedding: at most ``ingest.max_concurrent_batches`` batches are stored at once across
every server process; one more is answered ``503`` with ``Retry-After``, which the kiosk waits
out before it sends the same batch again (nothing is lost: it stays in the kiosk's outbox).

On PostgreSQL the slots are transaction-scoped advisory locks (released at commit, or when a
process dies); on SQLite (the one-process demo) a semaphore.
"""
from __future__ import annotations

import threading

from django.db import connection

GATE_KEY = 0x48554231  # "HUB1": the advisory lock class the slots use
_local_slots: dict[int, threading.BoundedSemaphore] = {}
_local_lock = threading.Lock()


class Busy(Exception):
    """Every slot is taken: come back later."""


def take_slot(slots: int) -> object:
    """Take a slot inside the current transaction; raises :class:`Busy`. Returns a token to
    hand to :func:`give_back` (PostgreSQL's slots go back by themselves at commit)."""
    if slots <= 0:
        raise Busy()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT s FROM generate_series(0, %s) AS s "
                           "WHERE pg_try_advisory_xact_lock(%s, s) LIMIT 1", [slots - 1, GATE_KEY])
            if cursor.fetchone() is None:
                raise Busy()
        return None
    with _local_lock:
        semaphore = _local_slots.setdefault(slots, threading.BoundedSemaphore(slots))
    if not semaphore.acquire(blocking=False):
        raise Busy()
    return semaphore


def give_back(token: object) -> None:
    """Release a local slot (no-op on PostgreSQL)."""
    if token is not None:
        token.release()
