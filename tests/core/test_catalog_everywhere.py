"""Every message the code names is in the catalog, in Vietnamese and in English."""
import re
from pathlib import Path

from kiosk import ASSETS, PROJECT_ROOT
from kiosk.i18n import load_catalog

CODE = [path for room in ("kiosk", "printers", "devices")
        for path in (PROJECT_ROOT / room).rglob("*.py")]


def _namespaces(lang: str) -> set[str]:
    return {path.stem for path in (ASSETS / "i18n" / lang).glob("*.toml")}


def test_both_languages_have_the_same_files_and_keys():
    assert _namespaces("vi") == _namespaces("en")
    vi, en = load_catalog("vi"), load_catalog("en")
    assert set(vi) == set(en), sorted(set(vi) ^ set(en))


def test_every_literal_key_given_to_t_exists():
    known = set(load_catalog("vi"))
    namespaces = _namespaces("vi")
    used = set()
    for path in CODE:
        for key in re.findall(r'\bt\(\s*"([a-z_]+\.[a-z_0-9.]+)"', path.read_text()):
            if key.split(".")[0] in namespaces:
                used.add(key)
    assert used, "found no t() calls: the pattern is wrong"
    assert used <= known, sorted(used - known)


def test_every_refusal_and_success_code_has_its_sentence():
    known = set(load_catalog("vi"))
    refusals, successes = set(), set()
    for path in CODE:
        text = path.read_text()
        refusals |= set(re.findall(r'\brefuse\(\s*"([a-z_0-9]+)"', text))
        successes |= set(re.findall(r'\bdone\(\s*"([a-z_0-9]+)"', text))
    assert len(refusals) > 20 and len(successes) > 8
    missing = sorted({f"refusal.{c}" for c in refusals} - known) + sorted(
        {f"done.{c}" for c in successes} - known)
    assert not missing, missing


def test_item_status_refusals_cover_every_status():
    known = set(load_catalog("vi"))
    for status in ("on_loan", "reference", "lost", "withdrawn", "damaged"):
        assert f"refusal.item_{status}" in known


def test_database_refusals_cover_every_reason():
    known = set(load_catalog("vi"))
    source = (PROJECT_ROOT / "db" / "engine.py").read_text()
    reasons = set(re.findall(r'return "([a-z_]+)"', source))
    assert reasons and {f"refusal.db_{r}" for r in reasons} <= known


def test_catalog_text_is_nfc():
    import unicodedata
    for path in Path(ASSETS / "i18n").rglob("*.toml"):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, path
