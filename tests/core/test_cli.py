"""The ``kiosk`` command, run as a real process on a real database file."""
import csv
import io

import pytest
from openpyxl import load_workbook

from kiosk.config import config_from_dict
from kiosk.context import open_context
from tests.factories import kiosk_command, database_toml, seed_small_school


@pytest.fixture
def config_path(tmp_path, database_section):
    path = tmp_path / "kiosk.toml"
    path.write_text('[school]\ncode = "HY-1"\nname = "Trường THCS Thử"\nkiosk_id = "k1"\n'
                    + database_toml(database_section), encoding="utf-8")
    context = open_context(config_from_dict({"school": {"code": "HY-1", "name": "Trường THCS Thử"},
                                             "database": database_section}))
    with context.db.atomic():
        seed_small_school()
    context.close()
    return path


kiosk = kiosk_command


def test_help_lists_commands_in_vietnamese_and_english():
    vi = kiosk("--help")
    assert vi.returncode == 0 and "báo cáo" in vi.stdout and "borrow" in vi.stdout
    en = kiosk("--help", lang="en")
    assert "reports" in en.stdout


def test_borrow_then_return_with_exit_status(config_path):
    ok = kiosk("borrow", "0123456789", "TK.00001", "TK.00002", config=config_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count("OK ") == 2 and "Nguyễn Văn An" in ok.stdout
    refused = kiosk("borrow", "0123456790", "TK.00001", "TK.00003", config=config_path)
    assert refused.returncode == 1
    assert "-- TK.00001" in refused.stdout and "OK TK.00003" in refused.stdout
    back = kiosk("return", "TK.00001", "TK.00002", "TK.00002", config=config_path, lang="en")
    assert back.returncode == 1 and "is not on loan" in back.stdout


def test_find_ignores_diacritics_and_case(config_path):
    result = kiosk("find", "de", "MEN", config=config_path)
    assert result.returncode == 0
    assert "Dế Mèn phiêu lưu ký" in result.stdout and "TK.00001" in result.stdout
    assert "trên giá" in result.stdout
    patrons = kiosk("find", "tran thi", config=config_path)
    assert "Trần Thị Bình" in patrons.stdout and "6A2" in patrons.stdout
    assert kiosk("find", "zzzz", config=config_path).returncode == 1
    by_author = kiosk("find", "to HOAI", config=config_path)
    assert "Dế Mèn phiêu lưu ký" in by_author.stdout
    by_copy = kiosk("find", "tk.00003", config=config_path)
    assert by_copy.returncode == 0 and "Dế Mèn phiêu lưu ký" in by_copy.stdout


def test_report_day_in_three_formats(config_path, tmp_path):
    kiosk("borrow", "0123456789", "TK.00001", config=config_path)
    kiosk("return", "TK.00001", config=config_path)
    table = kiosk("report", "day", config=config_path)
    assert table.returncode == 0 and "Mượn" in table.stdout and "Trả" in table.stdout
    as_csv = kiosk("report", "day", "--format", "csv", config=config_path)
    rows = list(csv.reader(io.StringIO(as_csv.stdout.lstrip("\ufeff"))))
    assert rows[0][0] == "Giờ" and [row[1] for row in rows[1:]] == ["Mượn", "Trả"]
    target = tmp_path / "day.xlsx"
    kiosk("report", "day", "--format", "xlsx", "--out", str(target), config=config_path)
    sheet = load_workbook(target).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "Giờ")
    assert [r[1] for r in rows[header + 1:]] == ["Mượn", "Trả"]
    again = kiosk("report", "day", "--format", "xlsx", "--out", str(target), config=config_path)
    assert again.returncode == 2 and "--force" in again.stderr  # not overwritten
    forced = kiosk("report", "day", "--format", "xlsx", "--out", str(target), "--force",
                   config=config_path)
    assert forced.returncode == 0
    other_day = kiosk("report", "day", "--date", "01/09/2026", config=config_path)
    assert "01/09/2026: 0" in other_day.stdout
    bad = kiosk("report", "day", "--date", "31/02/2026", config=config_path)
    assert bad.returncode == 2 and "dd/mm/yyyy" in bad.stderr


def test_report_day_table_has_headers_quantities_conditions_and_void_reasons(config_path):
    from kiosk.config import load_config
    from kiosk.services.circulation import Circulation
    from kiosk.services.equipment import EquipmentLending, Lesson
    from kiosk.services.staff import StaffService
    from db.models import Patron

    context = open_context(load_config(config_path))
    books = Circulation(context)
    session = books.start_session("0123456789")
    assert books.borrow(session, "TK.00001").ok
    mistaken = books.borrow(session, "TK.00002")
    assert books.return_code("TK.00001", condition="damaged").ok
    assert StaffService(context).void(mistaken.loan.loan_id, "CB0001", "Quét nhầm thẻ").ok
    lending = EquipmentLending(context)
    basket = lending.start(Patron.get(Patron.code == "GV0012"), Lesson(
        date=context.clock.today(), period=2, class_name="6A1", subject="KHTN", title="Tế bào",
        purpose="Thực hành"))
    assert lending.set_quantity(basket, "KHTN6.OCN", 12).ok and lending.confirm(basket).ok
    context.close()

    lines = kiosk("report", "day", config=config_path).stdout.splitlines()
    assert lines[1].split() == ["Giờ", "Giao", "dịch", "Bạn", "đọc", "Lớp", "Mã", "Sách", "/",
                                "thiết", "bị", "SL", "Hạn", "trả", "Tình", "trạng", "khi", "trả",
                                "/", "lý", "do", "hủy"]
    returned = next(line for line in lines[3:] if " Trả " in line)
    assert returned.rstrip().endswith("hỏng") and "TK.00001" in returned
    voided = next(line for line in lines[3:] if " Hủy " in line)
    assert voided.rstrip().endswith("lý do: Quét nhầm thẻ")
    stock = next(line for line in lines[3:] if "KHTN6.OCN" in line)
    assert " 12  " in stock and "Ống nghiệm" in stock and "Phạm Thu Hà" in stock
    assert [line.split()[1] for line in lines[3:]] == ["Mượn", "Mượn", "Trả", "Hủy", "Mượn"]
    as_csv = kiosk("report", "day", "--format", "csv", "--lang", "en", config=config_path)
    table = list(csv.DictReader(io.StringIO(as_csv.stdout.lstrip("\ufeff"))))
    assert [r["Condition on return"] for r in table if r["Action"] == "Return"] == ["damaged"]
    assert [r["Void reason"] for r in table if r["Action"] == "Void"] == ["Quét nhầm thẻ"]
    assert [r["Quantity"] for r in table if r["Item code"] == "KHTN6.OCN"] == ["12"]


def test_db_commands(config_path, tmp_path):
    assert "phiên bản mới nhất" in kiosk("db", "migrate", config=config_path).stdout
    check = kiosk("db", "check", config=config_path)
    assert check.returncode == 0 and "nguyên vẹn" in check.stdout
    backup = tmp_path / "copy.sqlite3"
    assert kiosk("db", "backup", "--out", str(backup), config=config_path).returncode == 0
    assert backup.stat().st_size > 0


@pytest.mark.sqlite_only
def test_corrupt_database_is_one_clear_line(config_path, tmp_path):
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"kiosk.sqlite3{suffix}").unlink(missing_ok=True)
    (tmp_path / "kiosk.sqlite3").write_bytes(b"this is not a database" * 500)
    result = kiosk("borrow", "0123456789", "TK.00001", config=config_path)
    assert result.returncode == 2
    assert "hỏng" in result.stderr and "Traceback" not in result.stderr


def test_missing_config_is_one_clear_line(tmp_path):
    result = kiosk("report", "day", config=tmp_path / "nope.toml")
    assert result.returncode == 2 and "nope.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
