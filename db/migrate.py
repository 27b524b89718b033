"""Bring a database file to the current schema, one versioned migration at a time."""
from __future__ import annotations

import importlib
import logging
import pkgutil
from types import ModuleType

import peewee

from db import migrations
from db.engine import engine_of
from db.errors import SchemaTooNew
from db.tx import write_transaction

log = logging.getLogger(__name__)


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


def current_version(db: peewee.Database) -> int:
    """The schema version the database is at (0 for a new, empty one)."""
    return engine_of(db).schema_version(db)


def migrate(db: peewee.Database, target: int | None = None) -> list[int]:
    """Apply every pending migration up to ``target`` (default: the latest); return those applied.

    Each migration runs in its own transaction together with the version bump, so a crash leaves
    the file at the last whole version.
    """
    target = LATEST_VERSION if target is None else target
    version = current_version(db)
    if version > LATEST_VERSION:
        raise SchemaTooNew(f"database is at schema {version}, this kiosk knows up to "
                           f"{LATEST_VERSION}")
    applied = []
    for migration in MIGRATIONS:
        if version < migration.VERSION <= target:
            with write_transaction(db):
                migration.apply(db)
                engine_of(db).set_schema_version(db, migration.VERSION)
            log.info("database migrated to schema %d", migration.VERSION)
            applied.append(migration.VERSION)
    return applied
