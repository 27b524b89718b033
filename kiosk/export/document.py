"""One register or report written as Excel and/or PDF from the same rows: title, the school,
the period, sections of columns and rows; the PDF adds the official header, the place and date,
and the signature blocks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from kiosk.export.pdf import Header, PdfColumn, PdfDocument
from kiosk.export.xlsx import Cells, Column, XlsxBook, expand

FORMATS = ("xlsx", "pdf")


@dataclass(frozen=True)
class Col:
    """A column of both formats: header, Excel width (characters), kind, PDF alignment."""

    header: str
    width: int = 14
    kind: str = "text"  # text | number | date | percent | decimal

    @property
    def align(self) -> str:
        """Numbers right, dates centred, text left (in the PDF)."""
        if self.kind in ("number", "percent", "decimal"):
            return "right"
        return "center" if self.kind == "date" else "left"


def place_and_date(t: Callable[..., str], place: str, day: date) -> str:
    """'Hưng Yên, ngày 26 tháng 11 năm 2026'."""
    when = t("export.date_line", day=f"{day.day:02d}", month=f"{day.month:02d}", year=day.year)
    return f"{place}, {when}" if place else when[:1].upper() + when[1:]


class Document:
    """Writes one document to ``base.xlsx`` and/or ``base.pdf``."""

    def __init__(self, base: Path, formats: Sequence[str], *, title: str,
                 subtitles: Sequence[str], sheet: str, header: Header,
                 portrait: bool = False):
        self.base = Path(base)
        self.formats = [f for f in FORMATS if f in formats]
        self.title = title
        self.subtitles = list(subtitles)
        self.xlsx = XlsxBook(self.base.with_suffix(".xlsx")) if "xlsx" in self.formats else None
        self.pdf = None
        if "pdf" in self.formats:
            self.pdf = PdfDocument(self.base.with_suffix(".pdf"), portrait=portrait,
                                   footer=title.capitalize() if title.isupper() else title)
            self.pdf.official_header(header)
            self.pdf.title(title)
            for line in subtitles[1:]:  # the school is in the header already
                self.pdf.subtitle(line)
            self.pdf.gap(6)
        self.sheet = None
        self._sheet_name = sheet
        self._first = True
        self.rows = 0

    def section(self, columns: Sequence[Col], heading: str = "", sheet: str | None = None,
                pdf_size: float | None = None) -> None:
        """Start a table: a sheet of its own in Excel (the first one carries the title), a
        heading and a table in the PDF."""
        if self.pdf is not None:
            if self.pdf._table is not None:
                self.pdf.end_table()
            if heading:
                self.pdf.heading(heading)
            self.pdf.start_table([PdfColumn(c.header, c.width, c.align) for c in columns],
                                 size=pdf_size)
        if self.xlsx is not None:
            title = self.title if self._first else (heading or self.title)
            subtitles = self.subtitles if self._first else self.subtitles[:1]
            if heading and self._first:
                subtitles = [*subtitles, heading]
            self.sheet = self.xlsx.sheet(sheet or self._sheet_name, title=title,
                                         subtitles=subtitles,
                                         columns=[Column(c.header, c.width, c.kind)
                                                  for c in columns])
        self._first = False

    def row(self, values: Sequence, bold: bool = False) -> None:
        """One row in every format."""
        if self.sheet is not None:
            self.sheet.row(values, bold)
        if self.pdf is not None:
            self.pdf.row(expand(values), bold)
        self.rows += 1

    def note(self, text: str, bold: bool = False) -> None:
        """A line of text after the table (legend, totals)."""
        if self.sheet is not None:
            self.sheet.note(text, bold)
        if self.pdf is not None:
            if self.pdf._table is not None:
                self.pdf.end_table()
            self.pdf.paragraph(text, bold=bold)

    def drawing(self, drawing) -> None:
        """A chart (PDF only: the Excel file holds the numbers it is drawn from)."""
        if self.pdf is not None:
            if self.pdf._table is not None:
                self.pdf.end_table()
            self.pdf.drawing(drawing)

    def close(self, place_date: str, roles: Sequence[str], hint: str) -> list[Path]:
        """Finish every file (the PDF with its signature blocks); returns their paths."""
        paths = []
        if self.xlsx is not None:
            if self.sheet is not None:
                self.sheet.gap()
                self.sheet.note(place_date)
                self.sheet.note("        ".join(roles), bold=True)
            paths.append(self.xlsx.close())
        if self.pdf is not None:
            if self.pdf._table is not None:
                self.pdf.end_table()
            self.pdf.signatures(place_date, roles, hint)
            paths.append(self.pdf.close())
        return paths
