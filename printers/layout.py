"""A 1-bit canvas that lays text out line by line: wrapping, alignment, rules, spacing.

The canvas grows downwards; :meth:`Canvas.finish` returns the document's segments (bitmaps cut
around any native QR codes). Text is drawn without anti-aliasing (mode ``"1"``), as a thermal head
prints it.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from printers.document import Bitmap, QRCode, Segment
from printers.fonts import font

Align = Literal["left", "center", "right"]
#: Letters that reach highest and lowest in Vietnamese: the line box must hold them.
_TALL = "ẤẦẨẪẬỖỸÕỄ"
_DEEP = "gjpqyỵỹ"
_CHUNK = 2048


@dataclass(frozen=True)
class Style:
    """A font size and weight."""

    size: int
    bold: bool = False

    @property
    def font(self) -> ImageFont.FreeTypeFont:
        """The bundled font in this style."""
        return font(self.size, self.bold)


def line_metrics(style: Style) -> tuple[int, int]:
    """(top, height) of a line in ``style``: top is the baseline's distance below the line's top."""
    return _metrics(style.size, style.bold)


_metric_cache: dict[tuple[int, bool], tuple[int, int]] = {}


def _metrics(size: int, bold: bool) -> tuple[int, int]:
    key = (size, bold)
    if key not in _metric_cache:
        f = font(size, bold)
        top = f.getbbox(_TALL, anchor="ls")[1]
        bottom = f.getbbox(_DEEP, anchor="ls")[3]
        _metric_cache[key] = (-top, bottom - top)
    return _metric_cache[key]


def wrap(text: str, style: Style, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` dots, at spaces where possible."""
    f = style.font
    lines: list[str] = []
    for paragraph in unicodedata.normalize("NFC", text).split("\n"):
        current = ""
        # Split at plain spaces only: a no-break space (U+00A0) keeps a phrase together.
        for word in (w for w in paragraph.split(" ") if w):
            candidate = f"{current} {word}" if current else word
            if f.getlength(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while f.getlength(word) > width:  # a word longer than the line: break it
                cut = len(word) - 1
                while cut > 1 and f.getlength(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


class Canvas:
    """Draws lines of text and rules top to bottom on paper ``width`` dots wide."""

    def __init__(self, width: int, margin: int = 0):
        self.width = width
        self.margin = margin
        self._segments: list[Segment] = []
        self._new_image()

    def _new_image(self) -> None:
        self._image = Image.new("1", (self.width, _CHUNK), 1)
        self._draw = ImageDraw.Draw(self._image)
        self._draw.fontmode = "1"
        self.y = 0

    def _ensure(self, height: int) -> None:
        if self.y + height > self._image.height:
            grown = Image.new("1", (self.width, max(self._image.height * 2, self.y + height)), 1)
            grown.paste(self._image, (0, 0))
            self._image = grown
            self._draw = ImageDraw.Draw(self._image)
            self._draw.fontmode = "1"

    @property
    def inner_width(self) -> int:
        """The width text may use, inside the margins."""
        return self.width - 2 * self.margin

    def space(self, dots: int) -> None:
        """Leave ``dots`` blank rows."""
        self._ensure(dots)
        self.y += dots

    def text(self, text: str, style: Style, align: Align = "left", indent: int = 0,
             gap: int = 2) -> None:
        """Draw ``text`` wrapped to the line width; ``indent`` dots on the left of every line."""
        top, height = line_metrics(style)
        f = style.font
        avail = self.inner_width - indent
        for line in wrap(text, style, avail):
            self._ensure(height + gap)
            if align == "left":
                x = self.margin + indent
            else:
                length = f.getlength(line)
                x = self.margin + indent + (avail - length) / 2 if align == "center" \
                    else self.width - self.margin - length
            self._draw.text((x, self.y + top), line, font=f, fill=0, anchor="ls")
            self.y += height + gap

    def label_value(self, label: str, value: str, style: Style, bold_value: Style | None = None,
                    gap: int = 2) -> None:
        """``label: value``, the value wrapped under itself when it is long."""
        self.hanging(f"{label}: ", value, style, bold_value, gap)

    def hanging(self, prefix: str, value: str, style: Style, value_style: Style | None = None,
                gap: int = 2) -> None:
        """``prefix`` then ``value``, the value's further lines aligned under its first."""
        label_text = prefix
        label_width = int(style.font.getlength(label_text))
        value_style = value_style or style
        if label_width > self.inner_width // 2:
            self.text(label_text + value, style, gap=gap)
            return
        top, height = line_metrics(style)
        start = self.y
        self._ensure(height)
        self._draw.text((self.margin, self.y + top), label_text, font=style.font, fill=0,
                        anchor="ls")
        self.text(value, value_style, indent=label_width, gap=gap)
        if self.y == start:
            self.y += height + gap

    def rule(self, dashed: bool = True, thickness: int = 2, pad: int = 6) -> None:
        """A horizontal line across the paper, with ``pad`` blank rows above and below."""
        self._ensure(2 * pad + thickness)
        self.y += pad
        x0, x1 = self.margin, self.width - self.margin - 1
        if dashed:
            for x in range(x0, x1, 12):
                self._draw.rectangle((x, self.y, min(x + 7, x1), self.y + thickness - 1), fill=0)
        else:
            self._draw.rectangle((x0, self.y, x1, self.y + thickness - 1), fill=0)
        self.y += thickness + pad

    def paste(self, image: Image.Image, align: Align = "center") -> None:
        """Paste a 1-bit picture at the cursor."""
        self._ensure(image.height)
        x = {"left": self.margin, "center": (self.width - image.width) // 2,
             "right": self.width - self.margin - image.width}[align]
        self._image.paste(image, (x, self.y))
        self.y += image.height

    def qr(self, data: str, module_dots: int) -> None:
        """A QR code printed by the printer itself: ends the current bitmap segment."""
        self._flush()
        self._segments.append(QRCode(data, module_dots))
        self._new_image()

    def _flush(self) -> None:
        if self.y > 0:
            self._segments.append(Bitmap(self._image.crop((0, 0, self.width, self.y))))

    def finish(self) -> tuple[Segment, ...]:
        """The segments drawn so far; the canvas is done."""
        self._flush()
        self._new_image()
        segments, self._segments = tuple(self._segments), []
        return segments
