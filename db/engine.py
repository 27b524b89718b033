"""What differs between database servers, fenced behind one small interface.

The kiosk's embedded database is SQLite (:class:`SqliteEngine`); several kiosks of one school
share a PostgreSQL server (:class:`db.postgres.PostgresEngine`, the same methods). Everything
SQLite-only lives here: the pragmas, the legacy ``PRAGMA user_version``, the ``search_key`` SQL
function, the write lock a transaction takes when it begins, the backup API, the integrity
check, and turning driver errors into :class:`~db.errors.DatabaseUnavailable` reasons.
:func:`engine_for` picks the engine from where the data is (a file path or a
``postgresql://`` URL).
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

    def lock_schema(self, db: peewee.Database) -> None:
        """Inside a migration's transaction: ``BEGIN IMMEDIATE`` already holds the file."""

    # -- schema -------------------------------------------------------------------------------
    def legacy_version(self, db: peewee.Database) -> int:
        """The version files made before the ``schema_version`` table kept in ``PRAGMA
        user_version`` (0 for a new file)."""
        return db.execute_sql("PRAGMA user_version").fetchone()[0]

    def after_migration(self, db: peewee.Database, version: int) -> None:
        """Keep ``user_version`` in step too, so an older kiosk build still sees that the file
        is newer than it knows and refuses it."""
        db.execute_sql(f"PRAGMA user_version = {int(version)}")

    def after_migrating(self, db: peewee.Database) -> None:
        """After each migration, move its pages from the WAL into the file and empty the WAL:
        a new database (eight migrations) would otherwise pile some 600 kB of WAL up before
        the first checkpoint, room a small or nearly full card may not have."""
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def install_functions(self, db: peewee.Database) -> None:
        """Nothing: ``search_key`` is registered on every connection as it opens."""

    def functions_installed(self, db: peewee.Database) -> bool:
        """Always: they live in the connection, not the file."""
        return True

    def translate(self, sql: str) -> list[str]:
        """Migration SQL is written for SQLite: as it is."""
        return [sql]

    def describe(self, db: peewee.Database) -> dict:
        """The schema as :func:`db.schema.describe` compares it."""
        from db.schema import describe_sqlite
        return describe_sqlite(db)

    # -- looking after the file ---------------------------------------------------------------
    def integrity_problems(self, db: peewee.Database) -> list[str]:
        """What ``integrity_check`` and ``foreign_key_check`` find; empty when sound."""
        problems = [row[0] for row in db.execute_sql("PRAGMA integrity_check").fetchall()
                    if row[0] != "ok"]
        problems += [f"foreign key: {row}" for row in db.execute_sql("PRAGMA foreign_key_check")]
        return problems

    #: How a backup file of this engine is named.
    backup_suffix = ".sqlite3"

    def backup(self, db: peewee.Database, target: Path) -> None:
        """A consistent copy of the live database into the new file ``target`` (the backup API;
        never ``cp``, which can copy a half-written page): 0600, one self-contained file."""
        from db.backup import copy_database
        copy_database(db.connection(), Path(target))

    def check_backup_file(self, path: Path) -> list[str]:
        """What ``integrity_check`` and ``foreign_key_check`` find in a backup file."""
        from db.backup import check_file
        return check_file(Path(path))

    def backup_version(self, path: Path) -> int | None:
        """The schema version of a backup file, or None when it is not a kiosk database."""
        from db.backup import schema_version
        return schema_version(Path(path))

    def restore_from(self, db: peewee.Database, path: Path) -> None:
        """Overwrite the open database with a backup file (the backup API, all at once)."""
        from db.backup import restore_database
        restore_database(Path(path), db.connection())

    def location(self, db: peewee.Database) -> str:
        """Where the data lives, for messages (the file path)."""
        return str(db.database)

    def health(self, db: peewee.Database) -> None:
        """A file next to the kiosk has no server to lose."""
        return None

    def start_probe(self, db: peewee.Database, interval_s: float = 5.0) -> None:
        """Nothing to probe."""
        return None

    def classify(self, exc: BaseException) -> DatabaseUnavailable:
        """A driver error as a :class:`DatabaseUnavailable` with a reason word."""
        return DatabaseUnavailable(classify_message(str(exc)), str(exc))

    def errors(self) -> tuple[type[BaseException], ...]:
        """The driver's exception classes that mean "the database failed"."""
        return (peewee.DatabaseError, sqlite3.DatabaseError)


SQLITE = SqliteEngine()


def is_server_url(target: str | Path) -> bool:
    """True when ``target`` names a PostgreSQL server rather than a file."""
    return str(target).startswith(("postgresql://", "postgres://"))


def engine_for(target: str | Path):
    """The engine for a file path (SQLite) or a ``postgresql://`` URL."""
    if is_server_url(target):
        from db.postgres import POSTGRESQL
        return POSTGRESQL
    return SQLITE


def backup_engine(path: str | Path):
    """The engine a backup file belongs to, by its name (``.pgdump``: a server's archive)."""
    if str(path).endswith(".pgdump"):
        from db.postgres import POSTGRESQL
        return POSTGRESQL
    return SQLITE


def driver_errors() -> tuple[type[BaseException], ...]:
    """Every engine's "the database failed" exception classes."""
    from db.postgres import POSTGRESQL
    return SQLITE.errors() + POSTGRESQL.errors()


def engine_of(db: peewee.Database | None):
    """The engine a connected database belongs to."""
    engine = getattr(db, "kiosk_engine", None)
    return engine if engine is not None else SQLITE
