"""Text mode: a receipt as characters in the printer's own code page, for printers known to print
Vietnamese well (``[printer] mode = "text"``). Bitmap mode is the default and the safe one.

Only Windows-1258 (CP1258) is supported: Vietnamese letters are sent as a base letter (ă â ê ô ơ
ư đ are in the code page) followed by a combining tone mark, which the printer must combine.
The code page's table number differs between printers (HARDWARE.md: 52 on many, 27 or 94 on
clones), so it is a setting. The QR code still goes with the printer's own QR command.
"""
from __future__ import annotations

import textwrap
import unicodedata

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from printers.errors import PrinterConfigError
from printers.escpos_out import ALIGN_CENTER, ALIGN_LEFT, ESC, INIT
from printers.receipt import Captions, Receipt
from printers.render import class_counts, line_details, shared_due, vn_date, vn_time

#: Code page name -> (Python codec, usual ESC t table number).
CODEPAGES = {"CP1258": ("cp1258", 52)}
#: Combining tone marks that CP1258 holds: grave, acute, tilde, hook above, dot below.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
BOLD_ON = ESC + b"E\x01"
BOLD_OFF = ESC + b"E\x00"


def encode_cp1258(text: str) -> bytes:
    """``text`` in Windows-1258, tone marks as combining characters where no precomposed letter
    exists; characters outside the code page become ``?``."""
    out = bytearray()
    decomposed = unicodedata.normalize("NFD", text)
    clusters: list[str] = []
    for ch in decomposed:
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    for cluster in clusters:
        composed = unicodedata.normalize("NFC", cluster)
        try:
            out += composed.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base = unicodedata.normalize("NFC", "".join(c for c in cluster if c not in _TONES))
        tones = "".join(c for c in cluster if c in _TONES)
        out += base.encode("cp1258", errors="replace") + tones.encode("cp1258", errors="replace")
    return bytes(out)


def receipt_lines(receipt: Receipt, columns: int, captions: Captions) -> list[str]:
    """The receipt as lines of at most ``columns`` characters (bold lines start with ``*``)."""
    cap = captions
    lines: list[str] = []

    def add(text: str, bold: bool = False, indent: str = "") -> None:
        for part in textwrap.wrap(text, columns, subsequent_indent=indent) or [""]:
            lines.append(("*" if bold else "") + part)

    add(receipt.school_name.upper(), bold=True)
    add(f"{cap('kiosk')}: {receipt.kiosk_name}")
    lines.append("-" * columns)
    add(receipt.title or cap(f"title_{receipt.kind}"), bold=True)
    if receipt.patron_name:
        who = cap("teacher") if receipt.kind == "equipment_slip" else cap("patron")
        add(f"{who}: {receipt.patron_name}")
    if receipt.patron_class and receipt.kind != "equipment_slip":
        add(f"{cap('class')}: {receipt.patron_class}")
    add(f"{cap('time')}: {vn_time(receipt.printed_at)}")
    if receipt.lesson:
        les = receipt.lesson
        add(f"{cap('lesson_date')}: {vn_date(les.lesson_date)}  {cap('period')}: {les.period}  "
            f"{cap('class')}: {les.class_name}")
        if les.subject:
            add(f"{cap('subject')}: {les.subject}")
        if les.lesson_title:
            add(f"{cap('lesson_title')}: {les.lesson_title}")
    common_due = shared_due(receipt.lines)
    if common_due is not None:
        add(f"{cap('due')}: {vn_date(common_due)}", bold=True)
    if receipt.lines:
        lines.append("-" * columns)
        for number, item in enumerate(receipt.lines, start=1):
            qty = f" ({cap('quantity')}: {item.quantity})" if item.quantity > 1 else ""
            add(f"{number}. {item.title}{qty}", bold=True, indent="   ")
            details = line_details(item, cap, show_due=common_due is None)
            if details:
                add("   " + " - ".join(details), indent="   ")
    if receipt.summary:
        s = receipt.summary
        add(f"{cap('day')}: {vn_date(s.day)}")
        for key in ("books_borrowed", "books_returned", "equipment_borrowed",
                    "equipment_returned", "overdue", "patrons"):
            add(f"{cap(key)}: {getattr(s, key)}")
        if s.by_class:
            add(f"{cap('by_class')}:", bold=True)
            for row in s.by_class:
                add(f"  {row.class_name or '-'}: {class_counts(row, cap)}", indent="    ")
        for note in s.notes:
            add(f"- {note}", indent="  ")
    lines.append("-" * columns)
    add(f"{cap('reference')}: {receipt.reference}", bold=True)
    return lines


def encode_text_receipt(receipt: Receipt, captions: Captions, width_dots: int = 576,
                        codepage: str = "CP1258", table: int | None = None,
                        qr_module: int = 6) -> bytes:
    """ESC/POS bytes printing ``receipt`` as text in ``codepage`` (font A: 12 dots a column)."""
    if codepage.upper() not in CODEPAGES:
        raise PrinterConfigError(f"text mode supports code pages {sorted(CODEPAGES)}, "
                                 f"not {codepage!r}")
    _codec, usual = CODEPAGES[codepage.upper()]
    cap = captions
    printer = Dummy()
    printer._raw(INIT + ESC + b"t" + bytes([usual if table is None else table]))
    for line in receipt_lines(receipt, width_dots // 12, cap):
        bold = line.startswith("*")
        text = line[1:] if bold else line
        printer._raw((BOLD_ON if bold else b"") + encode_cp1258(text) + b"\n"
                     + (BOLD_OFF if bold else b""))
    printer._raw(ALIGN_CENTER)
    printer.qr(receipt.reference, ec=QR_ECLEVEL_M, size=qr_module, native=True)
    printer._raw(b"\n" + encode_cp1258(cap(f"footer_{receipt.kind}")) + b"\n" + ALIGN_LEFT)
    printer.cut()
    return printer.output
