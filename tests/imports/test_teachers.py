"""Teachers and staff from the school's staff list; PINs never come from a file."""
from db.models import Patron
from kiosk.imports.runner import run_import
from kiosk.services.staff import verify_pin
from tests.imports.sheets import nfd, write_xlsx

HEADER = ["STT", "Mã cán bộ", "Họ tên", "Tổ chuyên môn", "Môn dạy", "Chức vụ", "Loại"]
ROWS = [
    [1, "GV0101", "Nguyễn Thị Lan", "Toán - Tin", "Toán, Tin học", "Tổ trưởng", "Giáo viên"],
    [2, "GV0102", nfd("Vũ Đức Thắng"), "Khoa học tự nhiên", "KHTN; Công nghệ", "", "Giáo viên"],
    [3, "CB0101", "Đào Thu Hằng", "Văn phòng", "", "Thủ thư", "Nhân viên"],
    [4, "CB0102", "Lương Văn Hải", "Văn phòng", "", "Nhân viên thiết bị", "Nhân viên"],
]


def test_teachers_and_staff_import(fresh, tmp_path):
    path = write_xlsx(tmp_path / "gv.xlsx", [nfd(h) for h in HEADER], ROWS,
                      above=[["DANH SÁCH CÁN BỘ, GIÁO VIÊN"]])
    report = run_import(fresh, "teachers", path)
    assert (report.created, report.errors) == (4, [])
    lan = Patron.get(Patron.code == "GV0101")
    assert (lan.kind, lan.subject_group, lan.subject_list, lan.role) == (
        "teacher", "Toán - Tin", ["Toán", "Tin học"], "Tổ trưởng")
    thang = Patron.get(Patron.code == "GV0102")
    assert thang.name == "Vũ Đức Thắng" and thang.subjects == "KHTN;Công nghệ"
    librarian = Patron.get(Patron.code == "CB0101")
    assert (librarian.kind, librarian.role, librarian.pin_hash) == ("staff", "librarian", "")
    assert Patron.get(Patron.code == "CB0102").role == "equipment"


def test_reimport_keeps_existing_staff_pin(context, tmp_path):
    rows = [[1, "CB0001", "Đỗ Minh Thư", "Thư viện", "", "Thủ thư", "Nhân viên"],
            [2, "GV0012", "Phạm Thu Hà", "Khoa học tự nhiên", "KHTN, Vật lý, Hóa học", "",
             "Giáo viên"]]
    path = write_xlsx(tmp_path / "gv.xlsx", HEADER, rows)
    report = run_import(context, "teachers", path)
    assert report.updated == 2 and not report.errors
    staff = Patron.get(Patron.code == "CB0001")
    assert staff.subject_group == "Thư viện"
    assert verify_pin("2468", staff.pin_hash)  # the PIN set at the kiosk survives
    assert Patron.get(Patron.code == "GV0012").subject_list == ["KHTN", "Vật lý", "Hóa học"]


def test_a_pin_column_is_never_read(fresh, tmp_path):
    path = write_xlsx(tmp_path / "gv.xlsx", HEADER + ["PIN", "Mật khẩu"],
                      [ROWS[2] + ["1234", "1234"]])
    run_import(fresh, "teachers", path)
    assert Patron.get(Patron.code == "CB0101").pin_hash == ""


def test_teacher_file_cannot_take_over_a_student(context, tmp_path):
    path = write_xlsx(tmp_path / "gv.xlsx", HEADER,
                      [[1, "0123456789", "Ai Đó", "", "", "", "Giáo viên"],
                       [2, "GV0200", "Người Lạ", "", "", "", "Bảo vệ?"]])
    report = run_import(context, "teachers", path)
    assert [(e.row_number, e.reason_key) for e in report.errors] == [
        (2, "code_taken"), (3, "bad_kind")]
    assert Patron.get(Patron.code == "0123456789").kind == "student"


def test_without_a_kind_column_staff_stay_staff(context, tmp_path):
    path = write_xlsx(tmp_path / "gv.xlsx", ["Mã cán bộ", "Họ tên", "Tổ chuyên môn"],
                      [["CB0001", "Đỗ Minh Thư", "Văn phòng"], ["GV0300", "Mới Đến", "Toán"]])
    report = run_import(context, "teachers", path)
    assert (report.created, report.updated, report.errors) == (1, 1, [])
    assert Patron.get(Patron.code == "CB0001").kind == "staff"
    assert Patron.get(Patron.code == "GV0300").kind == "teacher"
