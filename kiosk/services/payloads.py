"""The ``data`` of provincial records (docs/provincial-sync.md lists every field)."""
from __future__ import annotations

from db.models import Copy, EquipmentItem, EquipmentType, Loan, Patron, Title


def loan_data(loan: Loan, school_code: str, kiosk_id: str) -> dict:
    """The record data for a loan event: who, what, how many, until when, for which lesson."""
    patron: Patron = loan.patron
    data = {
        "school_code": school_code,
        "kiosk_id": kiosk_id,
        "loan_id": loan.uid,
        "txn_ref": loan.txn_ref,
        "patron_code": patron.code,
        "patron_kind": patron.kind,
        "patron_name": patron.name,
        "patron_class": patron.class_name,
        "quantity": loan.quantity,
        "due_date": loan.due_on.isoformat(),
        "renewals": loan.renewals,
        "long_term": bool(loan.long_term),
        "condition": loan.return_condition,
        "void_reason": loan.void_reason,
    }
    if loan.copy_id:
        copy: Copy = loan.copy
        title: Title = copy.title
        data.update(item_kind="book", item_barcode=copy.barcode, title=title.title,
                    isbn=title.isbn, author=title.author)
    elif loan.item_id:
        item: EquipmentItem = loan.item
        data.update(item_kind="equipment_item", item_barcode=item.barcode,
                    equipment_code=item.type.code, equipment_name=item.type.name,
                    unit=item.type.unit)
    else:
        kind: EquipmentType = loan.equipment_type
        data.update(item_kind="equipment_stock", item_barcode=None, equipment_code=kind.code,
                    equipment_name=kind.name, unit=kind.unit)
    if loan.kind == "equipment":
        data["lesson"] = {
            "date": loan.lesson_date.isoformat() if loan.lesson_date else None,
            "period": loan.lesson_period,
            "session": loan.lesson_session,
            "class": loan.lesson_class,
            "subject": loan.lesson_subject,
            "title": loan.lesson_title,
            "purpose": loan.lesson_purpose,
        }
    return data


def copy_data(copy: Copy, school_code: str) -> dict:
    """Catalogue fields of a book copy, for ``item.*`` records."""
    title: Title = copy.title
    return {
        "school_code": school_code, "item_kind": "book", "item_barcode": copy.barcode,
        "title": title.title, "author": title.author, "publisher": title.publisher,
        "year": title.year, "isbn": title.isbn, "classification": title.classification,
        "language": title.language, "store": copy.store, "status": copy.status,
        "condition": copy.condition, "price": copy.price if copy.price is not None else title.price,
        "shelf_mark": copy.shelf_mark,
    }


def equipment_data(kind: EquipmentType, school_code: str, item: EquipmentItem | None = None
                   ) -> dict:
    """Catalogue fields of an equipment type (and one labelled item of it), for ``item.*``."""
    data = {
        "school_code": school_code, "item_kind": "equipment_item" if item else "equipment_stock",
        "equipment_code": kind.code, "equipment_name": kind.name, "group": kind.group_name,
        "type": kind.type_name, "subject": kind.subject, "grade": kind.grade, "unit": kind.unit,
        "tracking": kind.tracking,
    }
    if item is not None:
        data.update(item_barcode=item.barcode, status=item.status, condition=item.condition)
    else:
        data.update(stock_total=kind.stock_total, stock_on_hand=kind.stock_on_hand)
    return data
