"""``kiosk import``: the report printed in Vietnamese (or English) and the exit status."""
import pytest

from db.models import Patron
from kiosk.cli import main
from tests.factories import database_toml
from tests.imports.conftest import table_counts
from tests.imports.sheets import write_xlsx
from tests.imports.test_students import GOOD, national_file


@pytest.fixture
def config_file(tmp_path, database_section):
    path = tmp_path / "kiosk.toml"
    path.write_text('[school]\ncode = "HY-THCS-01"\nname = "Trường THCS Thử"\n'
                    'kiosk_id = "kiosk-1"\n' + database_toml(database_section), encoding="utf-8")
    assert main(["db", "init", "--config", str(path)]) == 0  # a school starts with its database
    return path


def test_import_prints_a_vietnamese_report(config_file, tmp_path, capsys, database_section):
    path = national_file(tmp_path / "hs.xlsx", GOOD)
    status = main(["import", "students", str(path), "--config", str(config_file)])
    out = capsys.readouterr().out
    assert status == 0
    assert "Học sinh: 3 dòng; 3 mới, 0 cập nhật, 0 không đổi, 0 dòng lỗi." in out
    if "path" in database_section:
        assert (tmp_path / "kiosk.sqlite3").exists()
    assert Patron.select().count() == 3


def test_bad_rows_exit_1_and_are_listed_in_english(config_file, tmp_path, capsys):
    rows = GOOD + [[4, "6A1", "3300000009", "Sai", "32/01/2015", "Nam", "Đang học", ""]]
    path = national_file(tmp_path / "hs.xlsx", rows)
    status = main(["--lang", "en", "import", "students", str(path), "--config", str(config_file)])
    out = capsys.readouterr().out
    assert status == 1
    assert "Row 8: not a valid date (dd/mm/yyyy) (32/01/2015)" in out


def test_dry_run_prints_the_report_and_saves_nothing(config_file, tmp_path, capsys):
    path = national_file(tmp_path / "hs.xlsx", GOOD)
    status = main(["import", "students", str(path), "--dry-run", "--config", str(config_file)])
    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith("CHẠY THỬ: chưa có gì được lưu.")
    assert "3 mới" in out
    assert table_counts()["Patron"] == 0


def test_a_broken_file_is_one_line_and_exit_2(config_file, tmp_path, capsys):
    path = tmp_path / "hs.xlsx"
    path.write_bytes(b"this is not a workbook" * 10)
    status = main(["import", "students", str(path), "--config", str(config_file)])
    err = capsys.readouterr().err
    assert status == 2
    assert err == "Tệp hs.xlsx không phải tệp Excel (.xlsx) hợp lệ hoặc đã bị hỏng.\n"


def test_missing_column_message(config_file, tmp_path, capsys):
    path = write_xlsx(tmp_path / "gv.xlsx", ["Họ tên", "Tổ chuyên môn"], [["An", "Toán"]])
    status = main(["--lang", "en", "import", "teachers", str(path), "--config", str(config_file)])
    assert status == 2
    assert capsys.readouterr().err == "gv.xlsx lacks required columns: Mã giáo viên.\n"


def test_no_config_is_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    path = national_file(tmp_path / "hs.xlsx", GOOD)
    assert main(["import", "students", str(path)]) == 2
    assert "KIOSK_CONFIG" in capsys.readouterr().err
