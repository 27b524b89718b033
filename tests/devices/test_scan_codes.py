"""Validation and classification of codes (devices.codes)."""
import pytest

from devices.codes import (InvalidCode, classify, clean_code, code39_valid, ean13_valid,
                           identify, isbn_to_13, validate)

PATTERNS = {  # the defaults of kiosk.config.CodePatterns, in their order
    "student": r"\d{8,12}",
    "teacher": r"GV\d{3,6}",
    "staff": r"CB\d{3,6}",
    "book_copy": r"(GK|TK|NV|TN)\.\d{5}",
    "equipment_item": r"TB\.[A-Z0-9]{2,10}\.\d{3,5}",
    "isbn": r"97[89]\d{10}|\d{9}[\dX]",
}


def test_ean13_check_digit():
    assert ean13_valid("9786041234567")
    assert not ean13_valid("9786041234568")
    assert not ean13_valid("978604123456")
    assert not ean13_valid("97860412345６7")  # a full-width digit is not a digit here


def test_isbn10_becomes_isbn13():
    assert isbn_to_13("0-306-40615-2") == "9780306406157"
    assert isbn_to_13("080442957X") == "9780804429573"
    assert isbn_to_13("0306406153") is None  # wrong check digit
    assert isbn_to_13("978-604-1-23456-7") == "9786041234567"


def test_code39_charset():
    assert code39_valid("TK.00003")
    assert code39_valid("TB.KHTN6.001")
    assert not code39_valid("tk.00003")
    assert not code39_valid("A_B")


def test_clean_trims_and_normalises_to_nfc():
    decomposed = "Nguye\u0302\u0303n"  # e + circumflex + tilde, combining
    assert clean_code(f"  {decomposed}\r\n") == "Nguy\u1ec5n"


@pytest.mark.parametrize("raw,reason", [
    ("", "empty"), ("   ", "empty"), ("AB\x00CD", "control_character"),
    ("AB\x1bCD", "control_character"), ("A\u200bB", "control_character"),
    ("X" * 65, "too_long"), ("X" * 1000, "too_long"),
])
def test_clean_refuses(raw, reason):
    with pytest.raises(InvalidCode) as info:
        clean_code(raw, max_length=64)
    assert info.value.reason == reason


def test_validate_checks_by_symbology():
    assert validate("9786041234567", "ean13") == "9786041234567"
    with pytest.raises(InvalidCode, match="bad_check_digit"):
        validate("9786041234568", "ean13")
    with pytest.raises(InvalidCode, match="not_code39"):
        validate("tk.00003", "code39")
    assert validate("tk.00003", "code128") == "tk.00003"
    assert validate("9786041234568", None) == "9786041234568"  # a wedge cannot say


@pytest.mark.parametrize("code,kind", [
    ("0123456789", "student"), ("GV0012", "teacher"), ("CB001", "staff"),
    ("TK.00003", "book_copy"), ("TB.KHTN6.001", "equipment_item"),
    ("9786041234567", "isbn"), ("9786041234568", None), ("XYZ", None),
])
def test_classify_with_config_patterns(code, kind):
    assert classify(code, PATTERNS) == kind


def test_identify_converts_isbn10():
    patterns = {"isbn": PATTERNS["isbn"], "student": PATTERNS["student"]}
    assert identify("080442957X", patterns) == ("isbn", "9780804429573")
    assert identify("TK.00003", PATTERNS) == ("book_copy", "TK.00003")
    assert identify("nothing", PATTERNS) == (None, "nothing")
