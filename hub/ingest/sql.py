"""Small set-based SQL helpers for the ingest: multi-row inserts with ``ON CONFLICT ...
RETURNING``, updates from a list of values, ``IN`` lists.

On PostgreSQL every statement takes whole columns as arrays (``unnest``), so its text never
changes with the batch size: psycopg parses it once and the server prepares it, and values are
sent apart from the SQL (no quoting in Python). On SQLite (the demo) they are multi-row
``VALUES`` lists of the same meaning.
"""
from __future__ import annotations

import weakref
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from typing import Iterable, Sequence

from django.apps import apps
from django.db import connection, transaction

#: Rows per statement on SQLite (it allows 32766 bound values).
CHUNK_VALUES = 30000


def postgres() -> bool:
    """True on PostgreSQL."""
    return connection.vendor == "postgresql"


@contextmanager
def fast_cursor():
    """A cursor inside the current transaction; on PostgreSQL psycopg's own server-side
    binding cursor (Django's is client-side: every value quoted in Python)."""
    if postgres():
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            yield cursor
    else:
        with connection.cursor() as cursor:
            yield cursor


@lru_cache(maxsize=None)
def column_types(table: str) -> dict[str, str]:
    """PostgreSQL types of a model table's columns, from the Django models."""
    for model in apps.get_models():
        if model._meta.db_table == table:
            return {f.column: f.db_type(connection).replace("serial", "integer")
                    for f in model._meta.concrete_fields}
    raise KeyError(table)


def _array_type(table: str, column: str) -> str:
    kind = column_types(table)[column.strip('"')]
    return kind.split("(")[0] + "[]"


def adapt(value):
    """A parameter as SQLite stores it (aware datetimes in UTC text, dates as text)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def chunks(rows: Sequence, width: int) -> Iterable[Sequence]:
    """Slices of ``rows`` that fit in one SQLite statement."""
    size = max(1, CHUNK_VALUES // max(1, width))
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def insert(cursor, table: str, columns: Sequence[str], rows: Sequence[Sequence],
           conflict: str = "", returning: str = "") -> list[tuple]:
    """Insert ``rows``; ``conflict`` is the text after ``ON CONFLICT``; returns RETURNING rows."""
    out: list[tuple] = []
    if not rows:
        return out
    tail = (f" ON CONFLICT {conflict}" if conflict else "") + (
        f" RETURNING {returning}" if returning else "")
    if postgres():
        arrays = ", ".join(f"%b::{_array_type(table, c)}" for c in columns)
        cursor.execute(f"INSERT INTO {table} ({','.join(columns)}) SELECT * FROM unnest({arrays})"
                       + tail, [list(col) for col in zip(*rows)])
        return cursor.fetchall() if returning else out
    one = "(" + ",".join(["%s"] * len(columns)) + ")"
    for part in chunks(rows, len(columns)):
        cursor.execute(f"INSERT INTO {table} ({','.join(columns)}) VALUES "
                       + ",".join([one] * len(part)) + tail,
                       [adapt(v) for row in part for v in row])
        if returning:
            out.extend(cursor.fetchall())
    return out


#: The staging tables each open connection has made (temporary tables live per session).
_staged: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def copy_insert(cursor, table: str, columns: Sequence[str], rows: Sequence[Sequence],
                conflict: str, returning: str) -> list[tuple]:
    """Like :func:`insert` (``conflict`` and ``returning`` required), through ``COPY`` into a
    temporary staging table (one per connection and table) and one ``INSERT ... SELECT`` that
    empties it: for the records themselves (their jsonb ``data``), about half
    the time of ``unnest`` of a jsonb array in the in-process profile (bench/RESULTS.md,
    bench_hub). On SQLite, :func:`insert`."""
    if not postgres() or not rows:
        return insert(cursor, table, columns, rows, conflict, returning)
    stage = f"stage_{table}"
    raw = cursor.connection
    made = _staged.setdefault(raw, set())
    if stage not in made:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} "
                       f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
        # Known made once it is committed (a batch rolled back takes the table with it).
        transaction.on_commit(lambda: made.add(stage))
    names = ",".join(columns)
    with cursor.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    # Emptied by the same statement, so two calls in one transaction never see each other's.
    cursor.execute(f"WITH staged AS (DELETE FROM {stage} RETURNING {names}) "
                   f"INSERT INTO {table} ({names}) SELECT {names} FROM staged"
                   f" ON CONFLICT {conflict} RETURNING {returning}")
    return cursor.fetchall()


def in_list(cursor, sql_head: str, values: Sequence, tail: str = "", params_before=(),
            pg_type: str = "text[]") -> list[tuple]:
    """Run ``sql_head IN (values...) tail``; returns every row (for RETURNING/SELECT)."""
    if postgres():
        cursor.execute(f"{sql_head} = ANY(%b::{pg_type}) {tail}", [*params_before, list(values)])
        return cursor.fetchall() if cursor.description else []
    out: list[tuple] = []
    for part in chunks(list(values), 1):
        marks = ",".join(["%s"] * len(part))
        cursor.execute(f"{sql_head} IN ({marks}) {tail}",
                       [adapt(v) for v in params_before] + [adapt(v) for v in part])
        if cursor.description:
            out.extend(cursor.fetchall())
    return out


def update_from(cursor, table: str, key: str, set_sql: str, rows: Sequence[Sequence],
                types: Sequence[str], where: str = "", returning: str = "") -> list[tuple]:
    """One ``UPDATE table SET ... FROM (values) v`` for many rows; ``rows`` are
    (key value, value1, ...), seen in SQL as ``v.k, v.c1, v.c2...`` of PostgreSQL ``types``."""
    out: list[tuple] = []
    if not rows:
        return out
    width = len(rows[0])
    names = ["k"] + [f"c{i}" for i in range(1, width)]
    condition = f" AND {where}" if where else ""
    tail = f" RETURNING {returning}" if returning else ""
    if postgres():
        arrays = ", ".join(f"%b::{t}[]" for t in ["text", *types])
        cursor.execute(f"UPDATE {table} SET {set_sql} FROM unnest({arrays}) AS v({','.join(names)})"
                       f" WHERE {table}.{key} = v.k{condition}{tail}",
                       [list(col) for col in zip(*rows)])
        return cursor.fetchall() if returning else out
    columns = ", ".join(f"column{i + 1} AS {n}" for i, n in enumerate(names))
    one = "(" + ",".join(["%s"] * width) + ")"
    for part in chunks(list(rows), width):
        cursor.execute(f"UPDATE {table} SET {set_sql} FROM (SELECT {columns} FROM (VALUES "
                       + ",".join([one] * len(part)) + f") AS vals) AS v WHERE {table}.{key} = v.k"
                       + condition + tail, [adapt(x) for row in part for x in row])
        if returning:
            out.extend(cursor.fetchall())
    return out
