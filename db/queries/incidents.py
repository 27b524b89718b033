"""Incidents: damage, missing pieces and losses, with the patron who had the thing, until staff
resolve them (repaired, found, written off). The loss report reads them too."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db.queries import as_datetime, execute, fetch_all, fetch_one


@dataclass(frozen=True)
class IncidentRow:
    """One incident, with what it is about and who had it."""

    id: int
    uid: str
    kind: str  # damaged | missing | lost
    copy_id: int | None
    item_id: int | None
    equipment_type_id: int | None
    code: str  # the copy's or item's barcode, or the type's code for counted stock
    title: str  # the book's title or the equipment's name
    unit: str
    quantity: int
    open_quantity: int
    patron_code: str | None
    patron_name: str | None
    patron_class: str | None
    loan_id: int | None
    ref: str
    at: datetime
    note: str
    unit_value: int | None
    resolution: str | None
    resolved_at: datetime | None
    resolved_ref: str | None

    @property
    def counted(self) -> bool:
        """True for pieces of counted stock."""
        return self.equipment_type_id is not None

    @property
    def value(self) -> int:
        """What the open pieces are worth (đồng; 0 when no price is known)."""
        return (self.unit_value or 0) * self.open_quantity


_SELECT = """
    SELECT i.id, i.uid, i.kind, i.copy_id, i.item_id, i.equipment_type_id,
           COALESCE(copy.barcode, equipment_item.barcode, stock.code),
           COALESCE(title.title, item_type.name, stock.name),
           COALESCE(item_type.unit, stock.unit, ''),
           i.quantity, i.open_quantity, patron.code, patron.name, patron.class_name, i.loan_id,
           i.ref, i.at, i.note, i.unit_value, i.resolution, i.resolved_at, i.resolved_ref
    FROM incident i
    LEFT JOIN patron ON patron.id = i.patron_id
    LEFT JOIN copy ON copy.id = i.copy_id
    LEFT JOIN title ON title.id = copy.title_id
    LEFT JOIN equipment_item ON equipment_item.id = i.item_id
    LEFT JOIN equipment_type item_type ON item_type.id = equipment_item.type_id
    LEFT JOIN equipment_type stock ON stock.id = i.equipment_type_id
"""


def _from(row) -> IncidentRow:
    values = list(row)
    values[16] = as_datetime(values[16])
    values[20] = as_datetime(values[20])
    return IncidentRow(*values)


def _select(where: str, params: tuple = (), order: str = "i.at, i.id") -> list[IncidentRow]:
    return [_from(row) for row in fetch_all(f"{_SELECT} WHERE {where} ORDER BY {order}", params)]


def insert(*, uid: str, kind: str, quantity: int, ref: str, at: datetime, note: str = "",
           copy_id: int | None = None, item_id: int | None = None,
           equipment_type_id: int | None = None, patron_id: int | None = None,
           loan_id: int | None = None, unit_value: int | None = None) -> int:
    """A new open incident; returns its id."""
    cursor = execute(
        "INSERT INTO incident (uid, kind, copy_id, item_id, equipment_type_id, quantity,"
        " open_quantity, patron_id, loan_id, ref, at, note, unit_value)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (uid, kind, copy_id, item_id, equipment_type_id, quantity, quantity, patron_id, loan_id,
         ref, at, note, unit_value))
    return cursor.fetchone()[0]


def by_id(incident_id: int) -> IncidentRow | None:
    """One incident."""
    rows = _select("i.id = ?", (incident_id,))
    return rows[0] if rows else None


def open_incidents(kind: str | None = None) -> list[IncidentRow]:
    """Incidents with pieces still to resolve (all, or of one kind), oldest first."""
    if kind is None:
        return _select("i.open_quantity > 0")
    return _select("i.open_quantity > 0 AND i.kind = ?", (kind,))


def open_of(*, copy_id: int | None = None, item_id: int | None = None) -> list[IncidentRow]:
    """The open incidents of one copy or labelled item."""
    if copy_id is not None:
        return _select("i.open_quantity > 0 AND i.copy_id = ?", (copy_id,))
    return _select("i.open_quantity > 0 AND i.item_id = ?", (item_id,))


def in_period(start: datetime, end: datetime, kind: str | None = None) -> list[IncidentRow]:
    """Incidents recorded in [start, end) (the loss report), oldest first."""
    if kind is None:
        return _select("i.at >= ? AND i.at < ?", (start, end))
    return _select("i.at >= ? AND i.at < ? AND i.kind = ?", (start, end, kind))


def resolve(incident_id: int, quantity: int, *, resolution: str, at: datetime,
            ref: str) -> bool:
    """Resolve ``quantity`` open pieces of an incident; False when fewer are open."""
    cursor = execute(
        "UPDATE incident SET open_quantity = open_quantity - ?, resolution = ?,"
        " resolved_at = ?, resolved_ref = ? WHERE id = ? AND open_quantity >= ?",
        (quantity, resolution, at, ref, incident_id, quantity))
    return cursor.rowcount == 1


def open_count() -> int:
    """How many incidents wait for staff."""
    return fetch_one("SELECT count(*) FROM incident WHERE open_quantity > 0")[0]
