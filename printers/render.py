"""Lay a :class:`~printers.receipt.Receipt` out as a :class:`~printers.document.Document`.

Text becomes a 1-bit bitmap drawn with the bundled font (Vietnamese on any ESC/POS printer); the
transaction reference is also a QR code, sent with the printer's own QR command. Times are shown in
Vietnam time, dates as dd/mm/yyyy.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from printers.document import Document
from printers.layout import Canvas, Style
from printers.receipt import CONDITIONS, Captions, ClassCounts, Receipt, ReceiptLine

log = logging.getLogger(__name__)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
WIDTHS = (384, 576)


def vn_time(moment: datetime) -> str:
    """``moment`` as ``HH:MM dd/mm/yyyy``: in its own zone when the kiosk gave a local time (the
    school's ``locale.timezone``), a UTC or naive one in Vietnam time."""
    if moment.tzinfo is None or moment.utcoffset() == timedelta(0):
        moment = moment.replace(tzinfo=moment.tzinfo or timezone.utc).astimezone(VIETNAM)
    return moment.strftime("%H:%M %d/%m/%Y")


def vn_date(day: date) -> str:
    """``day`` as ``dd/mm/yyyy``."""
    return day.strftime("%d/%m/%Y")


class _Styles:
    """Font sizes for one paper width (576 dots = 80 mm, 384 dots = 58 mm)."""

    def __init__(self, width: int):
        wide = width >= 576
        self.body = Style(24 if wide else 20)
        self.body_bold = Style(24 if wide else 20, bold=True)
        self.small = Style(20 if wide else 17)
        self.school = Style(28 if wide else 22, bold=True)
        self.title = Style(34 if wide else 26, bold=True)
        self.qr_module = 6 if wide else 5
        self.indent = 30 if wide else 24
        self.signature = 96 if wide else 80


def render_receipt(receipt: Receipt, width_dots: int, captions: Captions) -> Document:
    """The receipt laid out for paper ``width_dots`` wide (384 or 576), its words from
    ``captions`` (in the receipt's language)."""
    if width_dots not in WIDTHS:
        raise ValueError(f"width_dots must be one of {WIDTHS}, not {width_dots}")
    cap = captions
    st = _Styles(width_dots)
    canvas = Canvas(width_dots, margin=4)

    canvas.text(receipt.school_name.upper(), st.school, align="center")
    canvas.text(f"{cap('kiosk')}: {receipt.kiosk_name}", st.small, align="center")
    canvas.rule()
    canvas.text(receipt.title or cap(f"title_{receipt.kind}"), st.title, align="center")
    if receipt.reprint:
        canvas.text(cap("reprint"), st.body_bold, align="center")
    canvas.space(4)
    if receipt.patron_name:
        who = cap({"equipment_slip": "teacher", "day_summary": "staff"}.get(receipt.kind,
                                                                           "patron"))
        canvas.label_value(who, receipt.patron_name, st.body, bold_value=st.body_bold)
    if receipt.patron_class and receipt.kind != "equipment_slip":
        canvas.label_value(cap("class"), receipt.patron_class, st.body)
    canvas.label_value(cap("time"), vn_time(receipt.printed_at), st.body)
    if receipt.lesson is not None:
        lesson = receipt.lesson
        canvas.label_value(cap("lesson_date"), vn_date(lesson.lesson_date), st.body)
        canvas.text(f"{cap('period')}: {lesson.period}  ·  {cap('class')}: {lesson.class_name}",
                    st.body)
        if lesson.subject:
            canvas.label_value(cap("subject"), lesson.subject, st.body)
        if lesson.lesson_title:
            canvas.label_value(cap("lesson_title"), lesson.lesson_title, st.body)

    common_due = shared_due(receipt.lines)
    if common_due is not None:
        # One due date for the whole loan: once, prominent, instead of on every line.
        canvas.label_value(cap("due"), vn_date(common_due), st.body_bold, bold_value=st.body_bold)

    if receipt.lines:
        canvas.rule()
        for number, line in enumerate(receipt.lines, start=1):
            _item(canvas, st, cap, receipt.kind, number, line, show_due=common_due is None)
        canvas.space(2)
        total = sum(line.quantity for line in receipt.lines)
        canvas.text(cap("items_count", count=total), st.body_bold)

    if receipt.summary is not None:
        _summary(canvas, st, cap, receipt)

    canvas.rule()
    canvas.label_value(cap("reference"), receipt.reference, st.body, bold_value=st.body_bold)
    canvas.space(4 * st.qr_module)  # the QR's quiet zone: fed, not sent
    canvas.qr(receipt.reference, st.qr_module)
    canvas.space(3 * st.qr_module)
    canvas.text(cap("qr_hint"), st.small, align="center")
    canvas.text(cap(f"footer_{receipt.kind}"), st.small, align="center")
    if receipt.kind in ("equipment_slip", "day_summary"):
        canvas.space(st.signature)  # room to sign; fed, not sent, by the encoder
        canvas.rule(dashed=False, thickness=1, pad=0)
    return Document(width_dots, canvas.finish(), cut=True,
                    name=f"{receipt.kind}-{receipt.reference}")


def shared_due(lines) -> date | None:
    """The due date when every line has the same one (printed once at the top), else None."""
    dues = {line.due for line in lines}
    return dues.pop() if len(dues) == 1 else None


def line_details(line: ReceiptLine, cap: Captions, show_due: bool = True) -> list[str]:
    """The small print under an item: its code, due date, condition, lateness (both the bitmap
    and the text mode print these)."""
    details = [line.code] if line.code else []
    if line.due is not None and show_due:
        details.append(f"{cap('due')}: {vn_date(line.due)}")
    if line.of_quantity:
        details.append(cap("partial", back=line.quantity, of=line.of_quantity,
                           left=line.still_out))
    if len(line.split) > 1:
        parts = ", ".join(f"{n} {condition_word(c, cap).lower()}" for c, n in line.split if n)
        details.append(f"{cap('condition')}: {parts}")
    elif line.condition:
        details.append(f"{cap('condition')}: {condition_word(line.condition, cap)}")
    if line.late:
        details.append(cap("late"))
    if line.note:
        details.append(f"{cap('note')}: {line.note}")
    return details


def class_counts(row: ClassCounts, cap: Captions) -> str:
    """One class's figures on the day summary: 'sách 3/2 · thiết bị 12/12' (out/back)."""
    parts = []
    if row.books_borrowed or row.books_returned:
        parts.append(cap("class_books", out=row.books_borrowed, back=row.books_returned))
    if row.equipment_borrowed or row.equipment_returned:
        parts.append(cap("class_equipment", out=row.equipment_borrowed,
                         back=row.equipment_returned))
    return " · ".join(parts)


def condition_word(condition: str, cap: Captions) -> str:
    """A condition in words (tốt, hỏng, thiếu, mất); other text as given."""
    return cap(f"condition_{condition}") if condition in CONDITIONS else condition


def _item(canvas: Canvas, st: _Styles, cap: Captions, kind: str, number: int,
          line: ReceiptLine, show_due: bool = True) -> None:
    head = line.title
    if line.quantity > 1 or kind == "equipment_slip":
        unit = f" {line.unit}" if line.unit else ""
        head += f" ({cap('quantity')}: {line.quantity}{unit})"
    canvas.hanging(f"{number}. ", head, st.body_bold)
    details = line_details(line, cap, show_due)
    if details:
        indent = int(st.body_bold.font.getlength(f"{number}. "))
        # Each detail stays whole on a line (no-break spaces inside it).
        canvas.text(" · ".join(d.replace(" ", "\u00a0") for d in details), st.body,
                    indent=indent)
    canvas.space(4)


def _summary(canvas: Canvas, st: _Styles, cap: Captions, receipt: Receipt) -> None:
    summary = receipt.summary
    canvas.label_value(cap("day"), vn_date(summary.day), st.body)
    canvas.rule()
    for key in ("books_borrowed", "books_returned", "equipment_borrowed", "equipment_returned",
                "overdue", "patrons"):
        canvas.label_value(cap(key), str(getattr(summary, key)), st.body,
                           bold_value=st.body_bold)
    if summary.by_class:
        canvas.space(4)
        canvas.text(f"{cap('by_class')}:", st.body_bold)
        for row in summary.by_class:
            canvas.hanging(f"{row.class_name or '—'}: ", class_counts(row, cap), st.body)
    if summary.notes:
        canvas.space(4)
        canvas.text(f"{cap('notes')}:", st.body_bold)
        for note in summary.notes:
            canvas.hanging("– ", note, st.body)
