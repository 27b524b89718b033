"""Excel files written row by row: a title block, bold headers, bordered rows, dd/mm/yyyy dates.

XlsxWriter in ``constant_memory`` mode: each row goes to disk as it is written, so a register of
a million loans takes a few megabytes of memory (a full in-memory workbook with a style object
per cell took 2.2 GB). Every text is written as a text cell, never as a formula; a text that a
spreadsheet would take for one (``=``, ``+``, ``-``, ``@``, a tab or a carriage return first) is
also marked with Excel's quote prefix, so that editing the cell keeps it text.
"""
from __future__ import annotations

import functools
import re
import threading
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Sequence

import xlsxwriter
import xlsxwriter.workbook

#: Distinct texts a workbook shares (each kept in memory until the file is closed); a register
#: of a school year holds some tens of thousands (names, titles, barcodes, classes).
SHARED_MAX = 200_000
#: zlib level of the file's parts: at 1 a register's file is stored 1.7x faster than at the
#: zipfile default (6) and is half as big again (300k rows: 0.53 s and 11.0 MB against
#: 0.92 s and 7.1 MB).
ZIP_LEVEL = 1
#: What a spreadsheet would read as the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_EPOCH = date(1899, 12, 30).toordinal()


class Cells(tuple):
    """Adjacent cells that come together row after row (a patron's name, code and class; a
    book's code, title and author): one value in a row, several cells in the file. The fast
    rows render each distinct group once."""

    __slots__ = ()


def expand(values: Sequence) -> Sequence:
    """A row with its :class:`Cells` spread into single values."""
    if not any(value.__class__ is Cells for value in values):
        return values
    flat = []
    for value in values:
        if value.__class__ is Cells:
            flat.extend(value)
        else:
            flat.append(value)
    return flat


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could take ``text`` for a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_safe(value):
    """A value for a CSV cell: text that would be a formula gets a leading apostrophe."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    """A column: its header, its width in characters, and how its values look."""

    header: str
    width: int = 14
    kind: str = "text"  # text | number | date | percent | decimal


def excel_day(day: date) -> int:
    """A date as Excel's day number (what a date cell stores)."""
    if isinstance(day, datetime):
        day = day.date()
    return day.toordinal() - _EPOCH


class _Workbook(xlsxwriter.Workbook):
    """XlsxWriter's workbook, its parts compressed at :data:`ZIP_LEVEL`. XlsxWriter offers no
    option for it: the zip file it opens at close is given the level while it is stored."""

    def _store_workbook(self) -> None:
        with _ZIP_LOCK:
            xlsxwriter.workbook.ZipFile = _LEVELLED_ZIP
            try:
                super()._store_workbook()
            finally:
                xlsxwriter.workbook.ZipFile = zipfile.ZipFile


_ZIP_LOCK = threading.Lock()
_LEVELLED_ZIP = functools.partial(zipfile.ZipFile, compresslevel=ZIP_LEVEL)


class XlsxBook:
    """One workbook, its sheets written row by row."""

    def __init__(self, path: Path, fast: bool = True):
        self.path = Path(path)
        #: Rows rendered straight into the sheet's constant_memory stream (see _FastRows).
        self.fast = fast
        self.path.parent.mkdir(parents=True, exist_ok=True)
        #: The cells of the texts, dates and groups already written (plain, bold).
        self.memo: dict[bool, dict] = {False: {}, True: {}}
        self.sheets: list[XlsxSheet] = []
        self.book = _Workbook(str(self.path), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "default_date_format": "dd/mm/yyyy"})
        add = self.book.add_format
        base = {"border": 1, "valign": "top", "font_name": "Arial", "font_size": 10}
        self.formats = {
            "text": add({**base, "text_wrap": True}),
            "quoted": add({**base, "text_wrap": True, "quote_prefix": True}),
            "number": add(base),
            "decimal": add({**base, "num_format": "0.00"}),
            "percent": add({**base, "num_format": "0.0"}),
            "date": add({**base, "num_format": "dd/mm/yyyy", "align": "center"}),
        }
        bold = {"bold": True}
        self.bold_formats = {kind: add({**base, **bold, **extra}) for kind, extra in (
            ("text", {"text_wrap": True}), ("quoted", {"text_wrap": True, "quote_prefix": True}),
            ("number", {}), ("decimal", {"num_format": "0.00"}), ("percent", {"num_format": "0.0"}),
            ("date", {"num_format": "dd/mm/yyyy"}))}
        self.header = add({**base, "bold": True, "align": "center", "valign": "vcenter",
                           "text_wrap": True, "bg_color": "#E8E8E8"})
        self.title = add({"bold": True, "font_size": 14, "align": "center", "font_name": "Arial"})
        self.subtitle = add({"italic": True, "align": "center", "font_name": "Arial"})
        self.plain = add({"font_name": "Arial", "font_size": 10})
        self.plain_bold = add({"font_name": "Arial", "font_size": 10, "bold": True})

    def sheet(self, name: str, *, title: str, subtitles: Sequence[str],
              columns: Sequence[Column]) -> "XlsxSheet":
        """A new sheet with its title block and header row written."""
        for sheet in self.sheets:
            sheet.flush()
        made = XlsxSheet(self, name, title, subtitles, columns)
        self.sheets.append(made)
        return made

    def close(self) -> Path:
        """Finish the file."""
        for sheet in self.sheets:
            sheet.flush()
        self.book.close()
        return self.path


def _sheet_name(name: str) -> str:
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return (cleaned or "Sheet")[:31]


class XlsxSheet:
    """A sheet that takes rows in order."""

    def __init__(self, book: XlsxBook, name: str, title: str, subtitles: Sequence[str],
                 columns: Sequence[Column]):
        self.book = book
        used = {ws.get_name() for ws in book.book.worksheets()}
        base = _sheet_name(name)
        unique, n = base, 2
        while unique in used:
            unique = f"{base[:28]}-{n}"
            n += 1
        self.ws = book.book.add_worksheet(unique)
        self.columns = list(columns)
        self.kinds = [c.kind for c in self.columns]
        last = max(len(self.columns) - 1, 0)
        for index, column in enumerate(self.columns):
            self.ws.set_column(index, index, column.width)
        self.row_number = 0
        self._merged(title, book.title)
        for line in subtitles:
            self._merged(line, book.subtitle)
        self.row_number += 1
        self.header_row = self.row_number
        for index, column in enumerate(self.columns):
            self.ws.write_string(self.row_number, index, column.header, book.header)
        self.ws.freeze_panes(self.row_number + 1, 0)
        self.ws.repeat_rows(self.row_number)
        self.ws.set_landscape()
        self.ws.set_paper(9)  # A4
        self.ws.fit_to_pages(1, 0)
        self.ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        self.row_number += 1
        self._last = last
        self.rows = 0
        self._fast = _FastRows.for_sheet(self) if book.fast else None
        #: Rendered rows not yet written to the sheet's stream (written 500 at a time).
        self._pending: list[str] = []
        self._shared = 0
        self._widest = 0

    def flush(self) -> None:
        """Write the rendered rows held back; before anything else goes into the sheet (the
        sheet's size and the shared strings' count are told to XlsxWriter here)."""
        if not self._pending:
            return
        ws = self.ws
        ws.fh.write("".join(self._pending))
        self._pending.clear()
        last = self.row_number - 1
        ws.previous_row = last
        if last > ws.dim_rowmax:
            ws.dim_rowmax = last
        if ws.dim_colmax is None or self._widest > ws.dim_colmax:
            ws._check_dimensions(last, self._widest)
        self._fast.sst.count += self._shared
        self._shared = 0

    def _merged(self, text: str, fmt) -> None:
        if len(self.columns) > 1:
            self.ws.merge_range(self.row_number, 0, self.row_number, len(self.columns) - 1,
                                "", fmt)
        self.ws.write_string(self.row_number, 0, text, fmt)
        self.row_number += 1

    def row(self, values: Sequence, bold: bool = False) -> None:
        """Write one row; ``None`` leaves a bordered empty cell."""
        if self._fast is not None:
            self._fast_row(values, bold)
            return
        self._slow_row(values, bold)

    def _fast_row(self, values: Sequence, bold: bool = False) -> None:
        """One row rendered at once into the sheet's row stream (see :class:`_FastRows`)."""
        fast = self._fast
        ws = self.ws
        if ws.table:
            ws._write_single_row(self.row_number)  # XlsxWriter writes the row it still holds
        numbers = fast.numbers[bold]
        get = fast.memo[bold].get
        cells = []
        add = cells.append
        shared = 0
        index = -1
        for value in values:
            index += 1
            # Texts, dates, blanks and cell groups met before: their cells as rendered then
            # (numbers are never remembered: True == 1 would find a number's entry).
            found = get(value)
            if found is None:
                kind = value.__class__
                if kind is int or kind is float:
                    add(f'<c{numbers[index]}<v>{value:.16G}</v></c>')
                    continue
                found = fast.entry(value, bold)
            add(found[0])
            shared += found[1]
            index += found[2]
        self.row_number += 1
        pending = self._pending
        pending.append(f'<row r="{self.row_number}">{"".join(cells)}</row>')
        self._shared += shared
        if index > self._widest:
            self._widest = index
        if len(pending) >= 500:
            self.flush()
        self.rows += 1

    def _slow_row(self, values: Sequence, bold: bool = False) -> None:
        """One row through XlsxWriter's cell API."""
        values = expand(values)
        formats = self.book.bold_formats if bold else self.book.formats
        ws, r = self.ws, self.row_number
        for index, value in enumerate(values):
            if value is None or value == "" or value is False:
                ws.write_blank(r, index, None, formats["text"])
            elif isinstance(value, str):
                fmt = formats["quoted"] if value.startswith(FORMULA_STARTS) else formats["text"]
                ws.write_string(r, index, value, fmt)
            elif isinstance(value, bool):
                ws.write_string(r, index, "x" if value else "", formats["text"])
            elif isinstance(value, date):
                ws.write_number(r, index, excel_day(value), formats["date"])
            else:
                kind = self.kinds[index] if index < len(self.kinds) else "number"
                ws.write_number(r, index, value, formats.get(kind, formats["number"]))
        self.row_number += 1
        self.rows += 1

    def rows_from(self, rows: Iterable[Sequence]) -> int:
        """Write every row of an iterable; returns how many."""
        before = self.rows
        for values in rows:
            self.row(values)
        return self.rows - before

    def note(self, text: str, bold: bool = False) -> None:
        """A line of text below the table (a legend, a total, a signature block)."""
        self.flush()
        self.ws.write_string(self.row_number, 0, text,
                             self.book.plain_bold if bold else self.book.plain)
        self.row_number += 1

    def gap(self) -> None:
        """An empty line."""
        self.row_number += 1

    def subheader(self, columns: Sequence[Column]) -> None:
        """A second header row further down the same sheet (a sheet of several tables)."""
        self.flush()
        for index, column in enumerate(columns):
            self.ws.write_string(self.row_number, index, column.header, self.book.header)
        self.kinds = [c.kind for c in columns]
        if self._fast is not None:
            self._fast = _FastRows.for_sheet(self)
        self.row_number += 1


_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f]")
_SPACE = " \t\n\r"
FORMULA_FIRST = "".join(FORMULA_STARTS)
_XML_SPECIAL = re.compile(r"[&<>]")
_LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def _xml_text(text: str) -> str:
    """Text as an inline string's XML (what XlsxWriter writes for the same text)."""
    if "_x" in text:  # a literal "_x0001_" is escaped, or Excel would read a control character
        text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
    if _XML_SPECIAL.search(text):
        text = _XML_SPECIAL.sub(lambda m: _XML_ESCAPES[m.group()], text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text


class _FastRows:
    """The hot loop of a big register: each data row rendered as the XML XlsxWriter itself
    writes (a cell's style index and its value), less the cells' own references (optional in
    the file format: a row's cells follow one another), and written into the worksheet's
    ``constant_memory`` row stream after XlsxWriter has flushed its own rows. Text goes into the
    workbook's shared string table (XlsxWriter's own, written by it at close): a register
    repeats the same names, titles and classes on every page, so a cell is a number to write
    and to compress instead of the text, and each distinct text is rendered once. The table
    is capped (:data:`SHARED_MAX` distinct texts, kept in memory); texts beyond it, and those
    XlsxWriter would take for rich text, are written inline as before. The workbook, styles,
    merged title rows, widths, print setup and the file itself stay XlsxWriter's. Why:
    XlsxWriter's per-cell API costs about 4 µs a cell (16 million cells for a school year of a
    million loans, a minute); this costs a tenth of it.
    Used only when the installed XlsxWriter has the stream this relies on; else every row goes
    through the cell API (tests compare both)."""

    def __init__(self, sheet: "XlsxSheet"):
        self.sheet = sheet
        book = sheet.book
        self.sst = book.book.str_table
        self.styles = {}
        self.numbers = {}
        #: value -> (its cells, how many are shared strings, columns beyond the first), per
        #: bold: the workbook's, shared by its sheets (same styles).
        self.memo = book.memo
        for bold, table in ((False, book.formats), (True, book.bold_formats)):
            style = {kind: fmt._get_xf_index() for kind, fmt in table.items()}
            self.styles[bold] = style
            numbers = [f' s="{style.get(kind, style["number"])}">' for kind in sheet.kinds]
            numbers += [f' s="{style["number"]}">'] * 64
            self.numbers[bold] = numbers
            self.memo[bold].setdefault(None, (f'<c s="{style["text"]}"/>', 0, 0))
            self.memo[bold].setdefault("", (f'<c s="{style["text"]}"/>', 0, 0))

    def entry(self, value, bold: bool) -> tuple[str, int, int]:
        """The cells of a value not met before (remembered, unless written inline)."""
        if value is False:
            return self.memo[bold][None]
        if value is True:
            value = "x"
        if value.__class__ is str:
            cell = self.text_cell(value, bold)
            if cell is None:
                return self.inline_cell(value, bold), 0, 0
            found = self.memo[bold][value] = (cell, 1, 0)
            return found
        if value.__class__ is Cells:
            found = self.memo[bold][value] = (*self.run_cells(value, bold), len(value) - 1)
            return found
        if isinstance(value, date):
            found = self.memo[bold][value] = (self.date_cell(value, bold), 0, 0)
            return found
        return f'<c{self.numbers[bold][0]}<v>{value:.16G}</v></c>', 0, 0

    def text_cell(self, text: str, bold: bool) -> str | None:
        """A text's shared-string cell (remembered for the next rows), or None when it is to
        be written inline."""
        if len(self.sst.string_table) >= SHARED_MAX or (
                text.startswith("<r>") and text.endswith("</r>")):
            return None
        style = self.styles[bold]["quoted" if text[0] in FORMULA_FIRST else "text"]
        index = self.sst._get_shared_string_index(text)
        self.sst.count -= 1  # counted by the row, with the cells found remembered
        return f'<c s="{style}" t="s"><v>{index}</v></c>'

    def run_cells(self, values: Cells, bold: bool) -> tuple[str, int]:
        """The cells of a :class:`Cells` group (text or blank) and how many are shared."""
        cells, shared = [], 0
        for value in values:
            value = str(value) if value else ""
            found = self.memo[bold].get(value) or self.entry(value, bold)
            cells.append(found[0])
            shared += found[1]
        return "".join(cells), shared

    def inline_cell(self, text: str, bold: bool) -> str:
        """A text written inside its cell (what XlsxWriter writes in constant_memory mode)."""
        style = self.styles[bold]["quoted" if text[0] in FORMULA_FIRST else "text"]
        if _NEEDS_ESCAPE.search(text) or "_x" in text:
            text = _xml_text(text)
        head = f'<c s="{style}" t="inlineStr"><is>'
        if text[0] in _SPACE or text[-1] in _SPACE or "\n" in text:
            return f'{head}<t xml:space="preserve">{text}</t></is></c>'
        return f'{head}<t>{text}</t></is></c>'

    def date_cell(self, day: date, bold: bool) -> str:
        """A date cell (Excel's day number, the dd/mm/yyyy style)."""
        if isinstance(day, datetime):
            day = day.date()
        return f'<c s="{self.styles[bold]["date"]}"><v>{day.toordinal() - _EPOCH}</v></c>'
    @classmethod
    def for_sheet(cls, sheet: "XlsxSheet") -> "_FastRows | None":
        ws = sheet.ws
        if not (getattr(ws, "constant_memory", False) and hasattr(ws, "_write_single_row")
                and hasattr(ws, "previous_row") and hasattr(ws, "_check_dimensions")):
            return None
        return cls(sheet)
