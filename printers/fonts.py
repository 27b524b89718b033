"""The bundled font (DejaVu Sans Condensed, full Vietnamese coverage) at any pixel size."""
from __future__ import annotations

from functools import lru_cache

from PIL import ImageFont

from printers.captions import ASSETS

FONT_DIR = ASSETS / "fonts"
REGULAR = FONT_DIR / "DejaVuSansCondensed.ttf"
BOLD = FONT_DIR / "DejaVuSansCondensed-Bold.ttf"


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The bundled font at ``size`` pixels (cached)."""
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)
