"""Read-only queries behind the registers, streamed: each returns a cursor-backed iterator of
plain tuples in the order the register prints them, so a school year of a million loans is
never held in memory. Voided loans (mistakes) are left out.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterator

from db.queries import execute, fetch_all

#: Rows fetched from the driver at a time.
CHUNK = 2000


def _stream(sql: str, params: tuple) -> Iterator[tuple]:
    cursor = execute(sql, params)
    while True:
        rows = cursor.fetchmany(CHUNK)
        if not rows:
            return
        yield from rows


# -- loans ----------------------------------------------------------------------------------
BOOK_LOAN_COLUMNS = ("out_at", "patron_code", "patron_name", "patron_kind", "class_name",
                     "subject_group", "barcode", "title", "author", "due_on", "returned_at",
                     "renewals", "condition")


def book_loans(low: datetime, high: datetime, kinds: tuple[str, ...]) -> Iterator[tuple]:
    """Book loans made in [low, high) by patrons of ``kinds``, oldest first
    (:data:`BOOK_LOAN_COLUMNS`)."""
    marks = ", ".join("?" * len(kinds))
    return _stream(
        f"SELECT loan.out_at, patron.code, patron.name, patron.kind, patron.class_name, "
        f"patron.subject_group, copy.barcode, title.title, title.author, loan.due_on, "
        f"loan.returned_at, loan.renewals, loan.return_condition FROM loan "
        f"JOIN patron ON patron.id = loan.patron_id JOIN copy ON copy.id = loan.copy_id "
        f"JOIN title ON title.id = copy.title_id "
        f"WHERE loan.kind = 'book' AND loan.out_at >= ? AND loan.out_at < ? "
        f"AND loan.voided_at IS NULL AND patron.kind IN ({marks}) ORDER BY loan.out_at, loan.id",
        (low, high, *kinds))


def book_loan_count(low: datetime, high: datetime) -> int:
    """Book loans (not voided) made in [low, high)."""
    return fetch_all("SELECT COUNT(*) FROM loan WHERE kind = 'book' AND out_at >= ? "
                     "AND out_at < ? AND voided_at IS NULL", (low, high))[0][0]


EQUIPMENT_COLUMNS = ("sort_group", "teacher_code", "teacher_name", "lesson_date", "session",
                     "period", "class_name", "subject", "ppct", "title", "purpose", "self_made",
                     "equipment_name", "equipment_code", "unit", "quantity",
                     "returned_good", "returned_damaged", "returned_missing", "returned_lost",
                     "out_at", "returned_at", "condition", "long_term", "due_on")

_EQUIPMENT_SELECT = """
    SELECT {group} AS sort_group, teacher.code, teacher.name, lesson.lesson_date, lesson.session,
           lesson.period, lesson.class_name, lesson.subject, lesson.ppct, lesson.title,
           lesson.purpose, lesson.self_made,
           COALESCE(item_type.name, stock.name), COALESCE(item_type.code, stock.code),
           COALESCE(item_type.unit, stock.unit), loan.quantity, loan.returned_good,
           loan.returned_damaged, loan.returned_missing, loan.returned_lost,
           loan.out_at, loan.returned_at, loan.return_condition, loan.long_term, loan.due_on,
           COALESCE(lesson.lesson_date, loan.due_on) AS sort_day, loan.id AS sort_id
    FROM loan
    JOIN patron teacher ON teacher.id = loan.patron_id
    LEFT JOIN lesson ON lesson.id = loan.lesson_id
    LEFT JOIN equipment_item ON equipment_item.id = loan.item_id
    LEFT JOIN equipment_type item_type ON item_type.id = equipment_item.type_id
    LEFT JOIN equipment_type stock ON stock.id = loan.equipment_type_id
    WHERE loan.kind = 'equipment' AND loan.voided_at IS NULL AND {where}
"""

_SELF_MADE_SELECT = """
    SELECT lesson.subject_group AS sort_group, teacher.code, teacher.name, lesson.lesson_date,
           lesson.session, lesson.period, lesson.class_name, lesson.subject, lesson.ppct,
           lesson.title, lesson.purpose, lesson.self_made, NULL, NULL, NULL, 0, 0, 0, 0, 0,
           NULL, NULL, NULL, 0, NULL, lesson.lesson_date AS sort_day, 0 AS sort_id
    FROM lesson JOIN patron teacher ON teacher.id = lesson.teacher_id
    WHERE lesson.self_made != '' AND lesson.lesson_date >= ? AND lesson.lesson_date <= ?
      AND NOT EXISTS (SELECT 1 FROM loan WHERE loan.lesson_id = lesson.id)
"""


_SESSION_ORDER = "CASE session WHEN 'morning' THEN 0 WHEN 'afternoon' THEN 1 ELSE 2 END"


def usage_lines(start: date, end: date, low: datetime, high: datetime) -> Iterator[tuple]:
    """The sổ theo dõi sử dụng TBDH's lines (:data:`EQUIPMENT_COLUMNS`): loans for lessons
    taught from ``start`` to ``end``, long-term loans made in [low, high), and lessons taught
    with self-made equipment only; by the lesson's subject group (the teacher's for a long-term
    loan), then by day, buổi and tiết."""
    lessons = _EQUIPMENT_SELECT.format(
        group="lesson.subject_group",
        where="loan.lesson_id IS NOT NULL AND lesson.lesson_date >= ? AND lesson.lesson_date <= ?")
    long_term = _EQUIPMENT_SELECT.format(
        group="teacher.subject_group",
        where="loan.lesson_id IS NULL AND loan.out_at >= ? AND loan.out_at < ?")
    return _stream(
        f"SELECT * FROM ({lessons} UNION ALL {long_term} UNION ALL {_SELF_MADE_SELECT}) lines "
        f"ORDER BY sort_group, sort_day, {_SESSION_ORDER}, period, class_name, sort_id",
        (start, end, low, high, start, end))


def teacher_lines(start: date, end: date, low: datetime, high: datetime) -> Iterator[tuple]:
    """Each teacher's sổ mượn trả thiết bị lines (:data:`EQUIPMENT_COLUMNS`; the group column
    is the teacher's group now), by teacher code, then by the day and period taught."""
    lessons = _EQUIPMENT_SELECT.format(
        group="teacher.subject_group",
        where="loan.lesson_id IS NOT NULL AND lesson.lesson_date >= ? AND lesson.lesson_date <= ?")
    long_term = _EQUIPMENT_SELECT.format(
        group="teacher.subject_group",
        where="loan.lesson_id IS NULL AND loan.out_at >= ? AND loan.out_at < ?")
    return _stream(
        f"SELECT * FROM ({lessons} UNION ALL {long_term}) lines "
        f"ORDER BY 2, sort_day, {_SESSION_ORDER}, period, sort_id", (start, end, low, high))


# -- the collection -------------------------------------------------------------------------
COPY_COLUMNS = ("added_on", "barcode", "title", "author", "publisher", "year", "price",
                "classification", "store", "status", "updated_at")


def copies(store: str, until: date) -> Iterator[tuple]:
    """Copies of a store added up to ``until`` (or undated), by accession number
    (:data:`COPY_COLUMNS`)."""
    return _stream(
        "SELECT copy.added_on, copy.barcode, title.title, title.author, title.publisher, "
        "title.year, COALESCE(copy.price, title.price), title.classification, copy.store, "
        "copy.status, copy.updated_at FROM copy JOIN title ON title.id = copy.title_id "
        "WHERE copy.store = ? AND (copy.added_on IS NULL OR copy.added_on <= ?) "
        "ORDER BY copy.barcode", (store, until))


def stores() -> list[str]:
    """The stores (kho) that hold copies."""
    return [store for (store,) in fetch_all(
        "SELECT DISTINCT store FROM copy WHERE store != '' ORDER BY store")]


def intake_batches(until: date) -> list[tuple]:
    """Copies added, by day and store, up to ``until``: (day, store, copies, titles, value,
    first barcode, last barcode), oldest first. A day's copies of one store are one batch."""
    return fetch_all(
        "SELECT copy.added_on, copy.store, COUNT(*), COUNT(DISTINCT copy.title_id), "
        "SUM(COALESCE(copy.price, title.price, 0)), MIN(copy.barcode), MAX(copy.barcode) "
        "FROM copy JOIN title ON title.id = copy.title_id "
        "WHERE copy.added_on IS NOT NULL AND copy.added_on <= ? "
        "GROUP BY copy.added_on, copy.store ORDER BY copy.added_on, copy.store", (until,))


def removed_copies(until: datetime) -> Iterator[tuple]:
    """Copies withdrawn or lost (changed up to ``until``): (changed at, barcode, title, store,
    price, status), by the time they changed."""
    return _stream(
        "SELECT copy.updated_at, copy.barcode, title.title, copy.store, "
        "COALESCE(copy.price, title.price), copy.status FROM copy "
        "JOIN title ON title.id = copy.title_id WHERE copy.status IN ('withdrawn', 'lost') "
        "AND copy.updated_at < ? ORDER BY copy.updated_at, copy.barcode", (until,))


def stock_by_store() -> list[tuple]:
    """Copies by store and status, with their value: (store, status, copies, value)."""
    return fetch_all(
        "SELECT copy.store, copy.status, COUNT(*), SUM(COALESCE(copy.price, title.price, 0)) "
        "FROM copy JOIN title ON title.id = copy.title_id GROUP BY copy.store, copy.status "
        "ORDER BY copy.store, copy.status")


# -- equipment assets -----------------------------------------------------------------------
ASSET_COLUMNS = ("id", "code", "name", "year", "country", "unit", "unit_price", "tracking",
                 "stock_total", "added_on", "items_before", "items_added", "removed_in_year",
                 "removed_before", "damaged")


def equipment_assets(year_start: date, year_end: date, low: datetime, high: datetime
                     ) -> list[tuple]:
    """Every equipment type with its labelled items counted for one year
    (:data:`ASSET_COLUMNS`): items declared before the year, during it; items withdrawn or lost
    during the year ([low, high) in stored time) and before it; items damaged now."""
    return fetch_all(
        "SELECT t.id, t.code, t.name, t.year, t.country, t.unit, t.unit_price, t.tracking, "
        "t.stock_total, t.added_on, "
        "SUM(CASE WHEN i.id IS NOT NULL AND (i.added_on IS NULL OR i.added_on < ?) "
        "THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN i.added_on >= ? AND i.added_on <= ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN i.status IN ('withdrawn', 'lost') AND i.updated_at >= ? "
        "AND i.updated_at < ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN i.status IN ('withdrawn', 'lost') AND i.updated_at < ? "
        "THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN i.status = 'damaged' OR i.condition = 'damaged' THEN 1 ELSE 0 END) "
        "FROM equipment_type t LEFT JOIN equipment_item i ON i.type_id = t.id "
        "WHERE t.added_on IS NULL OR t.added_on <= ? "
        "GROUP BY t.id, t.code, t.name, t.year, t.country, t.unit, t.unit_price, t.tracking, "
        "t.stock_total, t.added_on ORDER BY t.code",
        (year_start, year_start, year_end, low, high, low, year_end))
