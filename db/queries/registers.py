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
def book_loan_lines(low: datetime, high: datetime) -> Iterator[tuple]:
    """Book loans made in [low, high), oldest first: (out_at, patron id, copy id, due_on,
    returned_at, renewals, return condition). The loan's own columns only, read along the
    ``out_at`` index: the patrons and copies are looked up once each (:func:`patron_cells`,
    :func:`copy_cells`), not joined into every one of a school year's million rows."""
    return _stream(
        "SELECT out_at, patron_id, copy_id, due_on, returned_at, renewals, return_condition "
        "FROM loan WHERE kind = 'book' AND out_at >= ? AND out_at < ? AND voided_at IS NULL "
        "ORDER BY out_at, id", (low, high))


def patron_cells() -> dict[int, tuple]:
    """Every patron by id: (kind, code, name, class, subject group)."""
    return {row[0]: row[1:] for row in fetch_all(
        "SELECT id, kind, code, name, class_name, subject_group FROM patron")}


def copy_cells() -> dict[int, tuple]:
    """Every copy by id: (barcode, title, author)."""
    return {row[0]: row[1:] for row in fetch_all(
        "SELECT copy.id, copy.barcode, title.title, title.author FROM copy "
        "JOIN title ON title.id = copy.title_id")}


def book_loan_count(low: datetime, high: datetime) -> int:
    """Book loans (not voided) made in [low, high)."""
    return fetch_all("SELECT COUNT(*) FROM loan WHERE kind = 'book' AND out_at >= ? "
                     "AND out_at < ? AND voided_at IS NULL", (low, high))[0][0]


EQUIPMENT_COLUMNS = ("sort_group", "teacher_code", "teacher_name", "lesson_date", "session",
                     "period", "class_name", "subject", "ppct", "title", "purpose", "self_made",
                     "equipment_name", "equipment_code", "unit", "quantity",
                     "returned_good", "returned_damaged", "returned_missing", "returned_lost",
                     "out_at", "returned_at", "condition", "long_term", "due_on")

# "+loan.patron_id": without it SQLite reads long-term loans teacher by teacher through
# loan_patron, every book loan of the year included (1.9 s at a million loans, for none found);
# with it, the equipment loans of the period along loan_reading (kind, out_at): 0.04 s.
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
    JOIN patron teacher ON teacher.id = +loan.patron_id
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
                "classification", "store", "status", "updated_at", "id")


def copies(store: str, until: date) -> Iterator[tuple]:
    """Copies of a store added up to ``until`` (or undated), by accession number
    (:data:`COPY_COLUMNS`)."""
    return _stream(
        "SELECT copy.added_on, copy.barcode, title.title, title.author, title.publisher, "
        "title.year, COALESCE(copy.price, title.price), title.classification, copy.store, "
        "copy.status, copy.updated_at, copy.id FROM copy JOIN title ON title.id = copy.title_id "
        "WHERE copy.store = ? AND (copy.added_on IS NULL OR copy.added_on <= ?) "
        "ORDER BY copy.barcode", (store, until))


def copy_stocktakes(until: datetime) -> list[tuple]:
    """What each copy ended the finished stock-takes as, up to ``until`` (stored time): (copy
    id, finished at, status), oldest stock-take first."""
    return fetch_all(
        "SELECT r.copy_id, s.finished_at, r.status FROM stocktake_result r "
        "JOIN stocktake s ON s.id = r.stocktake_id WHERE s.state = 'finished' "
        "AND r.copy_id IS NOT NULL AND s.finished_at < ? ORDER BY s.finished_at, s.id",
        (until,))


def copy_withdrawals(until: datetime) -> list[tuple]:
    """Copies withdrawn (thanh lý) up to ``until``: (copy id, withdrawn at)."""
    return fetch_all(
        "SELECT l.copy_id, w.at FROM withdrawal_line l JOIN withdrawal w ON w.id = l.withdrawal_id "
        "WHERE l.copy_id IS NOT NULL AND w.at < ?", (until,))


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
    (:data:`ASSET_COLUMNS`): items declared before the year, during it; items lost (and not
    withdrawn since) during the year ([low, high) in stored time) and before it; items damaged
    now. Withdrawals are read apart (:func:`equipment_withdrawals`)."""
    return fetch_all(
        "SELECT t.id, t.code, t.name, t.year, t.country, t.unit, t.unit_price, t.tracking, "
        "t.stock_total, t.added_on, "
        "SUM(CASE WHEN i.id IS NOT NULL AND (i.added_on IS NULL OR i.added_on < ?) "
        "THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN i.added_on >= ? AND i.added_on <= ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN i.status = 'lost' AND i.updated_at >= ? "
        "AND i.updated_at < ? THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN i.status = 'lost' AND i.updated_at < ? "
        "THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN i.status = 'damaged' OR i.condition = 'damaged' THEN 1 ELSE 0 END) "
        "FROM equipment_type t LEFT JOIN equipment_item i ON i.type_id = t.id "
        "WHERE t.added_on IS NULL OR t.added_on <= ? "
        "GROUP BY t.id, t.code, t.name, t.year, t.country, t.unit, t.unit_price, t.tracking, "
        "t.stock_total, t.added_on ORDER BY t.code",
        (year_start, year_start, year_end, low, high, low, year_end))


def equipment_withdrawals() -> list[tuple]:
    """Equipment withdrawn (thanh lý): (type id, withdrawn at, pieces), labelled items and
    counted stock alike."""
    return fetch_all(
        "SELECT COALESCE(i.type_id, l.equipment_type_id), w.at, l.quantity "
        "FROM withdrawal_line l JOIN withdrawal w ON w.id = l.withdrawal_id "
        "LEFT JOIN equipment_item i ON i.id = l.item_id "
        "WHERE l.item_id IS NOT NULL OR l.equipment_type_id IS NOT NULL")


def equipment_damage() -> list[tuple]:
    """Equipment found damaged (incidents of kind ``damaged``): (incident uid, type id,
    recorded at, pieces, pieces still open, last resolved at)."""
    return fetch_all(
        "SELECT n.uid, COALESCE(i.type_id, n.equipment_type_id), n.at, n.quantity, "
        "n.open_quantity, n.resolved_at FROM incident n "
        "LEFT JOIN equipment_item i ON i.id = n.item_id "
        "WHERE n.kind = 'damaged' AND (n.item_id IS NOT NULL OR n.equipment_type_id IS NOT NULL)")


def incident_resolutions() -> list[tuple]:
    """Each time staff resolved pieces of an incident (the journal keeps every part of it):
    (incident uid, at, the journal's before and after as JSON: {"open": n})."""
    return fetch_all(
        "SELECT entity_key, at, before, after FROM journal WHERE entity = 'incident' "
        "AND action IN ('resolve_repaired', 'resolve_found', 'resolve_written_off')")
