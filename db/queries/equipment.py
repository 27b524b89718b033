"""Teaching equipment: types (counted stock lives on the type) and labelled items."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from db.models import EquipmentItem, EquipmentType
from db.queries import execute, fetch_all, fetch_one
from db.vocabulary import AVAILABLE, ON_LOAN, TRACK_COUNTED, TRACK_ITEM

_TYPE_COLUMNS = ("id, code, name, group_name, type_name, subject, grade, unit, tracking, "
                 "stock_total, stock_on_hand, stock_damaged, stock_missing, unit_price, country, "
                 "year, location")


@dataclass(frozen=True)
class EquipmentTypeRow:
    """A kind of equipment; ``stock_*`` count its unlabelled pieces."""

    id: int
    code: str
    name: str
    group_name: str
    type_name: str
    subject: str
    grade: str
    unit: str
    tracking: str
    stock_total: int
    stock_on_hand: int
    stock_damaged: int = 0
    stock_missing: int = 0
    unit_price: int | None = None
    country: str = ""
    year: int | None = None
    location: str = ""

    @property
    def counted(self) -> bool:
        """True for counted stock (no labels: a loan is a quantity)."""
        return self.tracking == TRACK_COUNTED

    @property
    def stock_on_loan(self) -> int:
        """Pieces of counted stock out on loan now (what is neither on hand, damaged nor
        missing)."""
        return max(0, self.stock_total - self.stock_on_hand - self.stock_damaged
                   - self.stock_missing)


@dataclass(frozen=True)
class ItemRow:
    """A labelled piece of equipment with its type."""

    id: int
    barcode: str
    status: str
    type: EquipmentTypeRow


_ITEM = f"""
    SELECT equipment_item.id, equipment_item.barcode, equipment_item.status,
           {", ".join("t." + c.strip() for c in _TYPE_COLUMNS.split(","))}
    FROM equipment_item JOIN equipment_type t ON t.id = equipment_item.type_id
    WHERE equipment_item.barcode = ?
"""


def item_by_barcode(barcode: str) -> ItemRow | None:
    """The labelled item with this barcode (a unique index lookup, its type joined)."""
    row = fetch_one(_ITEM, (barcode,))
    if row is None:
        return None
    return ItemRow(id=row[0], barcode=row[1], status=row[2], type=EquipmentTypeRow(*row[3:]))


def type_by_code(code: str) -> EquipmentTypeRow | None:
    """The equipment type with this code."""
    row = fetch_one(f"SELECT {_TYPE_COLUMNS} FROM equipment_type WHERE code = ?", (code,))
    return EquipmentTypeRow(*row) if row else None


def type_by_id(type_id: int) -> EquipmentTypeRow | None:
    """The equipment type with this row id."""
    row = fetch_one(f"SELECT {_TYPE_COLUMNS} FROM equipment_type WHERE id = ?", (type_id,))
    return EquipmentTypeRow(*row) if row else None


def counted_types() -> list[EquipmentTypeRow]:
    """Every kind of counted stock (unordered: the caller sorts)."""
    return [EquipmentTypeRow(*row) for row in fetch_all(
        f"SELECT {_TYPE_COLUMNS} FROM equipment_type WHERE tracking = ?", (TRACK_COUNTED,))]


def all_types() -> list[EquipmentTypeRow]:
    """Every kind of equipment, by code (a school has some hundreds)."""
    return [EquipmentTypeRow(*row) for row in fetch_all(
        f"SELECT {_TYPE_COLUMNS} FROM equipment_type ORDER BY code")]


@dataclass(frozen=True)
class ItemState:
    """A labelled item's id, type, label and status."""

    id: int
    type_id: int
    barcode: str
    status: str


def item_states(type_ids: list[int]) -> list[ItemState]:
    """The labelled items of some types, by label."""
    if not type_ids:
        return []
    found: list[ItemState] = []
    for start in range(0, len(type_ids), 500):
        chunk = type_ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        found += [ItemState(*row) for row in fetch_all(
            f"SELECT id, type_id, barcode, status FROM equipment_item WHERE type_id IN ({marks})"
            " ORDER BY barcode", tuple(chunk))]
    return sorted(found, key=lambda item: item.barcode)


def lock_types(type_ids: list[int]) -> None:
    """Inside a write transaction, make other writers that lock the same kinds wait for this
    one (bookings and loans of one kind, one at a time). SQLite's write transaction already
    holds the whole database; this touches the rows so that a server with row locks takes
    them too."""
    if type_ids:
        marks = ", ".join("?" * len(type_ids))
        execute(f"UPDATE equipment_type SET id = id WHERE id IN ({marks})", tuple(type_ids))


def subjects() -> list[str]:
    """Every subject equipment is filed under (unordered)."""
    return [subject for (subject,) in fetch_all(
        "SELECT DISTINCT subject FROM equipment_type WHERE subject != ''")]


def take_item(item_id: int, at: datetime) -> bool:
    """Mark an available item as lent; False when it is not available (nothing changed)."""
    cursor = execute("UPDATE equipment_item SET status = ?, updated_at = ? "
                     "WHERE id = ? AND status = ?", (ON_LOAN, at, item_id, AVAILABLE))
    return cursor.rowcount == 1


def put_back_item(item_id: int, status: str, at: datetime, condition: str | None = None) -> None:
    """A lent item comes back (or its loan is voided)."""
    if condition is None:
        execute("UPDATE equipment_item SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
                (status, at, item_id, ON_LOAN))
    else:
        execute("UPDATE equipment_item SET status = ?, condition = ?, updated_at = ? WHERE id = ?",
                (status, condition, at, item_id))


def take_stock(type_id: int, quantity: int, at: datetime) -> bool:
    """Take ``quantity`` pieces of counted stock; False (nothing taken) when fewer are on hand."""
    cursor = execute("UPDATE equipment_type SET stock_on_hand = stock_on_hand - ?, updated_at = ?"
                     " WHERE id = ? AND stock_on_hand >= ?", (quantity, at, type_id, quantity))
    return cursor.rowcount == 1


def put_back_stock(type_id: int, quantity: int, at: datetime) -> None:
    """Pieces of counted stock come back on hand."""
    execute("UPDATE equipment_type SET stock_on_hand = stock_on_hand + ?, updated_at = ? "
            "WHERE id = ?", (quantity, at, type_id))


_BUCKETS = {"on_hand": "stock_on_hand", "damaged": "stock_damaged", "missing": "stock_missing"}


def return_stock(type_id: int, *, good: int, damaged: int, missing: int, at: datetime) -> None:
    """Pieces of a counted loan accounted for: good ones back on hand, damaged and missing ones
    kept apart (not lendable)."""
    execute("UPDATE equipment_type SET stock_on_hand = stock_on_hand + ?, "
            "stock_damaged = stock_damaged + ?, stock_missing = stock_missing + ?, "
            "updated_at = ? WHERE id = ?", (good, damaged, missing, at, type_id))


def move_stock(type_id: int, source: str, target: str, quantity: int, at: datetime) -> bool:
    """Move pieces between on hand, damaged and missing (repaired: damaged -> on hand; found:
    missing -> on hand); False (nothing moved) when ``source`` holds fewer."""
    src, dst = _BUCKETS[source], _BUCKETS[target]
    cursor = execute(f"UPDATE equipment_type SET {src} = {src} - ?, {dst} = {dst} + ?, "
                     f"updated_at = ? WHERE id = ? AND {src} >= ?",
                     (quantity, quantity, at, type_id, quantity))
    return cursor.rowcount == 1


def remove_stock(type_id: int, source: str, quantity: int, at: datetime) -> bool:
    """Pieces leave the school's stock (written off, withdrawn) from one bucket; False when it
    holds fewer."""
    src = _BUCKETS[source]
    cursor = execute(f"UPDATE equipment_type SET {src} = {src} - ?, "
                     f"stock_total = stock_total - ?, updated_at = ? "
                     f"WHERE id = ? AND {src} >= ? AND stock_total >= ?",
                     (quantity, quantity, at, type_id, quantity, quantity))
    return cursor.rowcount == 1


def set_stock_counts(type_id: int, *, on_hand: int, damaged: int, missing: int,
                     at: datetime) -> None:
    """Counted stock's counts after a stock-take (its total stays: pieces move between on
    hand, damaged and missing)."""
    execute("UPDATE equipment_type SET stock_on_hand = ?, stock_damaged = ?, stock_missing = ?,"
            " updated_at = ? WHERE id = ?", (on_hand, damaged, missing, at, type_id))


def set_item_status(item_id: int, status: str, at: datetime, *, expected: str | None = None,
                    condition: str | None = None) -> bool:
    """A labelled item's new status (and condition), only from ``expected`` when given."""
    sets, params = "status = ?, updated_at = ?", [status, at]
    if condition is not None:
        sets += ", condition = ?"
        params.append(condition)
    where, params2 = "id = ?", [item_id]
    if expected is not None:
        where += " AND status = ?"
        params2.append(expected)
    cursor = execute(f"UPDATE equipment_item SET {sets} WHERE {where}", (*params, *params2))
    return cursor.rowcount == 1


def item_condition(item_id: int) -> str:
    """A labelled item's condition."""
    row = fetch_one("SELECT condition FROM equipment_item WHERE id = ?", (item_id,))
    return row[0] if row else "good"


def item_by_id(item_id: int) -> ItemRow | None:
    """The labelled item with this row id."""
    row = fetch_one(_ITEM.replace("equipment_item.barcode = ?", "equipment_item.id = ?"),
                    (item_id,))
    if row is None:
        return None
    return ItemRow(id=row[0], barcode=row[1], status=row[2], type=EquipmentTypeRow(*row[3:]))


def add_stock(type_id: int, quantity: int, at: datetime) -> None:
    """Newly declared pieces of counted stock: the total and the quantity on hand grow."""
    execute("UPDATE equipment_type SET stock_total = stock_total + ?, "
            "stock_on_hand = stock_on_hand + ?, updated_at = ? WHERE id = ?",
            (quantity, quantity, at, type_id))


def _local_day(at: datetime):
    """The Vietnam day of a stored (naive UTC) time: the day an item was declared."""
    return (at + timedelta(hours=7)).date()


def insert_type(*, code: str, name: str, search_key: str, unit: str, subject: str, grade: str,
                group_name: str = "", type_name: str = "", tracking: str, at: datetime,
                unit_price: int | None = None, country: str = "", year: int | None = None,
                location: str = "") -> EquipmentTypeRow:
    """A new kind of equipment, with no stock yet."""
    row = EquipmentType.create(code=code, name=name, search_key=search_key, unit=unit,
                               subject=subject, grade=grade, group_name=group_name,
                               type_name=type_name, tracking=tracking, updated_at=at,
                               unit_price=unit_price, country=country, year=year,
                               location=location, added_on=_local_day(at))
    return type_by_id(row.id)


def insert_item(*, barcode: str, type_id: int, at: datetime, location: str = "") -> None:
    """A new labelled item, available."""
    EquipmentItem.create(barcode=barcode, type=type_id, updated_at=at, location=location,
                         added_on=_local_day(at))


def groups() -> list[tuple[str, str]]:
    """Every (nhóm, loại) pair equipment is filed under (unordered)."""
    return [tuple(row) for row in fetch_all(
        "SELECT DISTINCT group_name, type_name FROM equipment_type WHERE group_name != ''")]


def units() -> list[str]:
    """Every unit equipment is counted in (unordered)."""
    return [unit for (unit,) in fetch_all(
        "SELECT DISTINCT unit FROM equipment_type WHERE unit != ''")]


def top_item_codes(prefix: str, limit: int = 20) -> list[str]:
    """The highest item barcodes after ``prefix`` (an index range)."""
    column = EquipmentItem.barcode
    query = (EquipmentItem.select(column).where(column >= prefix + "0", column < prefix + ":")
             .order_by(column.desc()).limit(limit).tuples())
    return [code for (code,) in query]


def top_type_codes(prefix: str, limit: int = 20) -> list[str]:
    """The highest type codes after ``prefix`` (an index range)."""
    column = EquipmentType.code
    query = (EquipmentType.select(column).where(column >= prefix + "0", column < prefix + ":")
             .order_by(column.desc()).limit(limit).tuples())
    return [code for (code,) in query]


def type_record(kind: EquipmentTypeRow) -> dict:
    """Catalogue fields of an equipment type, for ``item.*`` provincial records."""
    return record_of(dataclasses.asdict(kind))


def item_record(kind: EquipmentTypeRow, barcode: str, status: str = AVAILABLE,
                condition: str = "good") -> dict:
    """Catalogue fields of one labelled item, for ``item.*`` provincial records."""
    return record_of(dataclasses.asdict(kind),
                     {"barcode": barcode, "status": status, "condition": condition})


# -- bulk import ----------------------------------------------------------------------------
TYPE_FIELDS = ("code", "name", "search_key", "group_name", "type_name", "subject", "grade",
               "unit", "tracking", "stock_total", "stock_on_hand", "unit_price", "country", "year")


def types_for_import() -> dict[str, dict]:
    """Every equipment type's fields (and id) by code: one query."""
    columns = [EquipmentType.id, *[getattr(EquipmentType, f) for f in TYPE_FIELDS]]
    return {row["code"]: row for row in EquipmentType.select(*columns).dicts()}


def items_for_import() -> dict[str, dict]:
    """Every labelled item (id, barcode, type id, status, condition) by barcode: one query."""
    columns = [EquipmentItem.id, EquipmentItem.barcode, EquipmentItem.type.alias("type_id"),
               EquipmentItem.status, EquipmentItem.condition]
    return {row["barcode"]: row for row in EquipmentItem.select(*columns).dicts()}


def insert_type_fields(fields: dict, at: datetime) -> int:
    """A new equipment type from import fields; returns its id."""
    return EquipmentType.insert(**{k: fields[k] for k in fields if k in TYPE_FIELDS},
                                updated_at=at, added_on=_local_day(at)).execute()


def update_type_fields(type_id: int, changes: dict, at: datetime) -> None:
    """Some fields of one equipment type."""
    EquipmentType.update(**{k: changes[k] for k in changes if k in TYPE_FIELDS}, updated_at=at
                         ).where(EquipmentType.id == type_id).execute()


def type_has_items(type_id: int) -> bool:
    """True when some labelled item is of this type."""
    return EquipmentItem.select().where(EquipmentItem.type == type_id).exists()


def insert_item_row(barcode: str, type_id: int, at: datetime) -> int:
    """A new labelled item; returns its id."""
    return EquipmentItem.insert(barcode=barcode, type=type_id, updated_at=at,
                                added_on=_local_day(at)).execute()


def move_item(item_id: int, type_id: int, at: datetime) -> None:
    """File a labelled item under another type."""
    EquipmentItem.update(type=type_id, updated_at=at).where(EquipmentItem.id == item_id).execute()


def items_of_type(type_id: int) -> list[dict]:
    """The labelled items of one type."""
    return list(EquipmentItem.select(EquipmentItem.id, EquipmentItem.barcode,
                                     EquipmentItem.status, EquipmentItem.condition)
                .where(EquipmentItem.type == type_id).dicts())


def record_of(kind: dict, item: dict | None = None) -> dict:
    """Catalogue fields of a type (and one of its items) for ``item.*`` records, from rows in
    hand."""
    data = {
        "item_kind": "equipment_item" if item else "equipment_stock",
        "equipment_code": kind["code"], "equipment_name": kind["name"],
        "group": kind.get("group_name", ""), "type": kind.get("type_name", ""),
        "subject": kind.get("subject", ""), "grade": kind.get("grade", ""),
        "unit": kind.get("unit", ""), "tracking": kind.get("tracking", TRACK_ITEM),
        "unit_price": kind.get("unit_price"), "country": kind.get("country", ""),
        "year": kind.get("year"), "location": kind.get("location", ""),
    }
    if item is not None:
        data.update(item_barcode=item["barcode"], status=item.get("status", AVAILABLE),
                    condition=item.get("condition", "good"))
    else:
        data.update(stock_total=kind.get("stock_total", 0),
                    stock_on_hand=kind.get("stock_on_hand", 0),
                    stock_damaged=kind.get("stock_damaged", 0),
                    stock_missing=kind.get("stock_missing", 0))
    return data


def first_item_barcodes(limit: int) -> list[str]:
    """The first labelled items' barcodes, in order."""
    return [code for (code,) in EquipmentItem.select(EquipmentItem.barcode)
            .order_by(EquipmentItem.barcode).limit(limit).tuples()]
