"""The report, import and export commands as a school runs them, on the generated year."""
import csv
import io
import os
import subprocess
import sys

import openpyxl
import pytest

from kiosk import PROJECT_ROOT
from tests.reports import schoolyear as sy


def kiosk(*args, config, lang=None, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("KIOSK_CONFIG", None)
    argv = [sys.executable, "-m", "kiosk", *args, "--config", str(config)]
    if lang:
        argv += ["--lang", lang]
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd or PROJECT_ROOT,
                          timeout=120)


HK1 = ("--term", "HK1", "--from", "01/09/2026", "--to", "20/12/2026")


def test_usage_as_a_table(kiosk_toml):
    done = kiosk("report", "usage", *HK1, config=kiosk_toml)
    assert done.returncode == 0, done.stderr
    lan = next(line for line in done.stdout.splitlines() if "Nguyễn Thị Lan" in line)
    assert lan.split()[-7:] == ["20", "14", "70", "3", "4", "5", "2"]
    assert "Toàn trường" in done.stdout and "Cách tính" in done.stdout


def test_usage_xlsx_goes_to_the_export_folder_never_the_current_one(kiosk_toml, tmp_path):
    done = kiosk("report", "usage", *HK1, "--format", "xlsx", config=kiosk_toml, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = list((tmp_path / "exports").glob("*.xlsx"))
    assert [p.name for p in written] == ["danh-gia-su-dung-tbdh-2026-2027-HK1.xlsx"]
    assert not list(tmp_path.glob("*.xlsx"))
    rows = list(openpyxl.load_workbook(written[0]).worksheets[0].iter_rows(values_only=True))
    school = next(r for r in rows if r[1] == "Toàn trường")
    assert school[2:5] == (45, 29, 64.4)
    again = kiosk("report", "usage", *HK1, "--format", "xlsx", config=kiosk_toml)
    assert again.returncode == 2 and "--force" in again.stderr


def test_usage_pdf_of_one_group_with_force(kiosk_toml, tmp_path):
    target = tmp_path / "to-toan.pdf"
    args = ("report", "usage", *HK1, "--group", "Tổ Toán - Tin", "--format", "pdf",
            "--out", str(target))
    assert kiosk(*args, config=kiosk_toml).returncode == 0
    assert kiosk(*args, config=kiosk_toml).returncode == 2
    assert kiosk(*args, "--force", config=kiosk_toml).returncode == 0
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True,
                          text=True).stdout
    assert "Trần Văn Minh" in text and "Nguyễn Thị Lan" not in text
    assert "Tổ trưởng chuyên môn" in text and "Hưng Yên, ngày" in text


def test_district_statistics_xlsx(kiosk_toml, tmp_path):
    target = tmp_path / "thong-ke.xlsx"
    done = kiosk("report", "usage-stats", *HK1, "--out", str(target), config=kiosk_toml)
    assert done.returncode == 0, done.stderr
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    khtn = next(r for r in rows if r[1] == "KHTN")
    assert khtn[2:5] == (14, 4, 18)


def test_reading_xlsx_and_table(kiosk_toml, tmp_path):
    period = ("--from", "01/09/2026", "--to", "30/11/2026")
    table = kiosk("report", "reading", *period, config=kiosk_toml)
    assert table.returncode == 0 and "Dế Mèn phiêu lưu ký" in table.stdout
    target = tmp_path / "doc.xlsx"
    assert kiosk("report", "reading", *period, "--format", "xlsx", "--out", str(target),
                 config=kiosk_toml).returncode == 0
    rows = list(openpyxl.load_workbook(target).worksheets[0].iter_rows(values_only=True))
    six = next(r for r in rows if r[0] == "6A1")
    assert six[:6] == ("6A1", 30, 5, 7, 9, 21)


def test_declarations_table(kiosk_toml):
    done = kiosk("report", "declarations", "--from", "01/09/2026", "--to", "30/09/2026",
                 config=kiosk_toml)
    assert done.returncode == 0, done.stderr
    assert "thiếu giá tiền" in done.stdout
    line = next(x for x in done.stdout.splitlines() if x.startswith("Sách: NV"))
    assert line.split()[-4:] == ["4", "3", "0", "1"]


def test_day_report_neutralises_formulas_in_csv_and_xlsx(kiosk_toml, tmp_path):
    as_csv = kiosk("report", "day", "--date", "01/12/2026", "--format", "csv",
                   config=kiosk_toml)
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert ["'" + sy.FORMULA_NAME, "'" + sy.FORMULA_NAME] == [rows[1][3], rows[1][6]]
    target = tmp_path / "day.xlsx"
    assert kiosk("report", "day", "--date", "01/12/2026", "--format", "xlsx", "--out",
                 str(target), config=kiosk_toml).returncode == 0
    sheet = openpyxl.load_workbook(target).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == sy.FORMULA_NAME]
    assert len(cells) == 2 and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_help_is_translated(kiosk_toml):
    vi = kiosk("report", "usage", "--help", config=kiosk_toml)
    en = kiosk("report", "usage", "--help", config=kiosk_toml, lang="en")
    assert "học kỳ" in vi.stdout and "tổ chuyên môn" in vi.stdout
    assert "term" in en.stdout and "subject group" in en.stdout
    top = kiosk("report", "--help", config=kiosk_toml)
    assert all(word in top.stdout for word in ("usage", "reading", "declarations"))


def test_template_then_import_quotas_dry_run(kiosk_toml, tmp_path):
    template = tmp_path / "mau.xlsx"
    done = kiosk("export", "template", "quotas", "--year", "2026-2027", "--out", str(template),
                 config=kiosk_toml)
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(template)
    rows = list(book.active.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r[0] == "Năm học"))
    pairs = {(r[1], r[2], r[3]): r[6] for r in rows[header + 1:] if r[0]}
    assert pairs[("HK1", "KHTN", "6")] == 20 and pairs[("HK1", "Toán", "7")] == 5
    assert ("HK2", "Lịch sử và Địa lí", "7") in pairs
    dry = kiosk("import", "quotas", str(template), "--dry-run", config=kiosk_toml)
    assert dry.returncode == 0 and "CHẠY THỬ" in dry.stdout, dry.stderr
    after = kiosk("report", "usage", *HK1, config=kiosk_toml)
    assert "64,4" in after.stdout  # unchanged by the dry run


@pytest.mark.parametrize("content, message", [
    ("Số tiết;Học kỳ;Môn học;Khối\nabc;HK1;KHTN;6\n", "số tiết không hợp lệ"),
    ("Số tiết;Học kỳ;Môn học;Khối\n5;HK9;KHTN;6\n", "học kỳ không hợp lệ"),
    ("Số tiết;Mã giáo viên\n5;GV9999\n", "không có giáo viên"),
])
def test_bad_quota_rows_are_named(kiosk_toml, tmp_path, content, message):
    path = tmp_path / "q.csv"
    path.write_text(content, encoding="utf-8")
    done = kiosk("import", "quotas", str(path), "--dry-run", config=kiosk_toml)
    assert done.returncode == 1 and message in done.stdout
