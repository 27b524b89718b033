"""Reading a batch of records (contract v1, docs/provincial-sync.md) into checked values.

Tolerant by design: unknown record types and extra fields are kept and acknowledged. A record is
``rejected`` (with a reason the kiosk shows its staff) only when it breaks the contract: no id,
no offset on ``occurred_at``, ``data`` not an object, another school's code, or a known type
without what the hub needs to count it (a loan without ``loan_id``, a quota without rules).
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

MAX_ID = 64
MAX_TYPE = 64
TERMS = ("HK1", "HK2", "year")


class BatchError(ValueError):
    """The body as a whole is not a batch (answered 400)."""


@dataclass
class Incoming:
    """One record that passed the checks."""

    id: str
    type: str
    occurred_at: datetime
    data: dict
    data_json: str


def nfc(value) -> str:
    """Text normalised to NFC (``None`` becomes ``""``), stripped."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def parse_moment(value) -> datetime | None:
    """An ISO 8601 moment with its offset, else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def parse_day(value) -> date | None:
    """A ``YYYY-MM-DD`` date, else None."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _non_negative_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_type(kind: str, data: dict) -> str:
    """Why a record of a known type cannot be used ("" when it can)."""
    if kind.startswith("loan."):
        if not isinstance(data.get("loan_id"), str) or not data["loan_id"]:
            return "data.loan_id is missing"
        lesson = data.get("lesson")
        if lesson is not None and not isinstance(lesson, dict):
            return "data.lesson is not an object"
    elif kind == "quota.set":
        if not isinstance(data.get("school_year"), str) or len(data["school_year"]) != 9:
            return "data.school_year must look like 2026-2027"
        if data.get("term") not in TERMS:
            return "data.term must be HK1, HK2 or year"
        rules = data.get("rules")
        if not isinstance(rules, list) or not all(
                isinstance(r, dict) and _non_negative_int(r.get("periods")) for r in rules):
            return "data.rules must be a list of rules with whole periods >= 0"
    elif kind == "roster.updated":
        if not isinstance(data.get("school_year"), str) or len(data["school_year"]) != 9:
            return "data.school_year must look like 2026-2027"
        classes = data.get("classes", [])
        if not isinstance(classes, list) or not all(
                isinstance(c, dict) and nfc(c.get("class")) and _non_negative_int(c.get("students"))
                for c in classes):
            return "data.classes must be a list of {class, students}"
        if not isinstance(data.get("teachers", []), list):
            return "data.teachers must be a list"
    elif kind == "class.visit":
        if not isinstance(data.get("visit_id"), str) or not data["visit_id"]:
            return "data.visit_id is missing"
        if not nfc(data.get("class")) or parse_day(data.get("date")) is None:
            return "data.class and data.date (YYYY-MM-DD) are required"
        if not _non_negative_int(data.get("students")):
            return "data.students must be a whole number >= 0"
    elif kind == "lesson.recorded":
        lesson = data.get("lesson")
        if not isinstance(lesson, dict) or parse_day(lesson.get("date")) is None:
            return "data.lesson with its date (YYYY-MM-DD) is required"
    elif kind == "plan.updated":
        if not isinstance(data.get("school_year"), str) or len(data["school_year"]) != 9:
            return "data.school_year must look like 2026-2027"
        if not nfc(data.get("subject")) or not nfc(data.get("grade")):
            return "data.subject and data.grade are required"
        lessons = data.get("lessons")
        if not isinstance(lessons, list) or not all(
                isinstance(x, dict) and _non_negative_int(x.get("ppct")) for x in lessons):
            return "data.lessons must be a list of lessons with a whole ppct"
    elif kind == "class.visit.voided":
        if not isinstance(data.get("visit_id"), str) or not data["visit_id"]:
            return "data.visit_id is missing"
    elif kind.startswith("item."):
        if not (nfc(data.get("item_barcode")) or nfc(data.get("equipment_code"))):
            return "data.item_barcode or data.equipment_code is required"
    return ""


def read_batch(body, school_code: str, kiosk_id: str, max_records: int
               ) -> tuple[list[Incoming], list[dict]]:
    """Check a request body; returns the usable records (first receipt of each id in the
    batch) and the answer list, in request order, with ``status`` left empty for them.

    Raises :class:`BatchError` for a body that is not a batch at all, or is too long.
    """
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        raise BatchError("the body must be an object with a records list")
    if body.get("school_code") != school_code or body.get("kiosk_id") != kiosk_id:
        raise PermissionError("school_code and kiosk_id must be those of the token's kiosk")
    records = body["records"]
    if len(records) > max_records:
        raise BatchError(f"at most {max_records} records per batch")
    usable: list[Incoming] = []
    answers: list[dict] = []
    seen: set[str] = set()
    for raw in records:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
            continue  # no id: nothing to answer; the kiosk will send it again
        rid = raw["id"]
        answer = {"id": rid, "status": "", "reason": ""}
        answers.append(answer)
        reason = _reject_reason(raw, school_code)
        if reason:
            answer.update(status="rejected", reason=reason)
            continue
        if rid in seen:
            answer["status"] = "duplicate"
            continue
        seen.add(rid)
        data = raw["data"]
        usable.append(Incoming(id=rid, type=raw["type"],
                               occurred_at=parse_moment(raw["occurred_at"]), data=data,
                               data_json=json.dumps(data, ensure_ascii=False)))
    return usable, answers


def _reject_reason(raw: dict, school_code: str) -> str:
    if len(raw["id"]) > MAX_ID:
        return f"id longer than {MAX_ID} characters"
    kind = raw.get("type")
    if not isinstance(kind, str) or not kind or len(kind) > MAX_TYPE:
        return "type is missing"
    if parse_moment(raw.get("occurred_at")) is None:
        return "occurred_at is not ISO 8601 with an offset"
    data = raw.get("data")
    if not isinstance(data, dict):
        return "data is not an object"
    if "school_code" in data and data["school_code"] != school_code:
        return "data.school_code is not the sending school's"
    return _check_type(kind, data)
