"""The Excel writer: rows rendered at once and rows through XlsxWriter's cell API read back the
same; text that looks like a formula stays text."""
import zipfile
from datetime import date

import openpyxl
import pytest

from kiosk.export.xlsx import Column, XlsxBook, csv_safe

ROWS = [
    [1, date(2026, 9, 2), "Nguyễn Văn An", '=HYPERLINK("http://x","y")', None, 12.5, ""],
    [2, date(2027, 1, 16), "+84 912", "-1", "@SUM(A1)", 0, " khoảng trắng "],
    [3, None, "\tTab", "\rCR", "a & b < c > d", 1234567, "dòng 1\ndòng 2"],
    [4, date(2026, 12, 1), "x\x01y", True, False, 0.41, "Ký"],
    [5, date(2026, 9, 2), "Nguyễn Văn An", "Nguyễn Văn An", "Lớp 6A1", 7, "a\u00a0b"],
]


def _write(path, fast):
    book = XlsxBook(path, fast=fast)
    sheet = book.sheet("Sổ", title="SỔ THỬ", subtitles=["Trường THCS Thử"],
                       columns=[Column("STT", 5, "number"), Column("Ngày", 11, "date"),
                                Column("A"), Column("B"), Column("C"),
                                Column("Số", 8, "decimal"), Column("D")])
    assert (sheet._fast is not None) == fast
    for row in ROWS:
        sheet.row(row)
    sheet.row(["", "Tổng", None, None, None, 10, None], bold=True)
    sheet.note("Hưng Yên, ngày 20 tháng 12 năm 2026")
    book.close()
    return openpyxl.load_workbook(path).active


def _cells(sheet):
    return [[(c.value, c.data_type, c.number_format.lower(), bool(c.quotePrefix),
              bool(c.font.b)) for c in row] for row in sheet.iter_rows()]


def test_fast_rows_read_back_like_the_cell_api(tmp_path):
    fast = _write(tmp_path / "fast.xlsx", True)
    slow = _write(tmp_path / "slow.xlsx", False)
    assert _cells(fast) == _cells(slow)
    assert fast.max_row == slow.max_row and fast.freeze_panes == slow.freeze_panes


@pytest.mark.parametrize("fast", [True, False])
def test_formula_text_stays_text(tmp_path, fast):
    sheet = _write(tmp_path / "f.xlsx", fast)
    looks = [c for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and c.value[:1] in "=+-@\t\r"]
    assert {c.value for c in looks} >= {'=HYPERLINK("http://x","y")', "+84 912", "-1",
                                        "@SUM(A1)", "\tTab"}
    assert all(c.data_type == "s" and c.quotePrefix for c in looks)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    dates = [c.value.date() for row in sheet.iter_rows() for c in row
             if c.number_format.lower() == "dd/mm/yyyy" and c.value]
    assert dates == [date(2026, 9, 2), date(2027, 1, 16), date(2026, 12, 1), date(2026, 9, 2)]


def test_repeated_texts_are_shared_and_the_table_is_capped(tmp_path, monkeypatch):
    import kiosk.export.xlsx as xlsx
    monkeypatch.setattr(xlsx, "SHARED_MAX", 3)
    fast = _write(tmp_path / "capped.xlsx", True)
    slow = _write(tmp_path / "slow.xlsx", False)
    assert _cells(fast) == _cells(slow)  # beyond the cap, texts are written inline
    with zipfile.ZipFile(tmp_path / "capped.xlsx") as parts:
        shared = parts.read("xl/sharedStrings.xml").decode()
    assert shared.count("<si>") == 3 and 'uniqueCount="3"' in shared


def test_text_that_looks_like_rich_text_xml_stays_text(tmp_path):
    book = XlsxBook(tmp_path / "rich.xlsx")
    sheet = book.sheet("S", title="T", subtitles=[], columns=[Column("A"), Column("B")])
    name = "<r><t>x</t></r></is></c><c><f>HYPERLINK(1)</f></c><r></r>"
    sheet.row([name, "thường"])
    sheet.row([name, "thường"])
    book.close()
    rows = list(openpyxl.load_workbook(tmp_path / "rich.xlsx").active.iter_rows(values_only=True))
    assert rows[-2:] == [(name, "thường")] * 2


def test_csv_cells_are_neutralised():
    assert csv_safe('=HYPERLINK("http://x","y")') == "'=HYPERLINK(\"http://x\",\"y\")"
    assert [csv_safe(v) for v in ("+1", "-1", "@a", "\tb", "\rc", "an", 5)] == [
        "'+1", "'-1", "'@a", "'\tb", "'\rc", "an", 5]
