"""Colours, sizes and the font: one place for the look of every screen."""
from __future__ import annotations

import logging
from pathlib import Path

from kiosk import ASSETS

log = logging.getLogger(__name__)

# Colours (r, g, b, a)
BACKGROUND = (0.96, 0.97, 0.98, 1)
HEADER = (0.09, 0.27, 0.50, 1)
HEADER_TEXT = (1, 1, 1, 1)
TEXT = (0.10, 0.12, 0.16, 1)
MUTED = (0.36, 0.40, 0.46, 1)
OK = (0.05, 0.50, 0.22, 1)
OK_BG = (0.88, 0.96, 0.90, 1)
REFUSED = (0.72, 0.10, 0.10, 1)
REFUSED_BG = (0.99, 0.90, 0.90, 1)
WARNING = (0.80, 0.50, 0.00, 1)
WARNING_BG = (1.00, 0.95, 0.82, 1)
INFO = (0.09, 0.27, 0.50, 1)
INFO_BG = (0.89, 0.93, 0.99, 1)
BUTTON = (0.16, 0.42, 0.75, 1)
BUTTON_DONE = (0.05, 0.55, 0.28, 1)
BUTTON_QUIET = (0.82, 0.85, 0.89, 1)
BUTTON_QUIET_TEXT = TEXT
BUTTON_DANGER = (0.75, 0.16, 0.16, 1)
SELECTED = (0.98, 0.80, 0.25, 1)
CARD = (1, 1, 1, 1)

# Sizes in pixels (dp): touch targets are never below 48, mostly 64.
TOUCH_MIN = 48
BUTTON_H = 64
HEADER_H = 56
PAD = 8
FONT_TITLE = 24
FONT_BODY = 19
FONT_SMALL = 16
FONT_BIG = 30
#: The latest result on the borrow screen: large, for a child who reads slowly.
FONT_HEADLINE = 24

FONT_NAME = "KioskSans"
#: The registered font family in use (set by :func:`register_font`).
FONT_NAME_IN_USE = "Roboto"
_SYSTEM_FALLBACK = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def find_font() -> tuple[str | None, str | None]:
    """(regular, bold) font files with Vietnamese coverage: assets/fonts first, else None
    (Kivy's Roboto, which covers Vietnamese), DejaVu Sans as the last resort."""
    fonts = ASSETS / "fonts"
    if fonts.is_dir():
        regular = sorted(p for p in fonts.glob("*.ttf") if "bold" not in p.name.lower()
                         and "italic" not in p.name.lower())
        bold = sorted(p for p in fonts.glob("*.ttf") if "bold" in p.name.lower()
                      and "italic" not in p.name.lower())
        if regular:
            return str(regular[0]), str(bold[0]) if bold else None
    return None, None


def register_font() -> str:
    """Register the kiosk's font family and return its name."""
    from kivy.core.text import LabelBase
    from kivy.resources import resource_find

    regular, bold = find_font()
    if regular is None:
        regular = resource_find("data/fonts/Roboto-Regular.ttf")
        bold = resource_find("data/fonts/Roboto-Bold.ttf")
    if regular is None and _SYSTEM_FALLBACK.exists():
        regular = str(_SYSTEM_FALLBACK)
    if regular is None:
        log.warning("no font with Vietnamese coverage found; using Kivy's default")
        return "Roboto"
    global FONT_NAME_IN_USE
    LabelBase.register(FONT_NAME, fn_regular=regular, fn_bold=bold or regular)
    FONT_NAME_IN_USE = FONT_NAME
    log.info("font %s", regular)
    return FONT_NAME
