"""Opening the SQLite file with the pragmas a kiosk needs: WAL, synchronous=FULL, busy timeout."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import peewee

from db.errors import DatabaseUnavailable
from db.text import search_key

log = logging.getLogger(__name__)

#: Every model binds to this proxy; :func:`open_database` points it at a real file.
database = peewee.DatabaseProxy()


def open_database(path: str | Path, busy_timeout_ms: int = 5000) -> peewee.SqliteDatabase:
    """Open (creating if needed) the kiosk's SQLite file and bind the models to it.

    ``":memory:"`` works for throwaway use. Raises :class:`DatabaseUnavailable` when the file is
    not a database, is locked past the timeout, or its folder cannot be written.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = peewee.SqliteDatabase(
        str(path),
        pragmas={
            "journal_mode": "wal",
            "synchronous": 2,  # FULL: a committed action survives a power cut
            "foreign_keys": 1,
            "busy_timeout": busy_timeout_ms,
            "cache_size": -16000,
        },
        timeout=busy_timeout_ms / 1000,
        check_same_thread=False,
    )
    # search_key(text) in SQL: diacritic-free matching on columns that have no key of their own.
    db.register_function(search_key, "search_key", 1)
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except (peewee.DatabaseError, peewee.OperationalError, sqlite3.DatabaseError) as exc:
        db.close()
        raise classify_error(exc) from exc
    database.initialize(db)
    return db


def classify_error(exc: BaseException) -> DatabaseUnavailable:
    """Turn a SQLite error into a :class:`DatabaseUnavailable` with a reason word."""
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        reason = "corrupt"
    elif "locked" in text or "busy" in text:
        reason = "locked"
    elif "readonly" in text or "read-only" in text or "read only" in text:
        reason = "read_only"
    elif "full" in text:
        reason = "disk_full"
    else:
        reason = "unreadable"
    return DatabaseUnavailable(reason, str(exc))


def integrity_ok(db: peewee.SqliteDatabase) -> tuple[bool, list[str]]:
    """Run ``PRAGMA integrity_check`` and ``foreign_key_check``; True with no messages when sound."""
    problems = [row[0] for row in db.execute_sql("PRAGMA integrity_check").fetchall()
                if row[0] != "ok"]
    problems += [f"foreign key: {row}" for row in db.execute_sql("PRAGMA foreign_key_check")]
    return not problems, problems
