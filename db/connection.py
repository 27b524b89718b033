"""Opening the kiosk's database and binding the models to it.

Which server it is (the embedded SQLite file, or a PostgreSQL server named by a
``postgresql://`` URL) is the engine's business (:mod:`db.engine`); callers only say where the
data is.
"""
from __future__ import annotations

import logging
from pathlib import Path

import peewee

from db.engine import SQLITE, engine_for, engine_of
from db.errors import DatabaseMissing, DatabaseUnavailable

log = logging.getLogger(__name__)

#: Every model binds to this proxy; :func:`open_database` points it at a real database.
database = peewee.DatabaseProxy()


def open_database(target: str | Path, busy_timeout_ms: int = 5000, *, create: bool = True,
                  password: str | None = None, connect_timeout_s: float = 3.0,
                  application_name: str = "school-kiosk") -> peewee.Database:
    """Open the kiosk's database at ``target`` and bind the models to it: an SQLite file
    (created if needed, unless ``create`` is false; ``":memory:"`` for throwaway use) or a
    ``postgresql://`` URL (the password, if the server wants one and no ``~/.pgpass`` has it,
    given apart; a server's database is made by its administrator, never here).

    Raises :class:`DatabaseMissing` when there is no SQLite file and ``create`` is false,
    :class:`DatabaseUnavailable` when the file is not a database, is locked past the timeout,
    its folder cannot be written, or the server cannot be reached or refuses us.
    """
    engine = engine_for(target)
    if engine is SQLITE and not create and not engine.exists(target):
        raise DatabaseMissing(str(target))
    try:
        if engine is SQLITE:
            db = engine.open(target, busy_timeout_ms)
        else:
            db = engine.open(str(target), busy_timeout_ms, password=password,
                             connect_timeout_s=connect_timeout_s,
                             application_name=application_name)
    except DatabaseUnavailable:
        raise
    except engine.errors() + (OSError,) as exc:
        raise engine.classify(exc) from exc
    db.kiosk_engine = engine
    database.initialize(db)
    return db


def database_exists(target: str | Path) -> bool:
    """True when there is a database at ``target`` (nothing is opened or created; a server's
    database is taken to exist: connecting says whether it does)."""
    engine = engine_for(target)
    return engine is not SQLITE or engine.exists(target)


def classify_error(exc: BaseException, db: peewee.Database | None = None) -> DatabaseUnavailable:
    """Turn a driver error into a :class:`DatabaseUnavailable` with a reason word (by the
    engine of ``db``, or of the database the models are bound to)."""
    return engine_of(db if db is not None else database.obj).classify(exc)


def integrity_ok(db: peewee.Database) -> tuple[bool, list[str]]:
    """The database's own consistency checks; True with no messages when sound."""
    problems = engine_of(db).integrity_problems(db)
    return not problems, problems
