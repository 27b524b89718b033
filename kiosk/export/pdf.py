"""Printable PDFs: A4 landscape (or portrait) pages with the Vietnamese administrative header,
tables that flow over pages with their header repeated, charts, and signature blocks.

ReportLab's canvas, page by page, with the bundled DejaVu font (every Vietnamese letter):
rows are laid out as they come, so a long register never sits whole in memory as a table.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence

from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from kiosk import ASSETS

FONT, FONT_BOLD = "DejaVuCondensed", "DejaVuCondensed-Bold"
_registered = False


def register_fonts() -> None:
    """Make the bundled DejaVu font known to ReportLab (once)."""
    global _registered
    if _registered:
        return
    pdfmetrics.registerFont(TTFont(FONT, str(ASSETS / "fonts" / "DejaVuSansCondensed.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD,
                                   str(ASSETS / "fonts" / "DejaVuSansCondensed-Bold.ttf")))
    _registered = True


@dataclass(frozen=True)
class PdfColumn:
    """A table column: its header, its share of the width, its alignment (left|right|center)."""

    header: str
    weight: float = 1.0
    align: str = "left"


@dataclass(frozen=True)
class Header:
    """The administrative header of an official form."""

    authority: str  # the level above the school (e.g. "PHÒNG GD&ĐT ..."), may be ""
    school: str
    nation: str  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    motto: str  # Độc lập - Tự do - Hạnh phúc


def cell_text(value) -> str:
    """A value as a PDF cell shows it: dates dd/mm/yyyy, numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


class PdfDocument:
    """A document laid out top to bottom; tables break across pages."""

    MARGIN = 12 * mm
    SIZE = 8.5
    LEADING = 10.5

    def __init__(self, path: Path, *, portrait: bool = False, footer: str = ""):
        register_fonts()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.pagesize = A4 if portrait else landscape(A4)
        self.canvas = Canvas(str(self.path), pagesize=self.pagesize, pageCompression=1)
        self.canvas.setTitle(footer or self.path.stem)
        self.width, self.height = self.pagesize
        self.footer = footer
        self.page = 1
        self.y = self.height - self.MARGIN
        self._table: dict | None = None

    # -- pages ------------------------------------------------------------------------------
    @property
    def inner_width(self) -> float:
        """The width between the margins."""
        return self.width - 2 * self.MARGIN

    def _footer(self) -> None:
        self.canvas.setFont(FONT, 7.5)
        text = f"{self.footer} — {self.page}" if self.footer else str(self.page)
        self.canvas.drawRightString(self.width - self.MARGIN, self.MARGIN / 2, text)

    def new_page(self) -> None:
        """Finish this page and start the next."""
        self._footer()
        self.canvas.showPage()
        self.page += 1
        self.y = self.height - self.MARGIN

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` fits above the bottom margin."""
        if self.y - height < self.MARGIN:
            self.new_page()

    # -- text -------------------------------------------------------------------------------
    def _lines(self, text: str, width: float, font: str, size: float) -> list[str]:
        """Text wrapped at spaces into ``width``; a word wider than that is broken too."""
        lines: list[str] = []
        for part in str(text).split("\n"):
            for line in simpleSplit(part, font, size, width) or [""]:
                while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
                    cut = len(line) - 1
                    while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
                lines.append(line)
        return lines

    def official_header(self, header: Header) -> None:
        """School on the left, the nation and motto on the right (as official forms have)."""
        c = self.canvas
        left = self.MARGIN + self.inner_width * 0.22
        right = self.MARGIN + self.inner_width * 0.72
        top = self.y - 10
        c.setFont(FONT, 9.5)
        if header.authority:
            c.drawCentredString(left, top, header.authority)
            top_school = top - 12
        else:
            top_school = top
        c.setFont(FONT_BOLD, 9.5)
        for i, line in enumerate(self._lines(header.school.upper(), self.inner_width * 0.4,
                                             FONT_BOLD, 9.5)):
            c.drawCentredString(left, top_school - 12 * i, line)
        c.drawCentredString(right, top, header.nation)
        c.setFont(FONT_BOLD, 10)
        c.drawCentredString(right, top - 13, header.motto)
        motto = pdfmetrics.stringWidth(header.motto, FONT_BOLD, 10)
        c.line(right - motto / 2, top - 16, right + motto / 2, top - 16)
        self.y = min(top_school - 12 * 2, top - 30) - 4

    def title(self, text: str, size: float = 14) -> None:
        """A centred bold title."""
        lines = self._lines(text, self.inner_width, FONT_BOLD, size)
        self.room(len(lines) * (size + 4))
        self.canvas.setFont(FONT_BOLD, size)
        for line in lines:
            self.y -= size + 2
            self.canvas.drawCentredString(self.width / 2, self.y, line)
        self.y -= 4

    def subtitle(self, text: str) -> None:
        """A centred line under the title."""
        self.room(14)
        self.canvas.setFont(FONT, 10)
        self.y -= 12
        self.canvas.drawCentredString(self.width / 2, self.y, text)

    def heading(self, text: str) -> None:
        """A section's bold heading, kept with at least a few lines below it."""
        self.room(60)
        self.y -= 8
        self.canvas.setFont(FONT_BOLD, 11)
        self.y -= 12
        self.canvas.drawString(self.MARGIN, self.y, text)
        self.y -= 4

    def paragraph(self, text: str, size: float = 9, bold: bool = False) -> None:
        """Wrapped text across the page."""
        font = FONT_BOLD if bold else FONT
        for line in self._lines(text, self.inner_width, font, size):
            self.room(size + 3)
            self.canvas.setFont(font, size)
            self.y -= size + 3
            self.canvas.drawString(self.MARGIN, self.y, line)

    def gap(self, height: float = 8) -> None:
        """Vertical space."""
        self.y -= height

    # -- tables -----------------------------------------------------------------------------
    def start_table(self, columns: Sequence[PdfColumn], size: float | None = None) -> None:
        """Begin a table; rows follow with :meth:`row`, the header repeats on each page."""
        total = sum(c.weight for c in columns)
        widths = [self.inner_width * c.weight / total for c in columns]
        self._table = {"columns": list(columns), "widths": widths,
                       "size": size or self.SIZE}
        self._table_header()

    def _table_header(self) -> None:
        table = self._table
        size = table["size"]
        cells = [self._lines(c.header, w - 4, FONT_BOLD, size)
                 for c, w in zip(table["columns"], table["widths"])]
        height = max(len(lines) for lines in cells) * (size + 2) + 5
        self.room(height + 2 * (size + 6))
        self._draw_row(cells, height, FONT_BOLD, size, ["center"] * len(cells), shade=True)

    def _draw_row(self, cells, height, font, size, aligns, shade=False) -> None:
        c = self.canvas
        table = self._table
        x = self.MARGIN
        top = self.y
        if shade:
            c.setFillGray(0.9)
            c.rect(self.MARGIN, top - height, sum(table["widths"]), height, stroke=0, fill=1)
            c.setFillGray(0)
        c.setLineWidth(0.4)
        c.setFont(font, size)
        for lines, width, align in zip(cells, table["widths"], aligns):
            c.rect(x, top - height, width, height, stroke=1, fill=0)
            baseline = top - size - 1.5
            for line in lines:
                if align == "right":
                    c.drawRightString(x + width - 2, baseline, line)
                elif align == "center":
                    c.drawCentredString(x + width / 2, baseline, line)
                else:
                    c.drawString(x + 2, baseline, line)
                baseline -= size + 2
            x += width
        self.y = top - height

    def row(self, values: Sequence, bold: bool = False) -> None:
        """One table row; a new page (with the header again) when it does not fit."""
        table = self._table
        size = table["size"]
        font = FONT_BOLD if bold else FONT
        cells = [self._lines(cell_text(v), w - 4, font, size)
                 for v, w in zip(values, table["widths"])]
        height = max(len(lines) for lines in cells) * (size + 2) + 3
        if self.y - height < self.MARGIN:
            self.new_page()
            self._table_header()
        aligns = [c.align for c in table["columns"]]
        self._draw_row(cells, height, font, size, aligns)

    def end_table(self) -> None:
        """The table is done."""
        self._table = None
        self.y -= 6

    # -- charts and signatures --------------------------------------------------------------
    def drawing(self, drawing) -> None:
        """A ReportLab graphics drawing (a chart), centred."""
        self.room(drawing.height + 6)
        self.y -= drawing.height + 4
        renderPDF.draw(drawing, self.canvas, (self.width - drawing.width) / 2, self.y)
        self.y -= 4

    def signatures(self, place_date: str, roles: Sequence[str], hint: str) -> None:
        """The place and date, then one signature block per role, side by side."""
        self.room(110)
        c = self.canvas
        self.y -= 16
        c.setFont(FONT, 10)
        c.drawCentredString(self.MARGIN + self.inner_width * (1 - 0.5 / len(roles)), self.y,
                            place_date)
        self.y -= 16
        width = self.inner_width / len(roles)
        for i, role in enumerate(roles):
            middle = self.MARGIN + width * (i + 0.5)
            c.setFont(FONT_BOLD, 10)
            c.drawCentredString(middle, self.y, role)
            c.setFont(FONT, 8.5)
            c.drawCentredString(middle, self.y - 12, hint)
        self.y -= 80

    def close(self) -> Path:
        """Finish the last page and the file."""
        self._footer()
        self.canvas.save()
        return self.path
