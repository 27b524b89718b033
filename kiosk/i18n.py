"""The translation catalog: Vietnamese first, English second.

Messages live in ``assets/i18n/<lang>/<namespace>.toml``; a key is ``namespace.name``
(``refusal.item_on_loan`` is ``name = "item_on_loan"`` in ``refusal.toml``). Values are
``str.format`` templates. A key missing in English falls back to Vietnamese; a key missing
everywhere shows the key itself, so a forgotten message is visible, never a crash.
"""
from __future__ import annotations

import logging
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

from kiosk import ASSETS

log = logging.getLogger(__name__)

CATALOG_DIR = ASSETS / "i18n"
DEFAULT_LANG = "vi"
LANGUAGES = ("vi", "en")


@lru_cache(maxsize=None)
def load_catalog(lang: str, directory: Path = CATALOG_DIR) -> dict[str, str]:
    """Every message of one language, keyed ``namespace.name``, NFC-normalised."""
    messages: dict[str, str] = {}
    for path in sorted((directory / lang).glob("*.toml")):
        with path.open("rb") as handle:
            table = tomllib.load(handle)
        _flatten(path.stem, table, messages)
    return messages


def _flatten(prefix: str, table: dict, out: dict[str, str]) -> None:
    for key, value in table.items():
        if isinstance(value, dict):
            _flatten(f"{prefix}.{key}", value, out)
        else:
            out[f"{prefix}.{key}"] = unicodedata.normalize("NFC", str(value))


class Translator:
    """Looks messages up in one language, falling back to Vietnamese."""

    def __init__(self, lang: str = DEFAULT_LANG):
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANG

    def __call__(self, key: str, **values) -> str:
        template = load_catalog(self.lang).get(key)
        if template is None and self.lang != DEFAULT_LANG:
            template = load_catalog(DEFAULT_LANG).get(key)
        if template is None:
            log.warning("missing message %s", key)
            return key
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            log.warning("message %s does not fit values %s", key, sorted(values))
            return template


_current = Translator()


def set_language(lang: str) -> None:
    """Switch the process-wide language used by :func:`t`."""
    global _current
    _current = Translator(lang)


def current_language() -> str:
    """The language :func:`t` uses now."""
    return _current.lang


def t(key: str, **values) -> str:
    """Translate ``key`` into the current language."""
    return _current(key, **values)


def known(key: str) -> bool:
    """True when the catalog has ``key`` (in Vietnamese, the fallback of every language)."""
    return key in load_catalog(DEFAULT_LANG)


def receipt_captions(lang: str):
    """What ``printers`` prints receipts with: ``captions(key, **values)`` from the
    ``receipt`` namespace of the catalog, in ``lang`` (Vietnamese where English lacks one)."""
    translate = Translator(lang)
    return lambda key, **values: translate(f"receipt.{key}", **values)
