"""Moving a school from its SQLite file to a PostgreSQL server (``kiosk db copy-to URL``).

Every row of every table goes across with its id, so references, the journal, the outbox (sent
and pending, with their record ids) and references printed on receipts stay as they were. The
target must be empty; it is brought to the same schema version first, and the rows are copied in
one transaction (a failure leaves it empty). The source is only read. Row counts of both are
compared at the end, table by table.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import peewee

from db.engine import engine_of
from db.migrate import VERSION_TABLE, current_version, migrate
from db.tx import write_transaction

log = logging.getLogger(__name__)

#: Rows read from the source and written to the server at a time.
CHUNK = 5000


class CopyRefused(Exception):
    """The copy cannot start (``reason``: ``source_version``, ``target_not_empty``,
    ``same_engine``) or its counts disagree (``counts``); nothing was written."""

    def __init__(self, reason: str, **params):
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class TableCount:
    """One table's rows in the source and in the target after the copy."""

    table: str
    source: int
    target: int

    @property
    def same(self) -> bool:
        """True when every row arrived."""
        return self.source == self.target


def _ordered_tables(description: dict) -> list[str]:
    """Tables so that every table comes after the tables it references."""
    tables = {name: {ref for ref, _, _ in entry["foreign_keys"].values() if ref != name}
              for name, entry in description["tables"].items() if name != VERSION_TABLE}
    ordered: list[str] = []
    while tables:
        ready = sorted(name for name, refs in tables.items() if not refs - set(ordered))
        if not ready:
            raise RuntimeError(f"circular references between {sorted(tables)}")
        ordered += ready
        for name in ready:
            del tables[name]
    return ordered


def _count(db: peewee.Database, table: str) -> int:
    return db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def copy_to_server(source: peewee.Database, target: peewee.Database,
                  progress=lambda table, rows: None) -> list[TableCount]:
    """Copy every row of ``source`` (SQLite) into the empty ``target`` (PostgreSQL); the counts
    of both, table by table. Raises :class:`CopyRefused` before writing anything when the
    source is not at the current schema or the target holds data."""
    from db.migrate import LATEST_VERSION
    if engine_of(source).name == engine_of(target).name:
        raise CopyRefused("same_engine")
    version = current_version(source)
    if version != LATEST_VERSION:
        raise CopyRefused("source_version", version=version, latest=LATEST_VERSION)
    migrate(target)
    description = engine_of(source).describe(source)
    tables = _ordered_tables(description)
    filled = [table for table in tables if target.execute_sql(
        f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None]
    if filled:
        raise CopyRefused("target_not_empty", tables=", ".join(filled))
    with write_transaction(target):
        for table in tables:
            columns = list(description["tables"][table]["columns"])
            names = ", ".join(f'"{c}"' for c in columns)
            rows = source.execute_sql(f'SELECT {names} FROM "{table}" ORDER BY 1')
            copied = 0
            with target.cursor() as cursor:
                with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as stream:
                    while True:
                        chunk = rows.fetchmany(CHUNK)
                        if not chunk:
                            break
                        for row in chunk:
                            stream.write_row(row)
                        copied += len(chunk)
                        progress(table, copied)
            if "id" in columns:
                # Identity columns go on after the highest id copied.
                target.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)")
            log.info("copied %d rows of %s", copied, table)
        counts = [TableCount(table, _count(source, table), _count(target, table))
                  for table in tables]
        if not all(count.same for count in counts):  # rolls the copy back
            raise CopyRefused("counts", tables=", ".join(c.table for c in counts if not c.same))
    return counts
