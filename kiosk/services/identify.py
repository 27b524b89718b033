"""What is this code? A patron's card, a book copy, an equipment item or stock, an ISBN, or unknown.

Every branch is an index lookup; the config's code patterns only choose which lookup comes first.
"""
from __future__ import annotations

from dataclasses import dataclass

from db.queries import catalogue, equipment, patrons
from devices.codes import InvalidCode, classify, clean_code, isbn_to_13
from kiosk.config import CodePatterns

#: The kinds :func:`identify` answers with.
PATRON, COPY, ITEM, STOCK, ISBN, UNKNOWN, INVALID = (
    "patron", "copy", "item", "stock", "isbn", "unknown", "invalid")


@dataclass(frozen=True)
class Identified:
    """A scanned code and what it turned out to be: ``record`` is its row (a
    :class:`~db.queries.patrons.PatronRow`, :class:`~db.queries.catalogue.CopyRow`,
    :class:`~db.queries.equipment.ItemRow`, :class:`~db.queries.equipment.EquipmentTypeRow`, or
    for an ISBN the catalogue's :class:`~db.queries.catalogue.TitleRow`), if any."""

    kind: str
    code: str
    record: object | None = None
    reason: str = ""  # why a code is invalid


def _patterns(codes: CodePatterns) -> dict[str, str]:
    return {"student": codes.student, "teacher": codes.teacher, "staff": codes.staff,
            "book_copy": codes.book_copy, "equipment_item": codes.equipment_item,
            "isbn": codes.isbn}


_LOOKUPS = [(PATRON, patrons.by_code), (COPY, catalogue.copy_by_barcode),
            (ITEM, equipment.item_by_barcode), (STOCK, equipment.type_by_code)]
_FIRST_FOR_PATTERN = {"student": PATRON, "teacher": PATRON, "staff": PATRON,
                      "book_copy": COPY, "equipment_item": ITEM}


def identify(raw: str, codes: CodePatterns) -> Identified:
    """Identify one scanned code."""
    try:
        code = clean_code(raw, codes.max_length)
    except InvalidCode as exc:
        return Identified(INVALID, raw[:codes.max_length], reason=exc.reason)
    pattern_kind = classify(code, _patterns(codes))
    if pattern_kind == "isbn":
        return _identify_isbn(code)
    lookups = list(_LOOKUPS)
    first = _FIRST_FOR_PATTERN.get(pattern_kind)
    if first:
        lookups.sort(key=lambda pair: pair[0] != first)
    for kind, lookup in lookups:
        record = lookup(code)
        if record is not None:
            return Identified(kind, code, record)
    if isbn_to_13(code):
        return _identify_isbn(code)
    return Identified(UNKNOWN, code)


def _identify_isbn(code: str) -> Identified:
    isbn = isbn_to_13(code) or code
    return Identified(ISBN, isbn, catalogue.title_by_isbn(isbn))
