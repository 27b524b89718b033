"""Students from the national database's export."""
from datetime import date, datetime

from db.models import Patron
from kiosk.imports.runner import run_import
from tests.imports.conftest import table_counts
from tests.factories import reconfigure
from tests.imports.sheets import nfd, write_csv, write_xlsx

HEADER = ["STT", "Mã lớp", "Mã học sinh", "Họ tên", "Ngày sinh", "Giới tính", "Trạng thái HS",
          "Dân tộc"]
ABOVE = [["SỞ GD&ĐT HƯNG YÊN"], ["DANH SÁCH HỌC SINH NĂM HỌC 2026-2027"], []]


def national_file(path, rows):
    return write_xlsx(path, [nfd(h) for h in HEADER], rows, above=ABOVE)


GOOD = [
    [1, "6A1", "3300000001", nfd("Nguyễn Văn Ánh"), "01/02/2015", "Nam", nfd("Đang học"), "Kinh"],
    [2, "12.6", "3300000002", "Trần Thị Bích", datetime(2009, 3, 4), "Nữ", "Đang học", "Kinh"],
    [3, "1A", "3300000003", "Lê Hoàng", "7/8/2020", "Nam", "Chuyển trường", "Tày"],
]


def test_students_import_with_nfd_headers_and_names(fresh, tmp_path):
    report = run_import(fresh, "students", national_file(tmp_path / "hs.xlsx", GOOD))
    assert (report.created, report.updated, report.errors) == (3, 0, [])
    first = Patron.get(Patron.code == "3300000001")
    assert first.name == "Nguyễn Văn Ánh" and first.name != nfd("Nguyễn Văn Ánh")
    assert first.search_key == "nguyen van anh"
    assert (first.kind, first.class_name, first.grade, first.birth_date, first.gender,
            first.active) == ("student", "6A1", 6, date(2015, 2, 1), "Nam", True)
    second = Patron.get(Patron.code == "3300000002")
    assert (second.grade, second.birth_date, second.gender) == (12, date(2009, 3, 4), "Nữ")
    third = Patron.get(Patron.code == "3300000003")
    assert (third.grade, third.active, third.birth_date) == (1, False, date(2020, 8, 7))


def test_reimport_updates_rather_than_duplicates(fresh, tmp_path):
    run_import(fresh, "students", national_file(tmp_path / "a.xlsx", GOOD))
    changed = [row[:] for row in GOOD]
    changed[0][1] = "7A1"                 # moved up a class
    changed[2][6] = "Đang học"            # came back
    changed.append([4, "6A2", "3300000004", "Phạm Minh", "02/02/2015", "Nam", "Đang học", ""])
    report = run_import(fresh, "students", national_file(tmp_path / "b.xlsx", changed))
    assert (report.created, report.updated, report.unchanged) == (1, 2, 1)
    assert Patron.select().where(Patron.kind == "student").count() == 4
    moved = Patron.get(Patron.code == "3300000001")
    assert (moved.class_name, moved.grade) == ("7A1", 7)
    assert Patron.get(Patron.code == "3300000003").active is True


def test_bad_rows_reported_with_row_numbers_while_good_rows_import(fresh, tmp_path):
    rows = GOOD + [
        [4, "6A1", "", "Không Mã", "01/01/2015", "Nam", "Đang học", ""],            # row 8
        [5, "6A1", "3300000005", "", "01/01/2015", "Nam", "Đang học", ""],          # row 9
        [6, "6A1", "3300000006", "Sai Ngày", "31/02/2015", "Nam", "Đang học", ""],  # row 10
        [7, "6A1", "3300000007", "Sai Giới", "01/01/2015", "Khác?", "Đang học", ""],  # row 11
        [8, "6A1", "3300000001", "Trùng Mã", "01/01/2015", "Nam", "Đang học", ""],  # row 12
        [9, "", "3300000009", "Không Lớp", "01/01/2015", "Nữ", "Đang học", ""],     # row 13
        [10, "6A1", "33000 00010", "Mã Cách", "01/01/2015", "Nữ", "Đang học", ""],  # row 14
    ]
    report = run_import(fresh, "students", national_file(tmp_path / "hs.xlsx", rows))
    assert report.created == 3
    assert [(e.row_number, e.reason_key) for e in report.errors] == [
        (8, "missing_code"), (9, "missing_name"), (10, "bad_date"), (11, "bad_gender"),
        (12, "duplicate_in_file"), (13, "missing_class"), (14, "bad_code")]
    assert report.errors[2].detail == "31/02/2015"
    assert Patron.select().count() == 3


def test_student_code_held_by_a_teacher_is_a_bad_row(context, tmp_path):
    reconfigure(context, "codes", student=r"\d{8,12}|GV\d{4}")  # a school whose codes overlap
    rows = [[1, "6A1", "GV0012", "Học Sinh Lạ", "01/01/2015", "Nam", "Đang học", ""]]
    before = Patron.get(Patron.code == "GV0012")
    report = run_import(context, "students", national_file(tmp_path / "hs.xlsx", rows))
    assert [(e.row_number, e.reason_key) for e in report.errors] == [(5, "code_taken")]
    after = Patron.get(Patron.code == "GV0012")
    assert (after.kind, after.name) == (before.kind, before.name) == ("teacher", "Phạm Thu Hà")


def test_students_csv_in_cp1258(fresh, tmp_path):
    path = write_csv(tmp_path / "hs.csv", HEADER[1:6],
                     [["9A1", "3300000011", "Đỗ Thị Hường", "09/09/2012", "Nữ"]],
                     encoding="cp1258", delimiter=";")
    report = run_import(fresh, "students", path)
    assert report.created == 1 and not report.errors
    assert Patron.get(Patron.code == "3300000011").name == "Đỗ Thị Hường"


def test_students_import_sends_the_roster_and_writes_one_journal_entry(fresh, tmp_path):
    import json

    from db.models import Outbox
    before = table_counts()
    run_import(fresh, "students", national_file(tmp_path / "hs.xlsx", GOOD))
    after = table_counts()
    assert after["Outbox"] == before["Outbox"] + 1  # roster.updated: the classes and sĩ số
    record = Outbox.select().order_by(Outbox.id.desc()).get()
    data = json.loads(record.data)
    assert record.type == "roster.updated" and "teachers" not in data
    assert {c["class"]: c["students"] for c in data["classes"]} == {
        name: Patron.select().where(Patron.class_name == name, Patron.active == True,  # noqa
                                    Patron.kind == "student").count()
        for name in {c["class"] for c in data["classes"]}}
    assert after["Journal"] == before["Journal"] + 1
    run_import(fresh, "students", national_file(tmp_path / "hs.xlsx", GOOD))
    assert table_counts()["Outbox"] == after["Outbox"]  # nothing changed: nothing sent


def test_class_name_is_preferred_over_class_id_and_gives_the_grade(fresh, tmp_path):
    header = ["STT", "Mã lớp", "Tên lớp", "Mã học sinh", "Họ tên"]
    rows = [[1, "L1A", "1A", "3300000011", "Vũ Minh Khôi"],
            [2, "L9B3", "9B3", "3300000012", "Đỗ Thu Trang"]]
    report = run_import(fresh, "students", write_xlsx(tmp_path / "hs.xlsx", header, rows))
    assert report.created == 2 and report.errors == []
    first, second = (Patron.get(Patron.code == code) for code in ("3300000011", "3300000012"))
    assert (first.class_name, first.grade) == ("1A", 1)
    assert (second.class_name, second.grade) == ("9B3", 9)


def test_a_code_outside_the_student_pattern_is_refused(fresh, tmp_path):
    rows = GOOD + [[4, "6A1", "HS-0004", "Mã Lạ", "01/01/2015", "Nam", "Đang học", ""],  # row 8
                   [5, "6A1", "12345", "Mã Ngắn", "01/01/2015", "Nữ", "Đang học", ""]]   # row 9
    report = run_import(fresh, "students", national_file(tmp_path / "hs.xlsx", rows))
    assert report.created == 3
    assert [(e.row_number, e.reason_key, e.detail) for e in report.errors] == [
        (8, "code_pattern", "HS-0004"), (9, "code_pattern", "12345")]
    assert not Patron.select().where(Patron.code.in_(["HS-0004", "12345"])).exists()


def test_bidi_overrides_and_invisible_characters_are_stripped_from_names(fresh, tmp_path):
    spoofed = "Nguy\u202eễn\u202c Văn\u200b A\u2066n\u2069\ufeff"
    rows = [[1, "6A1", "3300000021", spoofed, "01/02/2015", "Nam", "Đang học", "Kinh"]]
    report = run_import(fresh, "students", national_file(tmp_path / "hs.xlsx", rows))
    assert report.created == 1
    student = Patron.get(Patron.code == "3300000021")
    assert student.name == "Nguyễn Văn An" and student.search_key == "nguyen van an"
