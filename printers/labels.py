"""Barcode labels for book copies and equipment items.

A book label: the school's name, the accession number as Code 128 with its text, the shelf mark
and the title. An equipment label: the school's name, the equipment code as Code 128 with its
text, and the item's name. :func:`render_label` draws one at any size and resolution;
:func:`label_document` makes a print job for a thermal printer (203 dpi); ``printers.sheets``
puts many on an A4 sheet.
"""
from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from printers.barcodes import code128_image, fit_module
from printers.document import Bitmap, Document
from printers.fonts import font
from printers.receipt import nfc

THERMAL_DPI = 203


@dataclass(frozen=True)
class BookLabel:
    """A book copy's label: ``accession`` (e.g. ``TK.00003``) is its barcode."""

    accession: str
    school_name: str
    shelf_mark: str = ""
    title: str = ""

    def __post_init__(self):
        for name in ("accession", "school_name", "shelf_mark", "title"):
            object.__setattr__(self, name, nfc(getattr(self, name)).strip())

    @property
    def code(self) -> str:
        """What the barcode holds."""
        return self.accession


@dataclass(frozen=True)
class EquipmentLabel:
    """An equipment item's label: ``code`` (e.g. ``TB.SINH6.007``) is its barcode."""

    code: str
    name: str
    school_name: str

    def __post_init__(self):
        for name in ("code", "name", "school_name"):
            object.__setattr__(self, name, nfc(getattr(self, name)).strip())


Label = BookLabel | EquipmentLabel


def mm_to_dots(mm: float, dpi: int) -> int:
    """Millimetres as dots at ``dpi``."""
    return round(mm * dpi / 25.4)


def _fit(text: str, size: int, bold: bool, width: int) -> str:
    f = font(size, bold)
    if f.getlength(text) <= width:
        return text
    while text and f.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def render_label(label: Label, width: int, height: int, dpi: int = THERMAL_DPI) -> Image.Image:
    """``label`` drawn on a ``width`` x ``height`` picture (mode ``"1"``) at ``dpi``.

    The barcode takes the widest whole-dot module that fits, never below 0.17 mm where the label
    allows it; text sizes follow the label's height.
    """
    image = Image.new("1", (width, height), 1)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    pad = max(2, mm_to_dots(1.5, dpi))
    inner = width - 2 * pad
    small = max(10, height // 13)
    big = max(12, height // 9)
    code = label.code
    # Text lines above and below the bars.
    top_text = _fit(label.school_name.upper(), small, True, inner)
    if isinstance(label, BookLabel):
        below = [(label.shelf_mark, big, True), (label.title, small, False)]
    else:
        below = [(label.name, small, True)]
    below = [(_fit(t, s, b, inner), s, b) for t, s, b in below if t]
    line = lambda size: round(size * 1.25)  # noqa: E731 - line height for a font size
    y = pad
    draw.text((width / 2, y), top_text, font=font(small, True), fill=0, anchor="mt")
    gap = max(2, mm_to_dots(0.4, dpi))
    y += line(small) + gap
    text_height = gap + line(big) + sum(line(s) for _t, s, _b in below)
    bar_height = max(height - y - text_height - pad, mm_to_dots(5, dpi))
    # The quiet zones are white already: the bars may use the whole width.
    module = fit_module(code, width, largest=max(1, round(dpi * 0.38 / 25.4)))
    bars = code128_image(code, module, bar_height)
    image.paste(bars, ((width - bars.width) // 2, y))
    y += bar_height + gap
    draw.text((width / 2, y), code, font=font(big, True), fill=0, anchor="mt")
    y += line(big)
    for text, size, bold in below:
        draw.text((width / 2, y), text, font=font(size, bold), fill=0, anchor="mt")
        y += line(size)
    return image


def label_document(label: Label, width_dots: int = 384, height_mm: float = 30.0,
                   cut: bool = True) -> Document:
    """A print job for one label on a thermal printer ``width_dots`` wide (203 dpi)."""
    image = render_label(label, width_dots, mm_to_dots(height_mm, THERMAL_DPI))
    return Document(width_dots, (Bitmap(image),), cut=cut, name=f"label-{label.code}")
