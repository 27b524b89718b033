"""The ``data`` of provincial records (docs/provincial-sync.md lists every field)."""
from __future__ import annotations

from db.queries.lessons import LessonRow
from db.queries.loans import LoanRow
from db.vocabulary import EQUIPMENT


def lesson_data(lesson: LessonRow | None) -> dict | None:
    """A lesson as records carry it (the unit the equipment-use evaluation counts)."""
    if lesson is None:
        return None
    return {
        "lesson_id": lesson.uid, "date": lesson.date.isoformat(), "session": lesson.session,
        "period": lesson.period, "class": lesson.class_name, "subject": lesson.subject,
        "subject_group": lesson.subject_group, "title": lesson.title, "ppct": lesson.ppct,
        "purpose": lesson.purpose,
    }


def loan_data(loan: LoanRow, school_code: str, kiosk_id: str) -> dict:
    """The record data for a loan event: who, what, how many, until when, for which lesson."""
    data = {
        "school_code": school_code,
        "kiosk_id": kiosk_id,
        "loan_id": loan.uid,
        "txn_ref": loan.txn_ref,
        "return_ref": loan.return_ref,
        "patron_code": loan.patron_code,
        "patron_kind": loan.patron_kind,
        "patron_name": loan.patron_name,
        "patron_class": loan.patron_class,
        "quantity": loan.quantity,
        "due_date": loan.due_on.isoformat(),
        "renewals": loan.renewals,
        "long_term": bool(loan.long_term),
        "condition": loan.return_condition,
        "void_reason": loan.void_reason,
        "item_kind": loan.item_kind,
        "returned_good": loan.returned_good,
        "returned_damaged": loan.returned_damaged,
        "returned_missing": loan.returned_missing,
        "returned_lost": loan.returned_lost,
        "outstanding": loan.outstanding,
        "return_note": loan.return_note,
    }
    if loan.copy_id:
        data.update(item_barcode=loan.code, title=loan.title, isbn=loan.isbn, author=loan.author)
    else:
        data.update(item_barcode=loan.code if loan.item_id else None,
                    equipment_code=loan.equipment_code, equipment_name=loan.title,
                    unit=loan.unit)
    if loan.kind == EQUIPMENT:
        data["lesson"] = lesson_data(loan.lesson)
    return data
