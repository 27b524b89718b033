"""Receipt captions from the translation catalog file ``assets/i18n/<lang>/receipt.toml``.

``printers`` may not import ``kiosk``, so this is its own small reader of that one file. A caption
missing in English falls back to Vietnamese, a caption missing everywhere prints its key.
"""
from __future__ import annotations

import logging
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

#: The project's ``assets`` folder (the kiosk runs from its checkout).
ASSETS = Path(__file__).resolve().parent.parent / "assets"
CATALOG_DIR = ASSETS / "i18n"
DEFAULT_LANG = "vi"


@lru_cache(maxsize=None)
def _read(lang: str, directory: Path) -> dict[str, str]:
    path = directory / lang / "receipt.toml"
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle)
    except FileNotFoundError:
        log.warning("no receipt captions for %s at %s", lang, path)
        return {}
    return {key: unicodedata.normalize("NFC", str(value)) for key, value in table.items()}


class Captions:
    """Looks receipt captions up in one language: ``captions("due")``, ``captions("items_count", count=3)``."""

    def __init__(self, lang: str = DEFAULT_LANG, directory: Path = CATALOG_DIR):
        self.lang = lang
        self._own = _read(lang, Path(directory))
        self._fallback = _read(DEFAULT_LANG, Path(directory)) if lang != DEFAULT_LANG else {}

    def __call__(self, key: str, **values) -> str:
        template = self._own.get(key, self._fallback.get(key))
        if template is None:
            log.warning("missing receipt caption %s", key)
            return key
        try:
            return template.format(**values) if values else template
        except (KeyError, IndexError, ValueError):
            log.warning("receipt caption %s does not fit values %s", key, sorted(values))
            return template


def load_captions(lang: str = DEFAULT_LANG) -> Captions:
    """The receipt captions of ``lang`` (Vietnamese by default)."""
    return Captions(lang)
