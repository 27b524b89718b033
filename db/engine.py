"""What differs between database servers, fenced behind one small interface.

The kiosk's embedded database is SQLite (:class:`SqliteEngine`). Everything SQLite-only lives
here: the pragmas, where the schema version is kept, the ``search_key`` SQL function, the write
lock a transaction takes when it begins, the backup API, the integrity check, and turning driver
errors into :class:`~db.errors.DatabaseUnavailable` reasons. Another server (PostgreSQL) is one
more class with the same methods.
"""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import peewee

from db.errors import DatabaseUnavailable
from db.text import search_key

log = logging.getLogger(__name__)


def classify_message(text: str) -> str:
    """A reason word for a database error message (shared by every engine)."""
    text = text.lower()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return "corrupt"
    if "locked" in text or "busy" in text:
        return "locked"
    if "readonly" in text or "read-only" in text or "read only" in text:
        return "read_only"
    if "full" in text:
        return "disk_full"
    return "unreadable"


class SqliteEngine:
    """The embedded SQLite file: WAL, ``synchronous=FULL``, a busy timeout, ``BEGIN IMMEDIATE``."""

    name = "sqlite"
    #: The placeholder raw SQL in ``db/queries`` is written with.
    param = "?"

    def open(self, target: str | Path, busy_timeout_ms: int) -> peewee.Database:
        """A connected database on the file ``target`` (created with its folder if missing)."""
        if str(target) != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        db = peewee.SqliteDatabase(
            str(target),
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
        # search_key(text) in SQL: diacritic-free matching on columns without a key of their own.
        db.register_function(search_key, "search_key", 1, deterministic=True)
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        return db

    def exists(self, target: str | Path) -> bool:
        """True when there is a database at ``target`` already (``:memory:`` always is)."""
        return str(target) == ":memory:" or Path(target).is_file()

    # -- transactions -------------------------------------------------------------------------
    def begin_write(self, db: peewee.Database):
        """A transaction that takes the write lock when it begins, so a competing writer waits
        (up to the busy timeout) instead of failing half-way when another commits first."""
        return db.atomic(lock_type="IMMEDIATE")

    # -- schema version -----------------------------------------------------------------------
    def schema_version(self, db: peewee.Database) -> int:
        """The schema version stored in the file (0 for a new, empty file)."""
        return db.execute_sql("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, db: peewee.Database, version: int) -> None:
        """Record the schema version (inside the migration's transaction)."""
        db.execute_sql(f"PRAGMA user_version = {int(version)}")

    # -- looking after the file ---------------------------------------------------------------
    def integrity_problems(self, db: peewee.Database) -> list[str]:
        """What ``integrity_check`` and ``foreign_key_check`` find; empty when sound."""
        problems = [row[0] for row in db.execute_sql("PRAGMA integrity_check").fetchall()
                    if row[0] != "ok"]
        problems += [f"foreign key: {row}" for row in db.execute_sql("PRAGMA foreign_key_check")]
        return problems

    def backup(self, db: peewee.Database, target: Path) -> None:
        """A consistent copy of the live database into the new file ``target`` (the backup API;
        never ``cp``, which can copy a half-written page)."""
        destination = sqlite3.connect(target)
        try:
            with destination:
                db.connection().backup(destination)
        finally:
            destination.close()

    def location(self, db: peewee.Database) -> str:
        """Where the data lives, for messages (the file path)."""
        return str(db.database)

    def classify(self, exc: BaseException) -> DatabaseUnavailable:
        """A driver error as a :class:`DatabaseUnavailable` with a reason word."""
        return DatabaseUnavailable(classify_message(str(exc)), str(exc))

    def errors(self) -> tuple[type[BaseException], ...]:
        """The driver's exception classes that mean "the database failed"."""
        return (peewee.DatabaseError, sqlite3.DatabaseError)


SQLITE = SqliteEngine()


def driver_errors() -> tuple[type[BaseException], ...]:
    """Every engine's "the database failed" exception classes."""
    return SQLITE.errors()


def engine_of(db: peewee.Database) -> SqliteEngine:
    """The engine a connected database belongs to."""
    engine = getattr(db, "kiosk_engine", None)
    return engine if engine is not None else SQLITE
