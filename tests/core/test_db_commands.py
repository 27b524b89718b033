"""``kiosk db init|migrate|check|backup`` on both engines, and ``kiosk db copy-to URL`` moving a
school from its SQLite file to a PostgreSQL server: real processes, a real file, a real server."""
import hashlib
import subprocess
from datetime import date, datetime
from urllib.parse import urlsplit

import psycopg
import pytest

from db import open_database
from db.engine import engine_of
from kiosk.config import config_from_dict
from kiosk.context import open_context
from kiosk.services.circulation import Circulation
from tests.factories import kiosk_command, FrozenClock, DEFAULT_NOW, database_toml, seed_small_school

SCHOOL = '[school]\ncode = "HY-1"\nname = "Trường THCS Thử"\nkiosk_id = "k1"\n'


kiosk = kiosk_command


def _write_config(tmp_path, section: dict, name="kiosk.toml"):
    path = tmp_path / name
    path.write_text(SCHOOL + database_toml(section) +
                    f'backup_dir = "{tmp_path / "backups"}"\n', encoding="utf-8")
    return path


def _school_with_history(section: dict) -> None:
    """A small school with borrows, a return and a renewal: loans, journal, outbox, lessons."""
    context = open_context(config_from_dict({"school": {"code": "HY-1", "name": "Trường THCS Thử",
                                                        "kiosk_id": "k1"},
                                             "database": section}),
                           clock=FrozenClock(DEFAULT_NOW))
    with context.db.atomic():
        seed_small_school()
    service = Circulation(context)
    session = service.start_session("0123456789")
    assert service.borrow(session, "TK.00001").ok and service.borrow(session, "TK.00002").ok
    assert service.return_code("TK.00001").ok
    context.clock.advance(days=1)  # a renewal must move the due date later
    assert service.renew("TK.00002").ok
    context.close()


def _rows(db, table: str) -> list[tuple]:
    """Every row of a table, ordered, with dates and times as text (as SQLite holds them)."""
    def plain(value):
        if isinstance(value, datetime):
            return value.isoformat(sep=" ")
        if isinstance(value, date):
            return value.isoformat()
        return value
    rows = db.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
    return [tuple(plain(v) for v in row) for row in rows]


def test_init_migrate_check_backup(tmp_path, new_database, engine, request):
    target = new_database()
    section = {"path": str(target)} if engine == "sqlite" else {"url": target}
    config = _write_config(tmp_path, section)
    init = kiosk("db", "init", config=config)
    assert init.returncode == 0 and "Đã tạo cơ sở dữ liệu" in init.stdout, init.stderr
    assert "phiên bản mới nhất" in kiosk("db", "migrate", config=config).stdout
    assert "đã có" in kiosk("db", "init", config=config).stdout
    check = kiosk("db", "check", config=config)
    assert check.returncode == 0 and "nguyên vẹn" in check.stdout, check.stdout
    _school_with_history(section)

    backup = kiosk("db", "backup", config=config)
    assert backup.returncode == 0, backup.stderr
    files = list((tmp_path / "backups").iterdir())
    assert len(files) == 1 and files[0].name in backup.stdout
    assert files[0].suffix == (".sqlite3" if engine == "sqlite" else ".pgdump")
    if engine == "sqlite":
        restored = str(files[0])
    else:  # the archive reads back with pg_restore into an empty database
        restored = new_database("restored")
        result = subprocess.run(["pg_restore", "--no-owner", "--dbname", restored, str(files[0])],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    live, copy = open_database(str(target)), open_database(restored)
    for table in ("patron", "copy", "loan", "journal", "outbox", "schema_version"):
        assert _rows(copy, table) == _rows(live, table), table
    live.close()
    copy.close()
    again = kiosk("db", "backup", "--out", str(files[0]), config=config)
    assert again.returncode != 0 and "không ghi đè" in again.stderr


@pytest.mark.postgresql_only
def test_check_names_what_the_server_schema_lacks(tmp_path, database_section):
    config = _write_config(tmp_path, database_section)
    with psycopg.connect(database_section["url"], autocommit=True) as conn:
        conn.execute("ALTER TABLE outbox DROP COLUMN action_ref")
        conn.execute("DROP FUNCTION search_key(text)")
    check = kiosk("db", "check", "--lang", "en", config=config)
    assert check.returncode == 1
    assert "outbox.action_ref is missing" in check.stdout and "search_key" in check.stdout
    assert "problems" in check.stdout


def _fingerprint(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.mark.postgresql_only
def test_copy_to_moves_a_school_to_the_server(tmp_path, new_database):
    source = tmp_path / "school.sqlite3"
    _school_with_history({"path": str(source)})
    config = _write_config(tmp_path, {"path": str(source)})
    before = _fingerprint(source)
    url = new_database("target")

    moved = kiosk("db", "copy-to", url, config=config)
    assert moved.returncode == 0, moved.stderr
    assert "số dòng khớp từng bảng" in moved.stdout and f'url = "{url}"' in moved.stdout
    assert _fingerprint(source) == before  # the source left untouched

    sqlite, server = open_database(source), open_database(url)
    tables = [t for t in engine_of(sqlite).describe(sqlite)["tables"] if t != "schema_version"]
    for table in tables:  # every row with its id, references, journal and outbox as they were
        rows = _rows(sqlite, table)
        assert f"  {table}: {len(rows)} dòng → {len(rows)} dòng" in moved.stdout
        assert _rows(server, table) == rows, table
    assert len(_rows(sqlite, "journal")) == 4 and len(_rows(sqlite, "loan")) == 2
    renewed_ref = sqlite.execute_sql("SELECT txn_ref FROM loan WHERE id = 2").fetchone()[0]
    sqlite.close()
    server.close()

    # The school carries on on the server: the renewed book comes back, new ids follow on.
    context = open_context(config_from_dict({"school": {"code": "HY-1", "name": "Trường THCS Thử",
                                                        "kiosk_id": "k2"},
                                             "database": {"url": url}}))
    service = Circulation(context)
    back = service.return_code("TK.00002")
    assert back.ok and back.loan.loan_id == 2 and back.loan.txn_ref == renewed_ref
    lent = service.borrow(service.start_session("0123456790"), "TK.00003")
    assert lent.ok and lent.loan.loan_id == 3
    context.close()

    again = kiosk("db", "copy-to", url, config=config)
    assert again.returncode == 2 and "đã có dữ liệu" in again.stderr


@pytest.mark.postgresql_only
def test_copy_to_refuses_a_password_in_the_url_and_never_repeats_it(tmp_path, new_database):
    source = tmp_path / "school.sqlite3"
    _school_with_history({"path": str(source)})
    config = _write_config(tmp_path, {"path": str(source)})
    parts = urlsplit(new_database("target"))
    secret_url = parts._replace(netloc=f"kiosk:S3cret-pw@{parts.hostname}:{parts.port}").geturl()
    refused = kiosk("db", "copy-to", secret_url, config=config, lang="en")
    assert refused.returncode == 2 and "hold no password" in refused.stderr
    assert "S3cret-pw" not in refused.stdout + refused.stderr


@pytest.mark.postgresql_only
def test_copy_to_needs_a_current_source(tmp_path, new_database):
    source = tmp_path / "old.sqlite3"
    db = open_database(source)
    from db import migrate
    migrate(db, target=3)
    db.close()
    config = _write_config(tmp_path, {"path": str(source)})
    refused = kiosk("db", "copy-to", new_database("target"), config=config)
    assert refused.returncode == 2 and "kiosk db migrate" in refused.stderr


def test_restore_puts_a_backup_back_and_keeps_the_current_aside(tmp_path, new_database, engine):
    target = new_database()
    section = {"path": str(target)} if engine == "sqlite" else {"url": target}
    config = _write_config(tmp_path, section)
    _school_with_history(section)
    assert kiosk("db", "backup", config=config).returncode == 0
    (backup,) = (tmp_path / "backups").iterdir()
    assert oct(backup.stat().st_mode & 0o777) == "0o600"

    later = kiosk("borrow", "0123456790", "TK.00003", config=config)
    assert later.returncode == 0, later.stderr
    done = kiosk("db", "restore", str(backup), config=config)
    assert done.returncode == 0, done.stderr
    assert "Đã khôi phục" in done.stdout
    aside = [p for p in (tmp_path / "backups").iterdir() if "before-restore" in p.name]
    assert len(aside) == 1 and aside[0].name.endswith(backup.suffix)
    db = open_database(str(target))
    assert db.execute_sql("SELECT count(*) FROM loan").fetchone()[0] == 2  # the later one gone
    assert db.execute_sql("SELECT search_key('Đức')").fetchone()[0] == "duc"
    db.close()
    check = kiosk("db", "check", config=config)
    assert check.returncode == 0, check.stdout
    other = tmp_path / ("x.pgdump" if engine == "sqlite" else "x.sqlite3")
    other.write_bytes(backup.read_bytes())
    wrong = kiosk("db", "restore", str(other), config=config)
    assert wrong.returncode != 0 and "không phải cơ sở dữ liệu của ki-ốt" in wrong.stderr
