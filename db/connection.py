"""Opening the kiosk's database and binding the models to it.

Which server it is (the embedded SQLite file today) is the engine's business
(:mod:`db.engine`); callers only say where the data is.
"""
from __future__ import annotations

import logging
from pathlib import Path

import peewee

from db.engine import SQLITE, engine_of
from db.errors import DatabaseMissing, DatabaseUnavailable

log = logging.getLogger(__name__)

#: Every model binds to this proxy; :func:`open_database` points it at a real database.
database = peewee.DatabaseProxy()


def open_database(target: str | Path, busy_timeout_ms: int = 5000, create: bool = True
                  ) -> peewee.Database:
    """Open the kiosk's database at ``target`` (creating it, unless ``create`` is false) and bind
    the models to it.

    ``":memory:"`` works for throwaway use. Raises :class:`DatabaseMissing` when there is none
    and ``create`` is false, :class:`DatabaseUnavailable` when the file is not a database, is
    locked past the timeout, or its folder cannot be written.
    """
    engine = SQLITE
    if not create and not engine.exists(target):
        raise DatabaseMissing(str(target))
    try:
        db = engine.open(target, busy_timeout_ms)
    except engine.errors() + (OSError,) as exc:
        raise engine.classify(exc) from exc
    db.kiosk_engine = engine
    database.initialize(db)
    return db


def database_exists(target: str | Path) -> bool:
    """True when there is a database at ``target`` (nothing is opened or created)."""
    return SQLITE.exists(target)


def classify_error(exc: BaseException, db: peewee.Database | None = None) -> DatabaseUnavailable:
    """Turn a driver error into a :class:`DatabaseUnavailable` with a reason word."""
    return engine_of(db).classify(exc)


def integrity_ok(db: peewee.Database) -> tuple[bool, list[str]]:
    """The database's own consistency checks; True with no messages when sound."""
    problems = engine_of(db).integrity_problems(db)
    return not problems, problems
