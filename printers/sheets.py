"""Labels on A4 sheets, as a PDF for an ordinary office printer.

Common sheet layouts: ``3x8`` (24 labels of 70 x 37 mm) and ``4x10`` (40 labels of 52.5 x 29.7 mm),
both edge to edge on A4. Pages are drawn at 300 dpi as 1-bit pictures (so bars keep whole-dot
widths) and written with Pillow; print them at 100 % ("actual size"), not "fit to page".
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from PIL import Image

from printers.labels import Label, mm_to_dots, render_label

log = logging.getLogger(__name__)

A4_MM = (210.0, 297.0)
SHEET_DPI = 300


@dataclass(frozen=True)
class SheetLayout:
    """Where labels sit on an A4 sheet, in millimetres."""

    columns: int
    rows: int
    label_width_mm: float
    label_height_mm: float
    left_mm: float = 0.0
    top_mm: float = 0.0
    column_gap_mm: float = 0.0
    row_gap_mm: float = 0.0

    @property
    def per_page(self) -> int:
        """Labels on one sheet."""
        return self.columns * self.rows


LAYOUTS: dict[str, SheetLayout] = {
    "3x8": SheetLayout(3, 8, 70.0, 37.0, top_mm=0.5),
    "4x10": SheetLayout(4, 10, 52.5, 29.7),
}


def _layout(layout: str | SheetLayout) -> SheetLayout:
    if isinstance(layout, SheetLayout):
        return layout
    try:
        return LAYOUTS[layout]
    except KeyError:
        raise ValueError(f"unknown sheet layout {layout!r}; one of {', '.join(LAYOUTS)}") from None


def label_sheet_pages(labels: Iterable[Label], layout: str | SheetLayout = "3x8",
                      dpi: int = SHEET_DPI, skip: int = 0) -> list[Image.Image]:
    """The sheets as 1-bit pictures; ``skip`` leaves that many positions empty on the first
    sheet (a part-used sheet)."""
    spec = _layout(layout)
    labels = list(labels)
    page_size = (mm_to_dots(A4_MM[0], dpi), mm_to_dots(A4_MM[1], dpi))
    width = mm_to_dots(spec.label_width_mm, dpi)
    height = mm_to_dots(spec.label_height_mm, dpi)
    # Leave a millimetre inside each label: die-cut edges wander.
    inset = mm_to_dots(1.0, dpi)
    pages: list[Image.Image] = []
    slots = [None] * skip + labels
    for first in range(0, len(slots), spec.per_page):
        page = Image.new("1", page_size, 1)
        for index, label in enumerate(slots[first:first + spec.per_page]):
            if label is None:
                continue
            row, column = divmod(index, spec.columns)
            x = mm_to_dots(spec.left_mm + column * (spec.label_width_mm + spec.column_gap_mm), dpi)
            y = mm_to_dots(spec.top_mm + row * (spec.label_height_mm + spec.row_gap_mm), dpi)
            picture = render_label(label, width - 2 * inset, height - 2 * inset, dpi)
            page.paste(picture, (x + inset, y + inset))
        pages.append(page)
    return pages


def write_label_sheet_pdf(labels: Iterable[Label], layout: str | SheetLayout = "3x8",
                          path: str | Path = "labels.pdf", dpi: int = SHEET_DPI,
                          skip: int = 0) -> Path:
    """Write the labels as an A4 PDF (one page per sheet) and return its path."""
    pages = label_sheet_pages(labels, layout, dpi, skip)
    if not pages:
        raise ValueError("no labels to put on a sheet")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    log.info("wrote %d label sheet(s) to %s", len(pages), path)
    return path
