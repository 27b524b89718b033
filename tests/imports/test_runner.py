"""One import is one transaction: dry runs and unreadable files change nothing."""
import zipfile

import pytest

from db.models import Journal
from kiosk.imports.errors import ImportFileError
from kiosk.imports.runner import run_import
from tests.imports.conftest import table_counts
from tests.imports.sheets import write_csv, write_xlsx
from tests.imports.test_books import ROWS as BOOK_ROWS, books_file
from tests.imports.test_equipment import ROWS as EQUIPMENT_ROWS, equipment_file
from tests.imports.test_students import GOOD as STUDENT_ROWS, national_file


@pytest.mark.parametrize("kind, make", [
    ("students", lambda p: national_file(p, STUDENT_ROWS)),
    ("books", lambda p: books_file(p, BOOK_ROWS)),
    ("equipment", lambda p: equipment_file(p, EQUIPMENT_ROWS)),
])
def test_dry_run_changes_nothing_and_reports_the_same(context, tmp_path, kind, make):
    path = make(tmp_path / "f.xlsx")
    before = table_counts()
    dry = run_import(context, kind, path, dry_run=True)
    assert table_counts() == before  # rows, outbox and journal alike
    assert dry.dry_run and dry.created > 0
    real = run_import(context, kind, path)
    assert (dry.created, dry.updated, dry.unchanged, dry.errors, dry.records) == (
        real.created, real.updated, real.unchanged, real.errors, real.records)
    assert table_counts() != before


def test_the_journal_summarises_the_import(fresh, tmp_path):
    run_import(fresh, "students", national_file(tmp_path / "hs.xlsx", STUDENT_ROWS), actor="cli")
    entry = Journal.select().order_by(Journal.id.desc()).first()
    assert (entry.action, entry.entity, entry.entity_key, entry.actor) == (
        "import.students", "import", "hs.xlsx", "cli")
    assert '"created": 3' in entry.after


def _random_bytes(path):
    path.write_bytes(bytes(range(256)) * 40)


def _zip_not_xlsx(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")


def _truncated_xlsx(path):
    write_xlsx(path, ["Mã lớp", "Mã học sinh", "Họ tên"], [["6A1", "3300000001", "An"]])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _empty(path):
    path.write_bytes(b"")


def _header_only(path):
    write_xlsx(path, ["Mã lớp", "Mã học sinh", "Họ tên"], [])


def _blank_sheet(path):
    write_xlsx(path, [], [])


def _missing_column(path):
    write_xlsx(path, ["Mã lớp", "Họ tên", "Ngày sinh"], [["6A1", "An", "01/01/2015"]])


def _old_xls(path):
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


@pytest.mark.parametrize("name, make, reason", [
    ("random.xlsx", _random_bytes, "not_excel"),
    ("archive.xlsx", _zip_not_xlsx, "not_excel"),
    ("truncated.xlsx", _truncated_xlsx, "not_excel"),
    ("empty.xlsx", _empty, "empty"),
    ("empty.csv", _empty, "empty"),
    ("blank.xlsx", _blank_sheet, "empty"),
    ("header.xlsx", _header_only, "no_rows"),
    ("columns.xlsx", _missing_column, "missing_columns"),
    ("old.xls", _old_xls, "old_excel"),
    ("notes.pdf", _random_bytes, "unsupported_type"),
])
def test_unusable_files_change_nothing(context, tmp_path, name, make, reason):
    path = tmp_path / name
    make(path)
    before = table_counts()
    with pytest.raises(ImportFileError) as caught:
        run_import(context, "students", path)
    assert caught.value.reason == reason
    assert table_counts() == before


def test_missing_file(context, tmp_path):
    with pytest.raises(ImportFileError) as caught:
        run_import(context, "teachers", tmp_path / "nowhere.xlsx")
    assert caught.value.reason == "not_found"


def test_binary_csv_is_refused(context, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"Ma lop,Ma hoc sinh,Ho ten\n\x00\x01,\x00,\x00\n")
    before = table_counts()
    with pytest.raises(ImportFileError) as caught:
        run_import(context, "students", path)
    assert caught.value.reason == "not_text"
    assert table_counts() == before


def test_a_failure_midway_rolls_everything_back(context, tmp_path, monkeypatch):
    """A crash after some rows were written leaves the database as it was."""
    from kiosk.imports import books

    calls = []
    real = books._upsert_copy

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(books, "_upsert_copy", failing)
    before = table_counts()
    with pytest.raises(RuntimeError):
        run_import(context, "books", books_file(tmp_path / "s.xlsx", BOOK_ROWS))
    assert table_counts() == before


def test_csv_utf8_sig_books(fresh, tmp_path):
    path = write_csv(tmp_path / "sach.csv", ["Nhan đề", "Tác giả", "Số ĐKCB"],
                     [["Dế Mèn phiêu lưu ký", "Tô Hoài", "TN.00001-TN.00002"]],
                     encoding="utf-8-sig")
    report = run_import(fresh, "books", path)
    assert (report.created, report.errors) == (2, [])


def test_a_locked_database_is_a_typed_error_and_changes_nothing(context, tmp_path, engine,
                                                                database_section):
    from db.errors import DatabaseUnavailable

    path = national_file(tmp_path / "hs.xlsx", STUDENT_ROWS)
    before = table_counts()
    if engine == "sqlite":
        import sqlite3
        other = sqlite3.connect(database_section["path"], timeout=0)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        context.db.execute_sql("PRAGMA busy_timeout = 50")
    else:
        import psycopg
        other = psycopg.connect(database_section["url"])  # another kiosk holds the table
        other.execute("LOCK TABLE patron IN EXCLUSIVE MODE")
        context.db.execute_sql("SET lock_timeout = 50")
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            run_import(context, "students", path)
    finally:
        other.rollback()
        other.close()
    assert caught.value.reason == "locked"
    assert table_counts() == before
