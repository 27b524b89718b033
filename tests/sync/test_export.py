"""Register export: real loans in a real database, real .xlsx files read back with openpyxl."""
import subprocess
import sys
from datetime import date

from openpyxl import load_workbook

from db.models import Loan, Patron
from kiosk.export.registers import export_registers, slug
from kiosk.i18n import Translator
from kiosk.services.circulation import Circulation
from kiosk.services.equipment import EquipmentLending, Lesson
from kiosk.services.staff import StaffService
from tests.factories import database_toml

DAY = date(2026, 11, 26)


def _rows(path):
    sheet = load_workbook(path).active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def _header_index(rows, first_header):
    return next(i for i, row in enumerate(rows) if row[0] == first_header)


def _make_loans(context):
    circ = Circulation(context)
    student = circ.start_session("0123456789")
    assert circ.borrow(student, "TK.00001").ok
    assert circ.borrow(student, "GK.00001").ok
    teacher_books = circ.start_session("GV0012")
    assert circ.borrow(teacher_books, "TK.00002").ok
    lending = EquipmentLending(context)
    teacher = Patron.get(Patron.code == "GV0012")
    basket = lending.start(teacher, Lesson(date=DAY, period=3, class_name="6A1", subject="KHTN",
                                           title="Quan sát tế bào", purpose="Thực hành"))
    assert lending.add_scan(basket, "TB.KHTN6.001").ok
    assert lending.set_quantity(basket, "KHTN6.OCN", 6).ok
    assert lending.confirm(basket).ok
    # A mistake, voided: not in any register.
    other = circ.start_session("0123456790")
    assert circ.borrow(other, "TK.00003").ok
    mistaken = Loan.get(Loan.copy == 3)
    assert StaffService(context).void(mistaken.id, "CB0001", "quét nhầm").ok
    context.clock.advance(days=2)
    assert circ.return_code("TK.00001").ok
    equipment = [l.id for l in Loan.select().where(Loan.kind == "equipment")]
    assert lending.return_lines([(equipment[0], "damaged", None), (equipment[1], "good", 6)],
                                teacher).ok
    # Outside the period: a loan three weeks later.
    context.clock.advance(days=21)
    later = circ.start_session("0123456790")
    assert circ.borrow(later, "TK.00004").ok


def _body(rows, header):
    """The numbered lines under a header (the signature lines below them left out)."""
    return [r for r in rows[header + 1:] if isinstance(r[0], (int, float))]


def test_registers_have_vietnamese_headers_and_ddmmyyyy_dates(context, tmp_path):
    _make_loans(context)
    out = tmp_path / "so-sach"
    result = export_registers(context, date(2026, 11, 1), date(2026, 11, 30), out,
                              Translator("vi"))
    names = sorted(str(p.relative_to(out)) for p in result.files)
    assert names == ["so-dang-ky-ca-biet/gk.xlsx", "so-dang-ky-ca-biet/tk.xlsx",
                     "so-dang-ky-tong-quat.xlsx", "so-muon-sach-giao-vien.xlsx",
                     "so-muon-sach-hoc-sinh.xlsx",
                     "so-muon-tra-thiet-bi/gv0012-pham-thu-ha.xlsx",
                     "so-theo-doi-su-dung-tbdh/khoa-hoc-tu-nhien.xlsx",
                     "so-theo-doi-tai-san-tbdh.xlsx"]
    assert (result.book_lines, result.equipment_lines) == (3, 2)

    sheet, rows = _rows(out / "so-muon-sach-hoc-sinh.xlsx")
    assert rows[0][0] == "SỔ MƯỢN SÁCH HỌC SINH"
    assert "Từ ngày 01/11/2026 đến ngày 30/11/2026" in [r[0] for r in rows]
    h = _header_index(rows, "STT")
    assert rows[h] == ["STT", "Ngày mượn", "Họ và tên", "Mã bạn đọc", "Lớp", "Số ĐKCB",
                       "Tên sách", "Tác giả", "Hạn trả", "Ngày trả", "Ghi chú", "Ký nhận"]
    body = _body(rows, h)
    assert [r[5] for r in body] == ["TK.00001", "GK.00001"]  # the voided loan is left out
    first = body[0]
    assert first[1].date() == DAY and first[2] == "Nguyễn Văn An" and first[4] == "6A1"
    assert first[9].date() == date(2026, 11, 28)
    assert sheet.cell(row=h + 2, column=2).number_format.lower() == "dd/mm/yyyy"
    assert sheet.cell(row=h + 2, column=9).number_format.lower() == "dd/mm/yyyy"

    _, rows = _rows(out / "so-muon-sach-giao-vien.xlsx")
    h = _header_index(rows, "STT")
    assert rows[h][4] == "Tổ / bộ phận"
    assert [(r[2], r[4], r[5]) for r in _body(rows, h)] == [
        ("Phạm Thu Hà", "Khoa học tự nhiên", "TK.00002")]

    _, rows = _rows(out / "so-muon-tra-thiet-bi" / "gv0012-pham-thu-ha.xlsx")
    assert rows[0][0] == "SỔ MƯỢN TRẢ THIẾT BỊ DẠY HỌC"
    assert "Giáo viên: Phạm Thu Hà (GV0012)" in [r[0] for r in rows]
    h = _header_index(rows, "STT")
    lines = _body(rows, h)
    assert [(r[3], r[5], r[10], r[9], r[6]) for r in lines] == [
        ("Kính hiển vi quang học", 1, "S:3", "6A1", "1 – Hỏng"),
        ("Ống nghiệm", 6, "S:3", "6A1", "6 – Tốt")]
    assert lines[0][1].date() == DAY and lines[0][8] == "Quan sát tế bào"

    _, rows = _rows(out / "so-theo-doi-su-dung-tbdh" / "khoa-hoc-tu-nhien.xlsx")
    assert rows[0][0] == "SỔ THEO DÕI SỬ DỤNG THIẾT BỊ DẠY HỌC"
    assert "Tổ chuyên môn: Khoa học tự nhiên" in [r[0] for r in rows]
    h = _header_index(rows, "STT")
    assert rows[h][:7] == ["STT", "Ngày dạy", "Buổi:tiết", "Lớp", "Môn", "Tiết PPCT",
                           "Tên bài dạy"]
    assert [r[9] for r in _body(rows, h)] == ["Phạm Thu Hà", "Phạm Thu Hà"]


def test_empty_period_still_writes_the_book_registers(context, tmp_path):
    result = export_registers(context, date(2026, 1, 1), date(2026, 1, 31), tmp_path / "o")
    assert [p.name for p in result.files] == [
        "so-muon-sach-hoc-sinh.xlsx", "so-muon-sach-giao-vien.xlsx", "gk.xlsx", "tk.xlsx",
        "so-dang-ky-tong-quat.xlsx", "so-theo-doi-tai-san-tbdh.xlsx"]


def test_slug():
    assert slug("Khoa học tự nhiên") == "khoa-hoc-tu-nhien"
    assert slug("Tổ Toán - Tin") == "to-toan-tin"
    assert slug("") == "x"


def test_cli_writes_registers_and_refuses_bad_dates(context, tmp_path):
    _make_loans(context)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[school]\ncode = "HY-THCS-01"\nname = "Trường THCS Thử Nghiệm"\n'
                      f'kiosk_id = "kiosk-1"\n' + database_toml(context),
                      encoding="utf-8")
    base = [sys.executable, "-m", "kiosk", "export", "registers", "--config", str(config)]
    ok = subprocess.run(base + ["--from", "01/11/2026", "--to", "30/11/2026", "--out",
                                str(tmp_path / "out")], capture_output=True, text=True,
                        timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "Đã ghi 8 tệp" in ok.stdout
    assert (tmp_path / "out" / "so-muon-sach-hoc-sinh.xlsx").exists()
    bad = subprocess.run(base + ["--from", "31/02/2026", "--to", "30/11/2026", "--out",
                                 str(tmp_path / "x")], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "31/02/2026" in bad.stderr
