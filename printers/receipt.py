"""Receipts as plain data: what the kiosk's services hand to ``printers``.

The kiosk fills these from the database; ``printers`` only lays them out. All text is normalised to
NFC on construction, ``printed_at`` must be time-zone aware (it is shown in Vietnam time).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable, Literal

#: How receipts get their words: ``captions(key, **values)`` -> text in the receipt's language.
#: The kiosk hands in its translation catalog (``kiosk.i18n.receipt_captions``).
Captions = Callable[..., str]

ReceiptKind = Literal["borrow", "return", "equipment_slip", "day_summary"]
KINDS: tuple[str, ...] = ("borrow", "return", "equipment_slip", "day_summary")
#: Conditions of a returned item (DOMAIN.md: tốt, hỏng, thiếu); other text is printed as given.
CONDITIONS: tuple[str, ...] = ("good", "damaged", "missing", "lost")


def nfc(text: str | None) -> str:
    """``text`` in Unicode NFC ('' for None)."""
    return unicodedata.normalize("NFC", text or "")


def _normalise(obj, names: tuple[str, ...]) -> None:
    for name in names:
        object.__setattr__(obj, name, nfc(getattr(obj, name)))


@dataclass(frozen=True)
class ReceiptLine:
    """One item on a receipt: a book copy or an equipment item (or a counted set).

    ``due`` is the due date on a borrow; ``condition`` one of :data:`CONDITIONS` (or free text) on a
    return; ``late`` marks a return after its due date.
    """

    title: str
    code: str = ""
    due: date | None = None
    quantity: int = 1
    condition: str = ""
    late: bool = False
    unit: str = ""
    #: A return of part of a loan: the loan's quantity ("trả 2/3") and what is still out
    #: ("còn 1"); 0 when the return took everything back.
    of_quantity: int = 0
    still_out: int = 0
    #: A return split by condition: ``(("good", 2), ("damaged", 1))``; empty for one condition.
    split: tuple[tuple[str, int], ...] = ()
    #: What the patron said (what is broken).
    note: str = ""

    def __post_init__(self):
        _normalise(self, ("title", "code", "condition", "unit", "note"))
        object.__setattr__(self, "split", tuple((str(c), int(n)) for c, n in self.split))
        if self.quantity < 1:
            raise ValueError(f"quantity must be at least 1, not {self.quantity}")


@dataclass(frozen=True)
class LessonInfo:
    """The lesson a teacher's equipment loan is for (DOMAIN.md: date, period, class, subject)."""

    lesson_date: date
    period: str
    class_name: str
    subject: str = ""
    lesson_title: str = ""

    def __post_init__(self):
        _normalise(self, ("period", "class_name", "subject", "lesson_title"))


@dataclass(frozen=True)
class ClassCounts:
    """One class's line of the day summary: books and pieces of equipment out and back."""

    class_name: str
    books_borrowed: int = 0
    books_returned: int = 0
    equipment_borrowed: int = 0
    equipment_returned: int = 0

    def __post_init__(self):
        _normalise(self, ("class_name",))


@dataclass(frozen=True)
class DaySummary:
    """The staff's end-of-day figures. Equipment counts pieces (a loan of 12 test tubes is
    12), not loan lines."""

    day: date
    books_borrowed: int = 0
    books_returned: int = 0
    equipment_borrowed: int = 0
    equipment_returned: int = 0
    overdue: int = 0
    patrons: int = 0
    #: Loans voided as mistakes that day (shown on screen; not printed).
    voided: int = 0
    #: Items still out at the end of the day, as (title, who) pairs, at most a few.
    notes: tuple[str, ...] = ()
    #: The same figures by class, in school order (a teacher's equipment under its lesson's
    #: class; "" for loans without a class).
    by_class: tuple[ClassCounts, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "notes", tuple(nfc(n) for n in self.notes))


@dataclass(frozen=True)
class Receipt:
    """Everything a receipt shows.

    ``kind`` is one of ``borrow``, ``return``, ``equipment_slip``, ``day_summary``; ``lesson`` is for
    the equipment slip, ``summary`` for the day summary. ``reference`` identifies the transaction:
    it is printed as text and as a QR code.
    """

    kind: ReceiptKind
    school_name: str
    kiosk_name: str
    reference: str
    printed_at: datetime
    patron_name: str = ""
    patron_class: str = ""
    lines: tuple[ReceiptLine, ...] = field(default_factory=tuple)
    lesson: LessonInfo | None = None
    summary: DaySummary | None = None
    lang: str = "vi"
    #: Printed instead of the kind's caption when set (e.g. an equipment return: "PHIẾU TRẢ THIẾT BỊ").
    title: str = ""
    #: A copy printed again later: marked "BẢN IN LẠI"; ``printed_at`` is the action's own time.
    reprint: bool = False

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown receipt kind {self.kind!r}")
        if self.printed_at.tzinfo is None or self.printed_at.utcoffset() is None:
            raise ValueError("printed_at must be time-zone aware")
        if not (self.reference or "").strip():
            raise ValueError("a receipt needs its transaction reference")
        if self.kind == "day_summary" and self.summary is None:
            raise ValueError("a day_summary receipt needs summary")
        _normalise(self, ("school_name", "kiosk_name", "reference", "patron_name",
                          "patron_class", "lang", "title"))
        object.__setattr__(self, "lines", tuple(self.lines))
