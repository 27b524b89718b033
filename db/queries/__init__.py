"""The queries, one module per aggregate: patrons, catalogue (titles and copies), equipment,
loans, lessons, journal, outbox, sync state, calendar, search, reports, registers.

They return plain rows (small frozen dataclasses) or numbers; the services keep the rules and
decide the transactions. Nothing outside ``db/`` builds a query or imports a model (a test
checks it). Hot paths (a scan's lookups and writes) are written as parameterised SQL, run
through :func:`execute`, which adapts the placeholder to the engine in use.
"""
from __future__ import annotations

from datetime import date, datetime

from db.connection import database
from db.dialect import placeholders
from db.engine import engine_of


def _adapt(sql: str, param: str) -> str:
    # psycopg: ? becomes %s and a literal % %% (db.dialect.placeholders, cached)
    return sql if param == "?" else placeholders(sql)


def execute(sql: str, params: tuple | list = ()):
    """Run one statement on the bound database; returns the driver's cursor."""
    db = database.obj
    return db.execute_sql(_adapt(sql, engine_of(db).param), params)


def execute_many(sql: str, rows: list) -> None:
    """Run one statement once per row of parameters (a bulk insert)."""
    if not rows:
        return
    db = database.obj
    db.cursor().executemany(_adapt(sql, engine_of(db).param), rows)


def fetch_one(sql: str, params: tuple | list = ()) -> tuple | None:
    """The first row of a query, or None."""
    return execute(sql, params).fetchone()


def fetch_all(sql: str, params: tuple | list = ()) -> list[tuple]:
    """Every row of a query."""
    return execute(sql, params).fetchall()


def as_datetime(value) -> datetime | None:
    """A stored time (naive UTC) as a datetime, whatever the driver handed back."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def as_date(value) -> date | None:
    """A stored date as a date, whatever the driver handed back."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(value[:10])
