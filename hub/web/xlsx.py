"""Excel exports (openpyxl in write-only mode: rows stream out, no per-cell objects kept).

No formula injection: any text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is written as a text cell (the string type, never a formula), and numbers stay numbers.
"""
from __future__ import annotations

import io
from datetime import date, datetime
from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from hub.calendar import VIETNAM

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(sheet, value, bold: bool = False):
    """A write-only cell; text is always a string cell (openpyxl would otherwise read a
    leading ``=`` as a formula)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(VIETNAM)
        value = value.strftime("%d/%m/%Y %H:%M")
    elif isinstance(value, date):
        value = value.strftime("%d/%m/%Y")
    out = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        out.data_type = "s"  # never "f": a name like =HYPERLINK(...) stays text
        if value.startswith(FORMULA_STARTS):
            out.quotePrefix = True
    if bold:
        out.font = Font(bold=True)
    return out


class Sheet:
    """A sheet with a title block (national header, the report's name) and a table."""

    def __init__(self, book: Workbook, title: str):
        self.sheet = book.create_sheet(title=title[:31])

    def row(self, values: Iterable, bold: bool = False) -> None:
        """Append one row."""
        self.sheet.append([cell(self.sheet, v, bold) for v in values])

    def widths(self, widths: Sequence[int]) -> None:
        """Column widths (call before the first row)."""
        from openpyxl.utils import get_column_letter

        for i, w in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = w


def workbook() -> Workbook:
    """An empty write-only workbook."""
    return Workbook(write_only=True)


def header(sheet: Sheet, unit: str, title: str, subtitle: str, lang: str) -> None:
    """The administrative header of an official table, then a blank line."""
    from hub.i18n import t

    sheet.row([unit, "", "", t("hub.xlsx.nation", lang)], bold=True)
    sheet.row(["", "", "", t("hub.xlsx.motto", lang)], bold=True)
    sheet.row([])
    sheet.row([title], bold=True)
    sheet.row([subtitle])
    sheet.row([])


def to_bytes(book: Workbook) -> bytes:
    """The finished file."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


__all__ = ["Alignment", "FORMULA_STARTS", "Sheet", "XLSX_TYPE", "cell", "header", "to_bytes",
           "workbook"]
