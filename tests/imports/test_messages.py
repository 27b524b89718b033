"""Every reason an import can give has a message, in Vietnamese and in English."""
import re
import tomllib

from kiosk import ASSETS, PROJECT_ROOT

SOURCES = sorted((PROJECT_ROOT / "kiosk" / "imports").glob("*.py"))


def _catalog(lang: str) -> dict:
    with (ASSETS / "i18n" / lang / "imports.toml").open("rb") as handle:
        return tomllib.load(handle)


def _reasons(pattern: str) -> set[str]:
    found = set()
    for path in SOURCES:
        found |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


def test_vietnamese_and_english_have_the_same_keys():
    vi, en = _catalog("vi"), _catalog("en")
    assert vi.keys() == en.keys()
    assert vi["row"].keys() == en["row"].keys()
    assert vi["file"].keys() == en["file"].keys()


def test_every_row_reason_has_a_message():
    reasons = (_reasons(r'BadValue\("(\w+)"') | _reasons(r'CodeListError\("(\w+)"')
               | _reasons(r'report\.error\(row_number, "(\w+)"')
               | _reasons(r'v\.code\(values\.get\("code"\), "(\w+)"\)'))
    assert {"missing_code", "bad_range", "below_on_loan"} <= reasons  # the scan finds them
    assert reasons <= _catalog("vi")["row"].keys()


def test_every_file_reason_has_a_message():
    reasons = _reasons(r'ImportFileError\("(\w+)"')
    assert {"not_excel", "missing_columns", "empty"} <= reasons
    assert reasons <= _catalog("vi")["file"].keys()
