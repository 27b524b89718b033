"""Small set-based SQL helpers that run the same on PostgreSQL and SQLite (3.35+): multi-row
``INSERT ... ON CONFLICT ... RETURNING`` and value adaptation."""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable, Sequence

from django.db import connection

#: Rows per statement (SQLite allows 32766 bound values; PostgreSQL 65535).
CHUNK_VALUES = 30000


def adapt(value):
    """A parameter as the backend stores it (aware datetimes in UTC, dates as dates)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def chunks(rows: Sequence, width: int) -> Iterable[Sequence]:
    """Slices of ``rows`` that fit in one statement."""
    size = max(1, CHUNK_VALUES // max(1, width))
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def insert(cursor, table: str, columns: Sequence[str], rows: Sequence[Sequence],
           conflict: str = "", returning: str = "") -> list[tuple]:
    """Insert ``rows``; ``conflict`` is the text after ``ON CONFLICT``; returns RETURNING rows."""
    out: list[tuple] = []
    if not rows:
        return out
    width = len(columns)
    one = "(" + ",".join(["%s"] * width) + ")"
    for part in chunks(rows, width):
        sql = (f"INSERT INTO {table} ({','.join(columns)}) VALUES "
               + ",".join([one] * len(part)))
        if conflict:
            sql += f" ON CONFLICT {conflict}"
        if returning:
            sql += f" RETURNING {returning}"
        cursor.execute(sql, [adapt(v) for row in part for v in row])
        if returning:
            out.extend(cursor.fetchall())
    return out


def in_list(cursor, sql_head: str, values: Sequence, tail: str = "", params_before=()
            ) -> list[tuple]:
    """Run ``sql_head IN (values...) tail`` in chunks; returns every row (for RETURNING/SELECT)."""
    out: list[tuple] = []
    for part in chunks(list(values), 1):
        marks = ",".join(["%s"] * len(part))
        cursor.execute(f"{sql_head} IN ({marks}) {tail}",
                       [adapt(v) for v in params_before] + [adapt(v) for v in part])
        if cursor.description:
            out.extend(cursor.fetchall())
    return out
