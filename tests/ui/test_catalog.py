"""Every UI string is in the catalog, in both languages."""
import re
import tomllib
from pathlib import Path

from kiosk import ASSETS

ROOT = Path(__file__).resolve().parents[2]


def _flat(table, prefix=""):
    out = set()
    for key, value in table.items():
        if isinstance(value, dict):
            out |= _flat(value, f"{prefix}{key}.")
        else:
            out.add(prefix + key)
    return out


def _keys(lang, ns):
    with open(ASSETS / "i18n" / lang / f"{ns}.toml", "rb") as handle:
        return _flat(tomllib.load(handle))


def test_vietnamese_and_english_have_the_same_keys():
    for ns in ("ui", "done", "refusal"):
        assert _keys("vi", ns) == _keys("en", ns), ns


def test_every_literal_ui_key_in_the_code_exists():
    known = {f"ui.{k}" for k in _keys("vi", "ui")}
    used = set()
    for path in list((ROOT / "kiosk" / "ui").rglob("*.py")) + list(
            (ROOT / "kiosk" / "presenters").rglob("*.py")):
        used |= set(re.findall(r'"(ui\.[a-z_]+\.[a-z_0-9]+)"', path.read_text()))
    assert used and used <= known, sorted(used - known)
