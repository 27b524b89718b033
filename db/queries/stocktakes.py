"""Stock-takes (kiểm kê): sessions, the codes seen, counted quantities, and the status each item
ended with. Loading a scanner's batch file is one read of the session's scope and one bulk
insert, so 20,000 codes against 100,000 copies load in well under the 2 s the issue asks."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from db.queries import as_datetime, execute, execute_many, fetch_all, fetch_one
from db.vocabulary import WITHDRAWN

_CHUNK = 500


@dataclass(frozen=True)
class StocktakeRow:
    """One stock-take session and its scope."""

    id: int
    uid: str
    ref: str
    kind: str  # book | equipment
    store: str  # books: the store (kho) GK/TK/NV/TN; empty = every store
    room: str  # equipment: the room; empty = every room
    shelf: str  # books: a shelf-mark prefix; empty = the whole store
    committee: list  # [{"name": ..., "role": ...}]
    note: str
    state: str
    opened_at: datetime
    opened_by: str
    finished_at: datetime | None
    finished_ref: str | None


@dataclass(frozen=True)
class ScopeEntry:
    """A copy or labelled item the stock-take expects to see, as it is now."""

    kind: str  # copy | item
    id: int
    code: str
    title: str
    status: str
    unit_value: int | None
    place: str  # its store (books) or room (equipment)


@dataclass(frozen=True)
class CountedEntry:
    """A kind of counted stock in scope, with its counts now."""

    id: int
    code: str
    name: str
    unit: str
    on_hand: int
    damaged: int
    missing: int
    on_loan: int
    unit_value: int | None


_COLUMNS = ("id, uid, ref, kind, store, room, shelf, committee, note, state, opened_at, "
            "opened_by, finished_at, finished_ref")


def _row(row) -> StocktakeRow | None:
    if row is None:
        return None
    values = list(row)
    values[7] = json.loads(values[7] or "[]")
    values[10] = as_datetime(values[10])
    values[12] = as_datetime(values[12])
    return StocktakeRow(*values)


def insert(*, uid: str, ref: str, kind: str, store: str, room: str, shelf: str,
           committee: list, note: str, at: datetime, opened_by: str) -> int:
    """A new open stock-take; returns its id."""
    cursor = execute(
        "INSERT INTO stocktake (uid, ref, kind, store, room, shelf, committee, note, state,"
        " opened_at, opened_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id",
        (uid, ref, kind, store, room, shelf, json.dumps(committee, ensure_ascii=False), note,
         at, opened_by))
    return cursor.fetchone()[0]


def by_id(stocktake_id: int) -> StocktakeRow | None:
    """One stock-take."""
    return _row(fetch_one(f"SELECT {_COLUMNS} FROM stocktake WHERE id = ?", (stocktake_id,)))


def by_ref(ref: str) -> StocktakeRow | None:
    """The stock-take opened by this reference (KK-...)."""
    return _row(fetch_one(f"SELECT {_COLUMNS} FROM stocktake WHERE ref = ?", (ref,)))


def open_sessions() -> list[StocktakeRow]:
    """Stock-takes still open, oldest first."""
    return [_row(r) for r in fetch_all(
        f"SELECT {_COLUMNS} FROM stocktake WHERE state = 'open' ORDER BY id")]


def recent(limit: int = 10) -> list[StocktakeRow]:
    """The latest stock-takes, newest first."""
    return [_row(r) for r in fetch_all(
        f"SELECT {_COLUMNS} FROM stocktake ORDER BY id DESC LIMIT {int(limit)}")]


def set_finished(stocktake_id: int, at: datetime, ref: str) -> bool:
    """Close an open stock-take; False when it was no longer open."""
    cursor = execute("UPDATE stocktake SET state = 'finished', finished_at = ?, finished_ref = ?"
                     " WHERE id = ? AND state = 'open'", (at, ref, stocktake_id))
    return cursor.rowcount == 1


# -- the scope ------------------------------------------------------------------------------
def scope(take: StocktakeRow) -> list[ScopeEntry]:
    """Every copy or labelled item the stock-take expects (withdrawn ones left out)."""
    if take.kind == "book":
        where, params = ["copy.status != ?"], [WITHDRAWN]
        if take.store:
            where.append("copy.store = ?")
            params.append(take.store)
        if take.shelf:
            where.append("copy.shelf_mark >= ? AND copy.shelf_mark < ?")
            params += [take.shelf, take.shelf + "\U0010ffff"]
        rows = fetch_all(
            "SELECT copy.id, copy.barcode, title.title, copy.status,"
            " COALESCE(copy.price, title.price), copy.store FROM copy"
            f" JOIN title ON title.id = copy.title_id WHERE {' AND '.join(where)}", params)
        return [ScopeEntry("copy", *row) for row in rows]
    where, params = ["i.status != ?"], [WITHDRAWN]
    if take.room:
        where.append("i.location = ?")
        params.append(take.room)
    rows = fetch_all(
        "SELECT i.id, i.barcode, t.name, i.status, t.unit_price, i.location"
        " FROM equipment_item i JOIN equipment_type t ON t.id = i.type_id"
        f" WHERE {' AND '.join(where)}", params)
    return [ScopeEntry("item", *row) for row in rows]


def scope_codes(take: StocktakeRow) -> dict[str, tuple[str, int]]:
    """code -> (``copy`` or ``item``, id) of everything the stock-take expects: the lean form
    of :func:`scope` a batch load classifies against (one index range, no join)."""
    if take.kind == "book":
        where, params = ["status != ?"], [WITHDRAWN]
        if take.store:
            where.append("store = ?")
            params.append(take.store)
        if take.shelf:
            where.append("shelf_mark >= ? AND shelf_mark < ?")
            params += [take.shelf, take.shelf + "\U0010ffff"]
        return {code: ("copy", row_id) for code, row_id in fetch_all(
            f"SELECT barcode, id FROM copy WHERE {' AND '.join(where)}", params)}
    where, params = ["status != ?"], [WITHDRAWN]
    if take.room:
        where.append("location = ?")
        params.append(take.room)
    return {code: ("item", row_id) for code, row_id in fetch_all(
        f"SELECT barcode, id FROM equipment_item WHERE {' AND '.join(where)}", params)}


def counted_scope(take: StocktakeRow) -> list[CountedEntry]:
    """The counted stock a stock-take of equipment counts (none for books)."""
    if take.kind != "equipment":
        return []
    where, params = "tracking = 'counted' AND stock_total > 0", []
    if take.room:
        where += " AND location = ?"
        params.append(take.room)
    rows = fetch_all("SELECT id, code, name, unit, stock_on_hand, stock_damaged, stock_missing,"
                     " stock_total - stock_on_hand - stock_damaged - stock_missing, unit_price"
                     f" FROM equipment_type WHERE {where} ORDER BY code", params)
    return [CountedEntry(*row) for row in rows]


def places_of(codes: list[str]) -> dict[str, tuple[str, int, str]]:
    """Codes that are copies or labelled items anywhere: code -> (kind, id, store or room)."""
    found: dict[str, tuple[str, int, str]] = {}
    for start in range(0, len(codes), _CHUNK):
        chunk = codes[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        for code, row_id, place in fetch_all(
                f"SELECT barcode, id, store FROM copy WHERE barcode IN ({marks})", chunk):
            found[code] = ("copy", row_id, place)
        for code, row_id, place in fetch_all(
                f"SELECT barcode, id, location FROM equipment_item WHERE barcode IN ({marks})",
                chunk):
            found.setdefault(code, ("item", row_id, place))
    return found


# -- what was seen --------------------------------------------------------------------------
@dataclass(frozen=True)
class ScanRow:
    """A code seen during a stock-take."""

    code: str
    result: str
    copy_id: int | None
    item_id: int | None
    damaged: bool


def scans(stocktake_id: int) -> list[ScanRow]:
    """Every code seen so far, in order."""
    return [ScanRow(code, result, copy_id, item_id, bool(damaged))
            for code, result, copy_id, item_id, damaged in fetch_all(
                "SELECT code, result, copy_id, item_id, damaged FROM stocktake_scan"
                " WHERE stocktake_id = ? ORDER BY id", (stocktake_id,))]


def seen_codes(stocktake_id: int) -> set[str]:
    """The codes already seen (for duplicates)."""
    return {code for (code,) in fetch_all(
        "SELECT code FROM stocktake_scan WHERE stocktake_id = ?", (stocktake_id,))}


def insert_scans(stocktake_id: int, rows: list[tuple], at: datetime,
                 load_id: int | None = None) -> None:
    """Record codes seen: ``(code, result, copy_id, item_id, damaged)`` each, in one
    statement."""
    # The time as stored, made once (not once per row by the driver's adapter).
    stamp = at.isoformat(" ")
    db_rows = [(stocktake_id, code, stamp, load_id, result, copy_id, item_id, int(damaged))
               for code, result, copy_id, item_id, damaged in rows]
    execute_many("INSERT INTO stocktake_scan (stocktake_id, code, at, load_id, result, copy_id,"
                 " item_id, damaged) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", db_rows)


def insert_load(stocktake_id: int, *, name: str, digest: str, codes: int,
                at: datetime) -> int | None:
    """A loaded file; None when the same file was loaded into this stock-take already."""
    if fetch_one("SELECT 1 FROM stocktake_load WHERE stocktake_id = ? AND digest = ?",
                 (stocktake_id, digest)):
        return None
    cursor = execute("INSERT INTO stocktake_load (stocktake_id, name, digest, codes, loaded_at)"
                     " VALUES (?, ?, ?, ?, ?) RETURNING id",
                     (stocktake_id, name, digest, codes, at))
    return cursor.fetchone()[0]


def loads(stocktake_id: int) -> list[tuple[str, int]]:
    """(file name, codes) of the files loaded, in order."""
    return [tuple(row) for row in fetch_all(
        "SELECT name, codes FROM stocktake_load WHERE stocktake_id = ? ORDER BY id",
        (stocktake_id,))]


def set_count(stocktake_id: int, type_id: int, good: int, damaged: int, at: datetime) -> None:
    """The pieces of one kind of counted stock counted (the latest count replaces the last)."""
    execute("INSERT INTO stocktake_count (stocktake_id, equipment_type_id, good, damaged, at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (stocktake_id, equipment_type_id)"
            " DO UPDATE SET good = excluded.good, damaged = excluded.damaged, at = excluded.at",
            (stocktake_id, type_id, good, damaged, at))


def counts(stocktake_id: int) -> dict[int, tuple[int, int]]:
    """type id -> (good, damaged) counted."""
    return {type_id: (good, damaged) for type_id, good, damaged in fetch_all(
        "SELECT equipment_type_id, good, damaged FROM stocktake_count WHERE stocktake_id = ?",
        (stocktake_id,))}


# -- the result -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ResultRow:
    """What one item (or pieces of counted stock) ended a stock-take as."""

    code: str
    title: str
    status: str
    quantity: int
    unit_value: int | None
    kind: str  # copy | item | stock


def insert_results(stocktake_id: int, rows: list[tuple]) -> None:
    """``(copy_id, item_id, type_id, status, quantity, unit_value)`` each, in one statement."""
    execute_many("INSERT INTO stocktake_result (stocktake_id, copy_id, item_id,"
                 " equipment_type_id, status, quantity, unit_value)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)", [(stocktake_id, *row) for row in rows])


def results(stocktake_id: int) -> list[ResultRow]:
    """The result of a finished stock-take, item by item, in code order."""
    return [ResultRow(*row) for row in fetch_all(
        "SELECT COALESCE(copy.barcode, equipment_item.barcode, stock.code),"
        " COALESCE(title.title, item_type.name, stock.name), r.status, r.quantity,"
        " r.unit_value, CASE WHEN r.copy_id IS NOT NULL THEN 'copy'"
        " WHEN r.item_id IS NOT NULL THEN 'item' ELSE 'stock' END"
        " FROM stocktake_result r"
        " LEFT JOIN copy ON copy.id = r.copy_id LEFT JOIN title ON title.id = copy.title_id"
        " LEFT JOIN equipment_item ON equipment_item.id = r.item_id"
        " LEFT JOIN equipment_type item_type ON item_type.id = equipment_item.type_id"
        " LEFT JOIN equipment_type stock ON stock.id = r.equipment_type_id"
        " WHERE r.stocktake_id = ? ORDER BY 1, r.status", (stocktake_id,))]


def finished_in(start: datetime, end: datetime) -> list[StocktakeRow]:
    """Stock-takes finished in [start, end) (the registers' kiểm kê part), oldest first."""
    return [_row(r) for r in fetch_all(
        f"SELECT {_COLUMNS} FROM stocktake WHERE state = 'finished' AND finished_at >= ?"
        " AND finished_at < ? ORDER BY finished_at", (start, end))]


def status_totals(stocktake_id: int) -> dict[str, tuple[int, int]]:
    """status -> (pieces, value) of a finished stock-take."""
    return {status: (pieces, value or 0) for status, pieces, value in fetch_all(
        "SELECT status, SUM(quantity), SUM(quantity * COALESCE(unit_value, 0))"
        " FROM stocktake_result WHERE stocktake_id = ? GROUP BY status", (stocktake_id,))}
