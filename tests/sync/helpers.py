"""Helpers for the sync tests: a client for the stand-in's test endpoints, outbox filling."""
from __future__ import annotations

import json
import os
import urllib.request
from datetime import timedelta
from pathlib import Path

from db.models import Outbox
from db.ids import uuid7
from db.queries import outbox
from db.tx import dump, write_transaction
from kiosk.clock import Clock

TOKEN = "tok-3f9a2c7e-test"


def write_token(path: Path, token: str = TOKEN, mode: int = 0o600) -> Path:
    """A token file with the given permissions."""
    path.write_text(token + "\n", encoding="utf-8")
    os.chmod(path, mode)
    return path


class StandinClient:
    """Talks to the stand-in's ``/_faults`` and ``/_stats``."""

    def __init__(self, url: str, token: str = TOKEN):
        self.url = url
        self.token = token

    def _call(self, method: str, path: str, payload: dict | None = None) -> dict:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": f"Bearer {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def faults(self, **knobs) -> dict:
        """Set fault knobs."""
        return self._call("POST", "/_faults", knobs)

    def reset(self) -> dict:
        """Clear every fault."""
        return self._call("DELETE", "/_faults")

    def stats(self, ids: bool = False) -> dict:
        """Counts (and receipts per id)."""
        return self._call("GET", "/_stats?ids=1" if ids else "/_stats")


def fill_outbox(db, clock: Clock, count: int, type_: str = "loan.borrowed") -> list[str]:
    """``count`` pending records, a second apart; their ids, oldest first."""
    ids = []
    base = clock.db_now()
    with write_transaction(db):
        for n in range(count):
            at = base - timedelta(seconds=count - n)
            record_id = uuid7()
            outbox.enqueue(record_id, type_, clock.iso_local(at),
                           dump({"n": n, "patron_code": f"01234{n:05d}", "patron_kind": "student",
                                 "item_barcode": f"TK.{n % 100000:05d}", "quantity": 1}))
            ids.append(record_id)
    return ids


def states() -> dict[str, int]:
    """How many outbox rows are in each state."""
    out = {"pending": 0, "sent": 0, "dead": 0}
    for row in Outbox.select(Outbox.state):
        out[row.state] += 1
    return out
