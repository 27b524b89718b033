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


def lesson_record_data(lesson: LessonRow, teacher, school_code: str, kiosk_id: str) -> dict:
    """``lesson.recorded``: a lesson taught with self-made equipment only (contract v1.1): it
    lends nothing, and counts as a use of equipment."""
    return {"school_code": school_code, "kiosk_id": kiosk_id, "txn_ref": lesson.txn_ref,
            "patron_code": teacher.code, "patron_kind": teacher.kind,
            "patron_name": teacher.name,
            "lesson": {**lesson_data(lesson), "self_made": lesson.self_made}}


def quota_data(school_code: str, school_year: str, term: str, rules, set_by: str) -> dict:
    """``quota.set``: the whole table of required periods of one term (contract v1.1);
    ``rules`` have ``subject``, ``grade``, ``teacher_code`` and ``periods``."""
    return {"school_code": school_code, "school_year": school_year, "term": term,
            "set_by": set_by,
            "rules": [{"subject": r.subject, "grade": r.grade, "periods": r.periods,
                       **({"teacher_code": r.teacher_code} if r.teacher_code else {})}
                      for r in rules]}


def plan_data(school_code: str, school_year: str, subject: str, grade: str, lessons,
              week_start) -> dict:
    """``plan.updated``: the whole plan of one subject and grade in a school year (contract
    v1.1), each lesson with its PPCT week and the Monday it begins (``week_start(week)``)."""
    return {"school_code": school_code, "school_year": school_year, "subject": subject,
            "grade": grade,
            "lessons": [{"ppct": lesson.ppct, "week": lesson.week,
                         "week_starts": week_start(lesson.week).isoformat()
                         if lesson.week else None,
                         "title": lesson.title, "equipment": lesson.equipment}
                        for lesson in lessons]}


def visit_data(school_code: str, visit_id: str, class_name: str, day, students: int,
               titles: list[str]) -> dict:
    """``class.visit``: a class's in-library reading (contract v1.1)."""
    return {"school_code": school_code, "visit_id": visit_id, "class": class_name,
            "date": day.isoformat(), "students": students, "titles": list(titles)}


def roster_data(school_code: str, school_year: str, classes=None, teachers=None) -> dict:
    """``roster.updated``: the school's classes (with sĩ số) and/or teachers (with their tổ and
    the subjects and grades they teach) in a school year (contract v1.1)."""
    data: dict = {"school_code": school_code, "school_year": school_year}
    if classes is not None:
        data["classes"] = [{"class": name, "grade": str(grade) if grade else "",
                            "students": count} for name, grade, count in classes]
    if teachers is not None:
        data["teachers"] = [
            {"code": code, "name": name, "subject_group": group or "",
             "teaches": [{"subject": s, "grade": g} for s in _split(subjects)
                         for g in (_split(grades) or [""])]}
            for code, name, group, subjects, grades in teachers]
    return data


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


def booking_data(booking, school_code: str, kiosk_id: str) -> dict:
    """``booking.made`` / ``.collected`` / ``.cancelled`` / ``.lapsed``: a teacher's booking
    (đặt trước) of equipment for a later lesson, as it stands after the change (contract
    v1.1, docs/provincial-sync.md)."""
    return {
        "school_code": school_code, "kiosk_id": kiosk_id, "booking_id": booking.uid,
        "txn_ref": booking.txn_ref, "status": booking.status,
        "teacher_code": booking.teacher_code, "teacher_name": booking.teacher_name,
        "date": booking.lesson_date.isoformat(), "session": booking.session,
        "period": booking.period, "class": booking.class_name, "subject": booking.subject,
        "title": booking.title, "ppct": booking.ppct, "purpose": booking.purpose,
        "lapses_at": booking.lapses_at.isoformat() + "Z",
        "closed_ref": booking.closed_ref, "lesson_id": booking.lesson_uid,
        "lines": [{"equipment_code": line.type_code, "name": line.type_name,
                   "item_code": line.item_barcode, "quantity": line.quantity}
                  for line in booking.lines],
    }
