"""Teaching equipment: types, their labelled items, and counted stock, from the equipment list.

Columns: Mã thiết bị, Tên thiết bị (required); Nhóm thiết bị, Loại thiết bị, Môn học, Lớp/Khối,
Đơn vị tính, Số lượng, Mã nhãn (labelled items' barcodes: a list or a range
``TB.KHTN6.001-TB.KHTN6.006``). A row with labels is tracked item by item; a row without is
counted stock of ``Số lượng``. Re-importing counted stock moves the total and the quantity on
hand by the difference, and refuses to go below what is out on loan.
"""
from __future__ import annotations

from db.queries import equipment
from db.text import search_key
from db.tx import write_transaction
from db.vocabulary import ITEM_DECLARED, ITEM_UPDATED
from kiosk.imports import values as v
from kiosk.imports.codes import CodeListError, expand_codes
from kiosk.imports.session import ImportSession
from kiosk.imports.tabular import Column, Table

KIND = "equipment"
COLUMNS = (
    Column("code", ("Mã thiết bị", "Mã TB", "Mã"), required=True),
    Column("name", ("Tên thiết bị", "Tên TB", "Tên thiết bị dạy học"), required=True),
    Column("group_name", ("Nhóm thiết bị", "Nhóm")),
    Column("type_name", ("Loại thiết bị", "Loại")),
    Column("subject", ("Môn học", "Môn")),
    Column("grade", ("Lớp/Khối", "Lớp", "Khối", "Khối lớp")),
    Column("unit", ("Đơn vị tính", "ĐVT", "Đơn vị")),
    Column("quantity", ("Số lượng", "SL")),
    Column("labels", ("Mã nhãn", "Mã vạch", "Nhãn", "Mã cá biệt")),
    Column("unit_price", ("Đơn giá", "Giá", "Đơn giá (đồng)")),
    Column("country", ("Nước sản xuất", "Xuất xứ", "Nước SX")),
    Column("year", ("Năm sử dụng", "Năm đưa vào sử dụng", "Năm")),
)
_TYPE_FIELDS = ("name", "group_name", "type_name", "subject", "grade", "unit")


def parse_row(values: dict, max_length: int = 64) -> tuple[dict, list[str], int | None]:
    """A row's type fields (the columns present), its labels and its quantity."""
    fields = {"code": v.code(values.get("code"), "bad_code")}
    name = v.text(values.get("name"))
    if not name:
        raise v.BadValue("missing_name")
    fields["name"] = name
    for key in _TYPE_FIELDS[1:]:
        if key in values:
            fields[key] = v.text(values[key])
    if "unit_price" in values:
        fields["unit_price"] = v.whole_number(values["unit_price"], "bad_price", 0, 10 ** 11)
    if "country" in values:
        fields["country"] = v.text(values["country"])
    if "year" in values:
        fields["year"] = v.whole_number(values["year"], "bad_year", 1950, 2100)
    quantity = v.whole_number(values.get("quantity"), "bad_quantity", 0, 100000)
    try:
        labels = expand_codes(v.text(values.get("labels")), max_length)
    except CodeListError as exc:
        raise v.BadValue(exc.reason, exc.detail) from None
    if not labels and quantity is None:
        raise v.BadValue("missing_quantity")
    return fields, labels, quantity


def apply(table: Table, session: ImportSession) -> None:
    """Import every good row: its type, then its items or its counted stock."""
    report = session.report
    max_length = session.context.config.codes.max_length
    types = equipment.types_for_import()
    items = equipment.items_for_import()
    seen_codes: dict[str, int] = {}
    seen_labels: dict[str, int] = {}
    for row_number, values in table.rows:
        if not v.text(values.get("code")):
            report.error(row_number, "missing_code")
            continue
        try:
            fields, labels, quantity = parse_row(values, max_length)
        except v.BadValue as exc:
            report.error(row_number, exc.reason, exc.detail)
            continue
        code = fields["code"]
        if code in seen_codes:
            report.error(row_number, "duplicate_in_file", f"{code} ({seen_codes[code]})")
            continue
        twice = next((label for label in labels if label in seen_labels), None)
        if twice:
            report.error(row_number, "duplicate_in_file", f"{twice} ({seen_labels[twice]})")
            continue
        try:
            with write_transaction(session.context.db):
                if labels:
                    _labelled(session, types, items, fields, labels)
                else:
                    _counted(session, types, fields, quantity)
        except v.BadValue as exc:
            report.error(row_number, exc.reason, exc.detail)
            types = equipment.types_for_import()  # the savepoint rolled back
            items = equipment.items_for_import()
            continue
        seen_codes[code] = row_number
        seen_labels.update({label: row_number for label in labels})


def _data(session: ImportSession, kind: dict, item: dict | None = None) -> dict:
    return {"school_code": session.school_code, **equipment.record_of(kind, item)}


def _set_type(session: ImportSession, types: dict, fields: dict, tracking: str
              ) -> tuple[dict, bool]:
    """The type of a row, created or with its fields brought up to date; True when it changed."""
    kind = types.get(fields["code"])
    if kind is None:
        kind = {"group_name": "", "type_name": "", "subject": "", "grade": "", "unit": "",
                "unit_price": None, "country": "", "year": None, "stock_total": 0, "stock_on_hand": 0, **fields,
                "search_key": search_key(fields["name"]), "tracking": tracking}
        kind["id"] = equipment.insert_type_fields(kind, session.now)
        types[kind["code"]] = kind
        return kind, True
    changes = {k: val for k, val in fields.items() if kind.get(k) != val}
    if kind["tracking"] != tracking:
        if equipment.type_has_items(kind["id"]) or kind["stock_total"]:
            raise v.BadValue("tracking_conflict", kind["code"])
        changes["tracking"] = tracking
    if changes:
        kind.update(changes)
        kind["search_key"] = search_key(kind["name"])
        equipment.update_type_fields(kind["id"], {**changes, "search_key": kind["search_key"]},
                                     session.now)
        return kind, True
    return kind, False


def _labelled(session: ImportSession, types: dict, items: dict, fields: dict,
              labels: list[str]) -> None:
    report = session.report
    kind, type_changed = _set_type(session, types, fields, "item")
    sent: set[int] = set()
    for label in labels:
        item = items.get(label)
        if item is None:
            item = {"barcode": label, "type_id": kind["id"], "status": "available",
                    "condition": "good"}
            item["id"] = equipment.insert_item_row(label, kind["id"], session.now)
            items[label] = item
            report.created += 1
        elif item["type_id"] != kind["id"]:
            item["type_id"] = kind["id"]
            equipment.move_item(item["id"], kind["id"], session.now)
            report.updated += 1
            session.record(ITEM_UPDATED, _data(session, kind, item))
            sent.add(item["id"])
            continue
        else:
            report.unchanged += 1
            continue
        session.record(ITEM_DECLARED, _data(session, kind, item))
        sent.add(item["id"])
    if type_changed:  # every item carries the type's fields: re-send the ones not yet sent
        for item in equipment.items_of_type(kind["id"]):
            if item["id"] not in sent:
                session.record(ITEM_UPDATED, _data(session, kind, item))


def _counted(session: ImportSession, types: dict, fields: dict, quantity: int) -> None:
    report = session.report
    is_new = fields["code"] not in types
    kind, type_changed = _set_type(session, types, fields, "counted")
    if is_new:
        kind["stock_total"] = kind["stock_on_hand"] = quantity
        equipment.update_type_fields(kind["id"], {"stock_total": quantity,
                                                  "stock_on_hand": quantity}, session.now)
        report.created += 1
        session.record(ITEM_DECLARED, _data(session, kind))
        return
    difference = quantity - kind["stock_total"]
    on_loan = kind["stock_total"] - kind["stock_on_hand"]
    if quantity < on_loan:
        raise v.BadValue("below_on_loan", f"{quantity} < {on_loan}")
    if difference:
        kind["stock_total"] = quantity
        kind["stock_on_hand"] += difference
        equipment.update_type_fields(kind["id"], {"stock_total": kind["stock_total"],
                                                  "stock_on_hand": kind["stock_on_hand"]},
                                     session.now)
    if difference or type_changed:
        report.updated += 1
        session.record(ITEM_UPDATED, _data(session, kind))
    else:
        report.unchanged += 1
