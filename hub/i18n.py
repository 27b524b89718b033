"""The hub's messages from the project's translation catalog (``assets/i18n/<lang>/hub.toml``:
Vietnamese first, English second; same keys in both). A key missing in English falls back to
Vietnamese; a key missing everywhere shows itself, so a forgotten message is visible."""
from __future__ import annotations

import logging
import tomllib
import unicodedata
from functools import lru_cache

from hub import ASSETS

log = logging.getLogger(__name__)
LANGUAGES = ("vi", "en")
DEFAULT = "vi"


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """Every ``hub.*`` message of one language."""
    path = ASSETS / "i18n" / lang / "hub.toml"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    out: dict[str, str] = {}

    def flatten(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                flatten(f"{prefix}.{key}", inner)
        else:
            out[prefix] = unicodedata.normalize("NFC", str(value))

    flatten("hub", table)
    return out


def t(key: str, lang: str = DEFAULT, **values) -> str:
    """The message ``key`` (``hub.nav.schools``) in ``lang``, formatted with ``values``."""
    lang = lang if lang in LANGUAGES else DEFAULT
    template = catalog(lang).get(key) or catalog(DEFAULT).get(key)
    if template is None:
        log.warning("missing message %s", key)
        return key
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template
