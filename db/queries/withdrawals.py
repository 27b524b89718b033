"""Withdrawals (thanh lý, xuất kho): a decision with its reason, and what it took out. The sổ
đăng ký tổng quát's "xuất kho" part is read from here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from db.queries import as_date, as_datetime, execute, fetch_all


@dataclass(frozen=True)
class WithdrawalRow:
    """One withdrawal with its totals (the xuất kho line of the register)."""

    id: int
    uid: str
    ref: str
    reason: str
    decision_no: str
    decision_date: date | None
    note: str
    at: datetime
    staff_code: str
    #: Pieces withdrawn: all, books by store (``{"GK": 3, "TK": 1}``), equipment.
    pieces: int
    books_by_store: dict
    equipment_pieces: int
    #: What they were worth (đồng; prices unknown count 0).
    value: int


@dataclass(frozen=True)
class WithdrawnLine:
    """One copy, labelled item or quantity of counted stock withdrawn."""

    withdrawal_id: int
    code: str
    title: str
    store: str
    quantity: int
    unit_value: int | None
    kind: str  # book | equipment


def insert(*, uid: str, ref: str, reason: str, decision_no: str, decision_date: date | None,
           note: str, at: datetime, staff_code: str) -> int:
    """A new withdrawal; returns its id."""
    cursor = execute(
        "INSERT INTO withdrawal (uid, ref, reason, decision_no, decision_date, note, at,"
        " staff_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (uid, ref, reason, decision_no, decision_date, note, at, staff_code))
    return cursor.fetchone()[0]


def insert_line(withdrawal_id: int, *, copy_id: int | None = None, item_id: int | None = None,
                equipment_type_id: int | None = None, quantity: int = 1,
                unit_value: int | None = None, store: str = "") -> None:
    """One line of a withdrawal."""
    execute("INSERT INTO withdrawal_line (withdrawal_id, copy_id, item_id, equipment_type_id,"
            " quantity, unit_value, store) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (withdrawal_id, copy_id, item_id, equipment_type_id, quantity, unit_value, store))


_LINES = """
    SELECT l.withdrawal_id, COALESCE(copy.barcode, equipment_item.barcode, stock.code),
           COALESCE(title.title, item_type.name, stock.name), l.store, l.quantity, l.unit_value,
           CASE WHEN l.copy_id IS NULL THEN 'equipment' ELSE 'book' END
    FROM withdrawal_line l
    LEFT JOIN copy ON copy.id = l.copy_id
    LEFT JOIN title ON title.id = copy.title_id
    LEFT JOIN equipment_item ON equipment_item.id = l.item_id
    LEFT JOIN equipment_type item_type ON item_type.id = equipment_item.type_id
    LEFT JOIN equipment_type stock ON stock.id = l.equipment_type_id
"""


def lines_of(withdrawal_ids: list[int]) -> list[WithdrawnLine]:
    """The lines of some withdrawals, in order."""
    if not withdrawal_ids:
        return []
    marks = ", ".join("?" * len(withdrawal_ids))
    return [WithdrawnLine(*row) for row in fetch_all(
        f"{_LINES} WHERE l.withdrawal_id IN ({marks}) ORDER BY l.id", tuple(withdrawal_ids))]


def _rows(where: str, params: tuple) -> list[WithdrawalRow]:
    heads = fetch_all("SELECT id, uid, ref, reason, decision_no, decision_date, note, at,"
                      f" staff_code FROM withdrawal WHERE {where} ORDER BY at, id", params)
    lines = lines_of([row[0] for row in heads])
    rows = []
    for head in heads:
        own = [line for line in lines if line.withdrawal_id == head[0]]
        by_store: dict[str, int] = {}
        for line in own:
            if line.kind == "book":
                by_store[line.store] = by_store.get(line.store, 0) + line.quantity
        rows.append(WithdrawalRow(
            *head[:5], decision_date=as_date(head[5]), note=head[6], at=as_datetime(head[7]),
            staff_code=head[8], pieces=sum(line.quantity for line in own),
            books_by_store=by_store,
            equipment_pieces=sum(line.quantity for line in own if line.kind == "equipment"),
            value=sum((line.unit_value or 0) * line.quantity for line in own)))
    return rows


def in_period(start: datetime, end: datetime) -> list[WithdrawalRow]:
    """Withdrawals made in [start, end) with their totals, oldest first (the sổ đăng ký tổng
    quát's xuất kho part)."""
    return _rows("at >= ? AND at < ?", (start, end))


def by_ref(ref: str) -> WithdrawalRow | None:
    """The withdrawal an action made, by its reference."""
    rows = _rows("ref = ?", (ref,))
    return rows[0] if rows else None
