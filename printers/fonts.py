"""The bundled font (DejaVu Sans Condensed, full Vietnamese coverage) at any pixel size."""
from __future__ import annotations

from functools import lru_cache

from pathlib import Path

from PIL import ImageFont

#: The bundled fonts, in the project's ``assets/fonts`` (beside this room).
FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
REGULAR = FONT_DIR / "DejaVuSansCondensed.ttf"
BOLD = FONT_DIR / "DejaVuSansCondensed-Bold.ttf"


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The bundled font at ``size`` pixels (cached)."""
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)
