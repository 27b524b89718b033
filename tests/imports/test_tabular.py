"""Reading files: header search, NFD headers, aliases, csv encodings and delimiters, code lists."""
import re
import zipfile

import openpyxl
import pytest

from kiosk.imports import students
from kiosk.imports.codes import CodeListError, expand_codes
from kiosk.imports.errors import ImportFileError
from kiosk.imports.tabular import cell_text, header_key, read_table
from tests.imports.sheets import nfd, write_csv, write_xlsx

HEADER = ["STT", "Mã lớp", "Mã học sinh", "Họ tên", "Ngày sinh"]


def test_header_found_below_title_rows_in_nfd(tmp_path):
    path = write_xlsx(tmp_path / "hs.xlsx", [nfd(h) for h in HEADER],
                      [[1, "6A1", "0123456701", nfd("Nguyễn Văn Ánh"), "01/02/2015"]],
                      above=[["SỞ GD&ĐT HƯNG YÊN"], [nfd("DANH SÁCH HỌC SINH")], []])
    table = read_table(path, students.COLUMNS)
    assert table.header_row == 4
    rows = list(table.rows)
    assert rows == [(5, {"class_name": "6A1", "code": "0123456701",
                               "name": "Nguyễn Văn Ánh", "birth_date": "01/02/2015"})]
    assert rows[0][1]["name"] == "Nguy\u1ec5n V\u0103n \u00c1nh"  # NFC, not NFD


def test_headers_match_ignoring_case_diacritics_and_notes():
    assert header_key("MA HOC SINH") == header_key(nfd("Mã học sinh"))
    assert header_key("Giá tiền (đồng)") == header_key("Giá tiền")
    assert header_key(" Lớp/Khối ") == "lop khoi"


def test_aliases_are_accepted(tmp_path):
    path = write_xlsx(tmp_path / "hs.xlsx", ["Lớp", "Mã HS", "Họ và tên"],
                      [["7A2", "0123456702", "Lê Thị Bình"]])
    table = read_table(path, students.COLUMNS)
    assert list(table.rows)[0][1]["code"] == "0123456702"


def test_blank_rows_and_numbered_blank_lines_are_skipped(tmp_path):
    path = write_xlsx(tmp_path / "hs.xlsx", HEADER,
                      [[1, "6A1", "0123456701", "An", None], [], [2, None, None, None, None],
                       [3, "6A1", "0123456703", "Ba", None]])
    table = read_table(path, students.COLUMNS)
    assert [number for number, _ in table.rows] == [2, 5] and table.count == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    path = write_csv(tmp_path / "hs.csv", HEADER,
                     [[1, "6A1", "0123456701", "Trần Thị Hương", "05/06/2015"]],
                     encoding=encoding, delimiter=delimiter)
    rows = list(read_table(path, students.COLUMNS).rows)
    assert rows[0][1]["name"] == "Trần Thị Hương"
    assert rows[0][0] == 2


def test_missing_required_column_names_it(tmp_path):
    path = write_xlsx(tmp_path / "hs.xlsx", ["STT", "Mã lớp", "Họ tên"], [[1, "6A1", "An"]])
    with pytest.raises(ImportFileError) as caught:
        read_table(path, students.COLUMNS)
    assert caught.value.reason == "missing_columns"
    assert caught.value.values["columns"] == "Mã học sinh"


def test_code_lists_and_ranges():
    assert expand_codes("TK.00001-TK.00003; TK.00009, TK.00001") == [
        "TK.00001", "TK.00002", "TK.00003", "TK.00009"]
    assert expand_codes("GK.00008-00010") == ["GK.00008", "GK.00009", "GK.00010"]
    assert expand_codes("TB.KHTN6.001 - TB.KHTN6.002") == ["TB.KHTN6.001", "TB.KHTN6.002"]
    assert expand_codes("TB-KHTN-001") == ["TB-KHTN-001"]  # a hyphen, not a range
    assert expand_codes("") == []


@pytest.mark.parametrize("cell, reason", [("TK.00005-TK.00001", "bad_range"),
                                          ("TK.00001-TK.99999", "range_too_long"),
                                          ("TK 00001", "bad_code"),
                                          ("TK.00001-TK.0009", "bad_range")])
def test_bad_code_lists(cell, reason):
    with pytest.raises(CodeListError) as caught:
        expand_codes(cell)
    assert caught.value.reason == reason


def test_row_numbers_follow_the_sheet_across_gaps(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B3"], sheet["C3"], sheet["D3"] = "Mã lớp", "Mã học sinh", "Họ tên"
    sheet["B7"], sheet["C7"], sheet["D7"] = "6A1", 3300000001, "An"  # a code stored as a number
    sheet["B9"], sheet["C9"], sheet["D9"] = "6A1", "3300000002", "Bình"
    workbook.save(tmp_path / "gaps.xlsx")
    table = read_table(tmp_path / "gaps.xlsx", students.COLUMNS)
    assert table.header_row == 3
    assert [(n, cell_text(v["code"])) for n, v in table.rows] == [
        (7, "3300000001"), (9, "3300000002")]


def test_a_wrong_used_range_in_the_file_does_not_hide_rows(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", ["Mã lớp", "Mã học sinh", "Họ tên"],
                      [["6A1", "1", "An"], ["6A1", "2", "Bình"], ["6A2", "3", "Chi"]])
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>', data)
            target.writestr(item, data)
    assert len(list(read_table(bad, students.COLUMNS).rows)) == 3


def test_the_preferred_header_wins_over_a_later_alias(tmp_path):
    path = write_xlsx(tmp_path / "hs.xlsx", ["Mã lớp", "Mã định danh", "Mã học sinh", "Họ tên"],
                      [["6A1", "ID-1", "3300000001", "An"]])
    assert next(read_table(path, students.COLUMNS).rows)[1]["code"] == "3300000001"
