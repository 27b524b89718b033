"""Turning one cell into one field value; a bad value raises :class:`BadValue` with a reason code."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from db.text import nfc, search_key, without_invisible
from devices.codes import InvalidCode, clean_code, isbn_to_13
from kiosk.clock import parse_date
from kiosk.imports.tabular import cell_text

_EXCEL_EPOCH = date(1899, 12, 30)


class BadValue(ValueError):
    """A cell that cannot become its field; ``reason`` is a row-error reason code."""

    def __init__(self, reason: str, detail: object = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = cell_text(detail)


def text(value: object) -> str:
    """The cell as NFC text without invisible format characters ("" when empty)."""
    return nfc(without_invisible(cell_text(value)))


def code(value: object, reason: str = "bad_code", max_length: int = 64) -> str:
    """A code (student, staff, equipment): trimmed, NFC, no spaces or control characters."""
    raw = cell_text(value)
    try:
        cleaned = clean_code(raw, max_length)
    except InvalidCode:
        raise BadValue(reason, raw) from None
    if re.search(r"\s", cleaned):
        raise BadValue(reason, raw)
    return cleaned


def day(value: object, earliest: int = 1900, latest: int = 2100) -> date | None:
    """A date from dd/mm/yyyy text, a real Excel date, or an Excel day number; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 80000:
            raise BadValue("bad_date", value)
        result = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        raw = cell_text(value)
        if not raw:
            return None
        try:
            result = parse_date(raw)
        except ValueError:
            raise BadValue("bad_date", raw) from None
    if not earliest <= result.year <= latest:
        raise BadValue("bad_date", cell_text(value))
    return result


def whole_number(value: object, reason: str, minimum: int = 0, maximum: int = 10 ** 9
                 ) -> int | None:
    """A whole number (``"1.200"`` and ``"1,200"`` read as 1200); None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadValue(reason, value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            raise BadValue(reason, value)
        number = int(value)
    else:
        raw = cell_text(value)
        digits = re.sub(r"(?<=\d)[.,\s](?=\d{3}\b)", "", raw)
        digits = re.sub(r"\s*(đ|đồng|vnđ|vnd|d)\s*$", "", digits, flags=re.IGNORECASE)
        if not digits:
            return None
        if not re.fullmatch(r"\d+", digits):
            raise BadValue(reason, raw)
        number = int(digits)
    if not minimum <= number <= maximum:
        raise BadValue(reason, value)
    return number


def isbn(value: object) -> str | None:
    """An ISBN-10 or -13 as its ISBN-13; None when empty."""
    raw = cell_text(value)
    if not raw:
        return None
    result = isbn_to_13(raw)
    if result is None:
        raise BadValue("bad_isbn", raw)
    return result


_MALE = {"nam", "male", "m", "trai"}
_FEMALE = {"nu", "female", "f", "gai"}


def gender(value: object) -> str:
    """``Nam`` or ``Nữ`` (also from male/female); "" when empty."""
    key = search_key(cell_text(value))
    if not key:
        return ""
    if key in _MALE:
        return "Nam"
    if key in _FEMALE:
        return "Nữ"
    raise BadValue("bad_gender", value)


def grade_of_class(class_name: str) -> int | None:
    """The grade a class belongs to, its leading number: ``6A1`` -> 6, ``12.6`` -> 12, ``1A`` -> 1."""
    match = re.match(r"(?:lop\s*)?(\d{1,2})(?!\d)", search_key(class_name))
    if not match:
        return None
    grade = int(match.group(1))
    return grade if 1 <= grade <= 12 else None


def split_list(value: object) -> list[str]:
    """A cell listing several things separated by ``,`` or ``;``."""
    return [part.strip() for part in re.split(r"[;,]", cell_text(value)) if part.strip()]
