"""Text mode: Vietnamese in CP1258 with combining tone marks."""
from __future__ import annotations

import unicodedata

import pytest

from kiosk.i18n import receipt_captions
from printers import samples
from printers.errors import PrinterConfigError
from printers.text_mode import encode_cp1258, encode_text_receipt, receipt_lines

from test_glyph_coverage import _all_letters


def test_every_vietnamese_letter_round_trips_through_cp1258():
    text = "".join(_all_letters())
    data = encode_cp1258(text)
    assert b"?" not in data
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == text


def test_tones_are_combining_marks_after_a_code_page_letter():
    assert encode_cp1258("ế") == b"\xea\xec"  # ê + combining acute
    assert encode_cp1258("à") == b"\xe0"  # precomposed where the code page has it
    assert encode_cp1258("đ") == b"\xf0"
    assert encode_cp1258("€→") == b"\x80?"


def test_text_receipt_lines_fit_the_columns():
    for columns in (32, 48):
        lines = receipt_lines(samples.borrow_receipt(), columns, receipt_captions("vi"))
        assert all(len(line.lstrip("*")) <= columns for line in lines)
        assert any("Hạn trả: 10/12/2026" in line for line in lines)


def test_text_receipt_bytes():
    data = encode_text_receipt(samples.equipment_slip(), receipt_captions("vi"), 576)
    assert data.startswith(b"\x1b@\x1bt\x34")  # table 52
    assert b"\x1d(kTB-20261126-0007" not in data and b"TB-20261126-0007" in data
    assert b"\x1dv0" not in data  # no raster at all
    assert len(data) < 2000
    with pytest.raises(PrinterConfigError):
        encode_text_receipt(samples.equipment_slip(), receipt_captions("vi"), 576,
                            codepage="CP437")


def test_the_day_summary_prints_each_class_with_its_books_and_pieces_of_equipment():
    for columns in (32, 48):
        lines = receipt_lines(samples.day_summary(), columns, receipt_captions("vi"))
        assert all(len(line.lstrip("*")) <= columns for line in lines)
        text = "\n".join(lines)
        assert "Theo lớp (mượn/trả):" in text
        assert "6A1: sách 12/9 · thiết bị 13/12" in text.replace("\n    ", " ")
        assert "6A2: sách 10/8" in text and "6A2: sách 10/8 ·" not in text  # no zeros
