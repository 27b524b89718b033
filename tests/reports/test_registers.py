"""The registers of the generated school year: columns as DOMAIN.md lists them, every line
where it belongs, formula-looking text kept as text, and every PDF readable (turned to PNG)."""
import subprocess
from datetime import date, datetime

import openpyxl
import pytest

from kiosk.export.registers import OutputExists, RegisterExporter, export_registers
from tests.reports import schoolyear as sy


@pytest.fixture(scope="module")
def exported(year, tmp_path_factory):
    out = tmp_path_factory.mktemp("registers")
    result = export_registers(year.context, date(2026, 9, 1), date(2026, 12, 20), out,
                              formats=("xlsx", "pdf"))
    return out, result


def _sheet(path, index=0):
    book = openpyxl.load_workbook(path)
    return book.worksheets[index]


def _table(sheet):
    """(header, rows) of a register sheet: the header is the row holding 'STT' or the first
    bold row after the title block."""
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] and i > 0 and sheet.cell(i + 1, 1).font.b
                 and r[1] is not None)
    body = []
    for r in rows[start + 1:]:
        if all(v in (None, "") for v in r) or (r[0] and isinstance(r[0], str)
                                               and r[1] is None and len(body) > 0):
            break
        body.append(r)
    return rows[start], body


def test_every_register_is_written_in_both_formats(exported):
    out, result = exported
    names = {p.relative_to(out).as_posix() for p in result.files}
    for base in ("so-muon-sach-hoc-sinh", "so-muon-sach-giao-vien", "so-dang-ky-tong-quat",
                 "so-theo-doi-tai-san-tbdh", "so-dang-ky-ca-biet/tk", "so-dang-ky-ca-biet/tn",
                 "so-theo-doi-su-dung-tbdh/to-khoa-hoc-tu-nhien",
                 "so-theo-doi-su-dung-tbdh/to-toan-tin",
                 "so-muon-tra-thiet-bi/gv1001-nguyen-thi-lan"):
        assert {f"{base}.xlsx", f"{base}.pdf"} <= names, base
    assert result.book_lines == 31 + 2 + 1  # students Sep-Nov, teachers, the December loan
    assert not any("gv1004" in n for n in names)  # borrowed nothing


def test_usage_register_columns_and_lines(exported):
    out, _ = exported
    header, rows = _table(_sheet(out / "so-theo-doi-su-dung-tbdh/to-khoa-hoc-tu-nhien.xlsx"))
    assert header == ["STT", "Ngày dạy", "Buổi:tiết", "Lớp", "Môn", "Tiết PPCT", "Tên bài dạy",
                      "Tên thiết bị", "Số lượng", "Giáo viên", "Ngày mượn", "Ngày trả",
                      "Đã trả (SL – tình trạng)", "Mục đích sử dụng", "Ký nhận"]
    teachers = {r[9] for r in rows}
    # Lê Thu Hà's September-October lessons stay in the KHTN group after her move.
    assert teachers == {"Nguyễn Thị Lan", "Lê Thu Hà"}
    assert sum(1 for r in rows if r[9] == "Lê Thu Hà") == 4
    first = rows[:3]
    assert [r[2] for r in first] == ["S:2"] * 3 and [r[5] for r in first] == ["1"] * 3
    assert {r[7] for r in first} == {"Kính hiển vi quang học"}
    assert {r[13] for r in rows} == {"Dạy trên lớp"}
    assert any(r[2] == "C:4" and r[3] == "6A2" for r in rows)
    partial = [r for r in rows if r[7] == "Ống nghiệm"]
    assert [(r[8], r[12]) for r in partial] == [(10, "8/10 – tốt 8, còn 2")]
    assert any(r[7] == "Thiết bị tự làm: Mô hình tế bào" for r in rows)
    assert isinstance(rows[0][1], datetime) and rows[0][1].date() == date(2026, 9, 2)
    # 14 of Lan's counted lessons, with 2 extra lines for the three-microscope one; her
    # voided lesson is not there; Hà's 4.
    assert len(rows) == 14 + 2 + 4


def test_long_term_loan_goes_to_the_teachers_group(exported):
    out, _ = exported
    _, rows = _table(_sheet(out / "so-theo-doi-su-dung-tbdh/to-toan-tin.xlsx"))
    long_term = [r for r in rows if r[7] == "Máy chiếu"]
    assert [(r[9], r[13], r[2]) for r in long_term] == [("Trần Văn Minh", "Mượn dài hạn", None)]
    assert sum(1 for r in rows if r[9] == "Lê Thu Hà") == 3


def test_teacher_register_columns(exported):
    out, _ = exported
    sheet = _sheet(out / "so-muon-tra-thiet-bi/gv1001-nguyen-thi-lan.xlsx")
    header, rows = _table(sheet)
    assert header == ["STT", "Ngày mượn", "Ngày trả", "Tên thiết bị", "Đơn vị tính",
                      "Số lượng", "Đã trả (SL – tình trạng)", "Tiết PPCT", "Tên bài dạy", "Lớp",
                      "Buổi:tiết", "Mục đích sử dụng", "Ghi chú", "Ký nhận"]
    assert len(rows) == 13 + 2  # loans only (the self-made lesson lends nothing)


def test_book_register_and_formula_text(exported):
    out, _ = exported
    sheet = _sheet(out / "so-muon-sach-hoc-sinh.xlsx")
    header, rows = _table(sheet)
    assert header == ["STT", "Ngày mượn", "Họ và tên", "Mã bạn đọc", "Lớp", "Số ĐKCB",
                      "Tên sách", "Tác giả", "Hạn trả", "Ngày trả", "Ghi chú", "Ký nhận"]
    assert len(rows) == 32
    cells = [c for row in sheet.iter_rows() for c in row if c.value == sy.FORMULA_NAME]
    assert len(cells) == 2  # the student's name and the book's title
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_accession_register(exported):
    out, _ = exported
    header, rows = _table(_sheet(out / "so-dang-ky-ca-biet/tk.xlsx"))
    assert header[:8] == ["Ngày vào sổ", "Số ĐKCB", "Tên sách và tác giả",
                          "Nơi xuất bản – Nhà xuất bản", "Năm xuất bản", "Giá tiền",
                          "Số vào sổ tổng quát", "Môn loại"]
    assert header[8:13] == [f"Kiểm kê {y}-{(y + 1) % 100}" for y in range(2022, 2027)]
    assert header[13] == "Ghi chú"
    assert len(rows) == 60 and rows[0][1] == "TK.00001"
    assert rows[0][2] == "Dế Mèn phiêu lưu ký / Tô Hoài"
    assert (rows[0][3], rows[0][4], rows[0][5], rows[0][7]) == ("NXB Kim Đồng", 2020, 45000,
                                                                 "8(V)")
    # Batches are numbered by day and store: TK 20/08, then NV, TK and TN on 15/09.
    assert rows[0][6] == "1/2026-2027" and rows[40][6] == "3/2026-2027"


def test_general_register_parts(exported):
    out, _ = exported
    book = openpyxl.load_workbook(out / "so-dang-ky-tong-quat.xlsx")
    assert [ws.title for ws in book.worksheets] == ["I. Nhập kho", "II. Xuất kho",
                                                    "III. Kiểm kê"]
    _, intake = _table(book.worksheets[0])
    assert [(r[1], r[2], r[3], r[5]) for r in intake] == [
        ("1/2026-2027", "TK – Sách tham khảo", 30, 30 * 45000),
        ("2/2026-2027", "NV – Sách nghiệp vụ", 4, 4 * 50000),
        ("3/2026-2027", "TK – Sách tham khảo", 30, 30 * 120000),
        ("4/2026-2027", "TN – Sách thiếu nhi", 1, 0)]
    _, check = _table(book.worksheets[2])
    tk = next(r for r in check if r[0].startswith("TK"))
    assert tk[1] == 60 and tk[3] == 0


def test_asset_ledger(exported):
    out, _ = exported
    header, rows = _table(_sheet(out / "so-theo-doi-tai-san-tbdh.xlsx"))
    assert header == ["STT", "Tên thiết bị", "Mã thiết bị", "Năm sử dụng", "Nước sản xuất",
                      "Đơn vị tính", "Đơn giá (đồng)", "Đầu năm: tổng", "Đầu năm: hỏng", "Tăng",
                      "Giảm", "Cuối năm: tổng", "Cuối năm: hỏng"]
    by_code = {r[2]: r for r in rows}
    scope = by_code["KHTN6.KHV"]
    assert (scope[3], scope[4], scope[6], scope[7], scope[9], scope[10], scope[11]) == (
        2021, "Việt Nam", 3500000, 5, 0, 0, 5)
    assert (by_code["DC.MC"][7], by_code["DC.MC"][9], by_code["DC.MC"][11]) == (0, 1, 1)
    assert (by_code["KHTN6.OCN"][7], by_code["KHTN6.OCN"][11]) == (50, 50)


def test_every_pdf_turns_into_pages_with_vietnamese_text(exported, tmp_path):
    out, result = exported
    pdfs = [p for p in result.files if p.suffix == ".pdf"]
    assert len(pdfs) == len(result.files) // 2
    for pdf in pdfs:
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf),
                        str(tmp_path / pdf.stem)], check=True)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Hiệu trưởng" in text, pdf
    usage = subprocess.run(["pdftotext", "-layout", str(
        out / "so-theo-doi-su-dung-tbdh/to-khoa-hoc-tu-nhien.pdf"), "-"],
        capture_output=True, text=True).stdout
    assert "Kính hiển vi quang học" in usage and "8/10 – tốt 8," in usage  # then "còn 2"
    assert len(list(tmp_path.glob("*.png"))) == len(pdfs)


def test_an_existing_folder_is_not_overwritten_without_force(year, exported):
    out, _ = exported
    with pytest.raises(OutputExists) as refused:
        export_registers(year.context, date(2026, 9, 1), date(2026, 9, 30), out)
    assert refused.value.count > 10
    again = export_registers(year.context, date(2026, 9, 1), date(2026, 9, 30),
                             out / "so-dang-ky-ca-biet", force=True)
    assert again.files


def test_the_book_registers_written_by_a_second_process_read_the_same(year, exported,
                                                                       tmp_path):
    out, result = exported
    helper = RegisterExporter(year.context, date(2026, 9, 1), date(2026, 9, 2),
                              tmp_path / "probe")._start_book_process()
    assert helper is not None  # the fixture's export did use a second process
    paths, _ = helper.result()
    helper.stop()
    assert [p.name for p in paths] == ["so-muon-sach-hoc-sinh.xlsx", "so-muon-sach-giao-vien.xlsx"]
    here = tmp_path / "alone"
    alone = export_registers(year.context, date(2026, 9, 1), date(2026, 12, 20), here,
                             formats=("xlsx",), parallel=False)
    assert [p.relative_to(here) for p in alone.files] == [
        p.relative_to(out) for p in result.files if p.suffix == ".xlsx"]
    assert alone.book_lines == result.book_lines
    for path in alone.files:
        mine = [list(r) for s in openpyxl.load_workbook(path).worksheets
                for r in s.iter_rows(values_only=True)]
        theirs = [list(r) for s in openpyxl.load_workbook(out / path.relative_to(here))
                  .worksheets for r in s.iter_rows(values_only=True)]
        assert mine == theirs, path.name
