"""A laid-out print: bitmap segments and native QR codes, one printer width.

Receipts and labels render to a :class:`Document`. The ESC/POS encoder sends its bitmaps as raster
images and its QR codes with the printer's own QR command (tens of bytes instead of kilobytes);
:meth:`Document.to_image` draws the whole thing, QR included, as one picture for the preview
backend, the docs, and the screen when printing fails.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import qrcode
from PIL import Image

#: A QR code's quiet zone, in modules, where the document draws it itself.
QR_BORDER = 2


@dataclass(frozen=True)
class Bitmap:
    """A 1-bit picture as wide as the paper (PIL mode ``"1"``, white background)."""

    image: Image.Image


@dataclass(frozen=True)
class QRCode:
    """A QR code of ``data``, ``module_dots`` dots a module, centred on the paper."""

    data: str
    module_dots: int = 6


Segment = Bitmap | QRCode


@dataclass(frozen=True)
class Document:
    """What one print job prints, top to bottom, on paper ``width_dots`` wide."""

    width_dots: int
    segments: tuple[Segment, ...] = field(default_factory=tuple)
    #: Cut the paper at the end (receipts); labels on a label roll do not.
    cut: bool = True
    #: A short name for logs and preview files ("borrow-MS2611...", "label-TK.00003").
    name: str = "document"

    def to_image(self) -> Image.Image:
        """The whole document as one 1-bit picture, QR codes drawn in place."""
        parts = []
        for segment in self.segments:
            if isinstance(segment, Bitmap):
                parts.append(segment.image)
            else:
                code = qr_image(segment.data, segment.module_dots)
                band = Image.new("1", (self.width_dots, code.height), 1)
                band.paste(code, ((self.width_dots - code.width) // 2, 0))
                parts.append(band)
        height = sum(p.height for p in parts) or 1
        page = Image.new("1", (self.width_dots, height), 1)
        y = 0
        for part in parts:
            page.paste(part, (0, y))
            y += part.height
        return page


def qr_image(data: str, module_dots: int = 6, border: int = QR_BORDER) -> Image.Image:
    """``data`` as a QR code picture (mode ``"1"``, error correction M)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M,
                         box_size=module_dots, border=border)
    code.add_data(data)
    code.make(fit=True)
    return code.make_image().get_image().convert("1")
