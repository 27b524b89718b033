"""Bring a database to the current schema, one versioned migration at a time, on either engine.

A migration is a module ``db/migrations/mNNNN_<what>.py`` with ``VERSION`` and ``apply(db)``,
written in the restricted SQLite dialect the kiosk has always used (usually a list of
``STATEMENTS`` run one by one). On PostgreSQL, ``apply`` receives a :class:`MigrationSession`
whose ``execute_sql`` (and ``connection().executemany``) say the same SQL again for the server
(:mod:`db.dialect`), so a migration written for SQLite needs no edit. A migration that needs a
form of its own on one engine defines ``apply_postgresql(db)`` (or ``apply_sqlite``) beside
``apply``; a test compares the schemas both engines reach.

The version reached is kept in the ``schema_version`` table, one row per migration applied.
Files made before that table existed kept it in ``PRAGMA user_version``: their first migration
here records those versions in the table and carries on. SQLite's ``user_version`` is still
kept in step, so an older kiosk build refuses a file newer than it knows.
"""
from __future__ import annotations

import importlib
import logging
import pkgutil
from datetime import datetime, timezone
from types import ModuleType

import peewee

from db import migrations
from db.engine import engine_of
from db.errors import SchemaTooNew
from db.tx import write_transaction

log = logging.getLogger(__name__)

VERSION_TABLE = "schema_version"
_CREATE_VERSION_TABLE = f"""CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at DATETIME NOT NULL
)"""


def _load_migrations() -> list[ModuleType]:
    modules = [importlib.import_module(f"{migrations.__name__}.{info.name}")
               for info in pkgutil.iter_modules(migrations.__path__)
               if info.name.startswith("m")]
    modules.sort(key=lambda m: m.VERSION)
    versions = [m.VERSION for m in modules]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migration versions are not 1..n: {versions}")
    return modules


MIGRATIONS = _load_migrations()
LATEST_VERSION = MIGRATIONS[-1].VERSION


def _name(migration: ModuleType) -> str:
    return migration.__name__.rsplit(".", 1)[-1]


class _Cursor:
    """What ``connection()`` gives a migration: ``execute``/``executemany`` with ``?``."""

    def __init__(self, session: "MigrationSession"):
        self._session = session

    def execute(self, sql: str, params=()):
        return self._session.execute_sql(sql, params)

    def executemany(self, sql: str, rows) -> None:
        rows = list(rows)
        if not rows:
            return
        db = self._session.db
        for statement in self._session.engine.translate(sql):
            with db.cursor() as cursor:
                cursor.executemany(statement, rows)


class MigrationSession:
    """The database as a migration sees it: SQL in the SQLite dialect, run on the engine in
    use. Anything else is the database's own attribute."""

    def __init__(self, db: peewee.Database):
        self.db = db
        self.engine = engine_of(db)

    def execute_sql(self, sql: str, params=()):
        """Run one SQLite-dialect statement (it may become two on the server, or none)."""
        cursor = None
        for statement in self.engine.translate(sql):
            cursor = self.db.execute_sql(statement, tuple(params))
        return cursor if cursor is not None else _Empty()

    def connection(self) -> _Cursor:
        """An object with ``execute`` and ``executemany`` as ``sqlite3``'s connection has."""
        return _Cursor(self)

    def __getattr__(self, name):
        return getattr(self.db, name)


class _Empty:
    """The cursor of a statement that had nothing to do on this engine."""

    rowcount = 0

    def fetchone(self):
        return None

    def fetchall(self):
        return []


def _has_version_table(db: peewee.Database) -> bool:
    return VERSION_TABLE in db.get_tables()


def current_version(db: peewee.Database) -> int:
    """The schema version the database is at (0 for a new, empty one)."""
    if _has_version_table(db):
        row = db.execute_sql(f"SELECT MAX(version) FROM {VERSION_TABLE}").fetchone()
        return row[0] or 0
    return engine_of(db).legacy_version(db)


def applied_versions(db: peewee.Database) -> list[tuple[int, str, datetime]]:
    """(version, migration, when) of every migration the table records, in order."""
    if not _has_version_table(db):
        return []
    return [tuple(row) for row in db.execute_sql(
        f"SELECT version, name, applied_at FROM {VERSION_TABLE} ORDER BY version")]


def _record(db: peewee.Database, migration: ModuleType, at: datetime) -> None:
    db.execute_sql(
        f"INSERT INTO {VERSION_TABLE} (version, name, applied_at) VALUES "
        f"({engine_of(db).param}, {engine_of(db).param}, {engine_of(db).param})",
        (migration.VERSION, _name(migration), at))


def _ensure_version_table(db: peewee.Database) -> None:
    """Create the table (with the versions a legacy file reached), inside a transaction."""
    if _has_version_table(db):
        return
    engine = engine_of(db)
    legacy = engine.legacy_version(db)
    for statement in engine.translate(_CREATE_VERSION_TABLE):
        db.execute_sql(statement)
    now = _now()
    for migration in MIGRATIONS:
        if migration.VERSION <= legacy:
            _record(db, migration, now)
    if legacy:
        log.info("schema versions 1..%d recorded from PRAGMA user_version", legacy)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _apply(db: peewee.Database, migration: ModuleType) -> None:
    engine = engine_of(db)
    own = getattr(migration, f"apply_{engine.name}", None)
    if own is not None:
        own(db)
    elif engine.name == "sqlite":
        migration.apply(db)
    else:
        migration.apply(MigrationSession(db))


def migrate(db: peewee.Database, target: int | None = None) -> list[int]:
    """Apply every pending migration up to ``target`` (default: the latest); return those applied.

    Each migration runs in its own transaction together with its version row, so a crash leaves
    the database at the last whole version. The version is read again inside each transaction
    (under the schema lock), so two kiosks starting at once apply each migration once.
    """
    target = LATEST_VERSION if target is None else target
    engine = engine_of(db)
    version = current_version(db)
    if version > LATEST_VERSION:
        raise SchemaTooNew(f"database is at schema {version}, this kiosk knows up to "
                           f"{LATEST_VERSION}")
    applied = []
    for migration in MIGRATIONS:
        if not version < migration.VERSION <= target:
            continue
        with write_transaction(db):
            engine.lock_schema(db)
            _ensure_version_table(db)
            version = current_version(db)
            if version >= migration.VERSION:
                continue  # another kiosk applied it meanwhile
            _apply(db, migration)
            _record(db, migration, _now())
            engine.after_migration(db, migration.VERSION)
        version = migration.VERSION
        engine.after_migrating(db)
        log.info("database migrated to schema %d", migration.VERSION)
        applied.append(migration.VERSION)
    if version >= 1 and not (_has_version_table(db) and engine.functions_installed(db)):
        with write_transaction(db):
            engine.lock_schema(db)
            _ensure_version_table(db)
            engine.install_functions(db)
    return applied
