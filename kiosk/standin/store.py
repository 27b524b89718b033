"""The stand-in's own SQLite file: every record received, once, with how often it came."""
from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path

from kiosk.sync.connector import RECORD_TYPES

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS record (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        school_code TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        data TEXT NOT NULL,
        received_at TEXT NOT NULL,
        receipts INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE IF NOT EXISTS rejection (
        id TEXT NOT NULL,
        reason TEXT NOT NULL,
        rejected_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS counter (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    )""",
]


def check_record(record) -> str:
    """Why a record breaks the contract ("" when it is well formed)."""
    if not isinstance(record, dict):
        return "record is not an object"
    rid = record.get("id")
    if not isinstance(rid, str) or not rid.strip():
        return "id missing"
    if record.get("type") not in RECORD_TYPES:
        return f"unknown type {record.get('type')!r}"
    occurred = record.get("occurred_at")
    try:
        moment = datetime.fromisoformat(occurred) if isinstance(occurred, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        return "occurred_at is not ISO 8601 with an offset"
    if not isinstance(record.get("data"), dict):
        return "data is not an object"
    return ""


class RecordStore:
    """Thread-safe: one connection, one lock, one transaction per batch."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        for statement in SCHEMA:
            self._conn.execute(statement)
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._conn.close()

    def receive(self, school_code: str, kiosk_id: str, records: list,
                reject: "callable | None" = None) -> list[dict]:
        """Store a batch; one result per record: accepted, duplicate or rejected (with reason).

        ``reject(record) -> reason`` lets the fault knobs refuse records on purpose.
        """
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        results = []
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                cur.execute("INSERT INTO counter VALUES ('requests', 1) ON CONFLICT(name) "
                            "DO UPDATE SET value = value + 1")
                for record in records:
                    reason = check_record(record) or (reject(record) if reject else "")
                    rid = record.get("id") if isinstance(record, dict) else None
                    rid = rid if isinstance(rid, str) else ""
                    if reason:
                        cur.execute("INSERT INTO rejection VALUES (?, ?, ?)", (rid, reason, now))
                        results.append({"id": rid, "status": "rejected", "reason": reason})
                        continue
                    cur.execute("UPDATE record SET receipts = receipts + 1 WHERE id = ?", (rid,))
                    if cur.rowcount:
                        results.append({"id": rid, "status": "duplicate", "reason": ""})
                        continue
                    cur.execute(
                        "INSERT INTO record (id, type, occurred_at, school_code, kiosk_id, data, "
                        "received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (rid, record["type"], record["occurred_at"], school_code, kiosk_id,
                         json.dumps(record["data"], ensure_ascii=False), now))
                    results.append({"id": rid, "status": "accepted", "reason": ""})
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
        return results

    def bump(self, name: str) -> None:
        """Add one to a named counter (e.g. ``unauthorised`` requests)."""
        with self._lock:
            self._conn.execute("INSERT INTO counter VALUES (?, 1) ON CONFLICT(name) "
                               "DO UPDATE SET value = value + 1", (name,))

    def stats(self, with_ids: bool = False) -> dict:
        """Counts for tests and for the district office: distinct records, receipts, requests."""
        with self._lock:
            cur = self._conn.cursor()
            records, receipts = cur.execute(
                "SELECT count(*), coalesce(sum(receipts), 0) FROM record").fetchone()
            counters = dict(cur.execute("SELECT name, value FROM counter"))
            requests = counters.get("requests", 0)
            rejections = cur.execute("SELECT count(*) FROM rejection").fetchone()[0]
            by_type = dict(cur.execute("SELECT type, count(*) FROM record GROUP BY type"))
            out = {"records": records, "receipts": receipts, "requests": requests,
                   "rejections": rejections, "unauthorised": counters.get("unauthorised", 0),
                   "by_type": by_type}
            if with_ids:
                out["receipts_by_id"] = dict(cur.execute("SELECT id, receipts FROM record"))
        return out
