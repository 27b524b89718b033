"""Bad input gets a clear message and leaves the database exactly as it was."""
import hashlib
import os
import sqlite3
import subprocess

import pytest

from db.errors import DatabaseUnavailable
from kiosk.config import config_from_dict
from kiosk.context import open_context
from kiosk.services.circulation import BorrowSession, Circulation
from tests.factories import make_context, seed_small_school

TABLES = ("patron", "title", "copy", "equipment_type", "equipment_item", "loan", "journal",
          "outbox")


def fingerprint(db) -> str:
    """A hash of every row of every table that an action could touch."""
    digest = hashlib.sha256()
    for table in TABLES:
        for row in db.execute_sql(f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(row).encode())
    return digest.hexdigest()


GARBAGE = [
    "",
    "   ",
    "\x00\x01\x02",
    "TK.00001\x1b[2J",
    "x" * 10_000,
    "'; DROP TABLE loan; --",
    "TK.00001' OR '1'='1",
    "\ufffd\ufffd\ufffd",
    "9786042000018",  # ISBN with a wrong check digit
]


@pytest.mark.parametrize("code", GARBAGE)
def test_garbage_scans_are_refused_and_change_nothing(context, code):
    service = Circulation(context)
    session = service.start_session("0123456789")
    before = fingerprint(context.db)
    borrow = service.borrow(session, code)
    returned = service.return_code(code)
    renewed = service.renew(code)
    assert not borrow.ok and not returned.ok and not renewed.ok
    assert borrow.message and "{" not in borrow.message
    assert fingerprint(context.db) == before


@pytest.mark.parametrize("code", GARBAGE[2:])
def test_garbage_as_a_card_is_refused(context, code):
    outcome = Circulation(context).start_session(code)
    assert not isinstance(outcome, BorrowSession)
    assert outcome.code in ("invalid_code", "not_a_card")


def test_a_corrupt_database_file_is_named_not_crashed(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    path.write_bytes(os.urandom(8192))
    config = config_from_dict({"school": {"code": "X", "name": "Y"},
                               "database": {"path": str(path)}})
    with pytest.raises(DatabaseUnavailable) as caught:
        open_context(config)
    assert caught.value.reason == "corrupt"


def test_a_locked_database_refuses_with_db_locked_and_keeps_state(tmp_path):
    context = make_context(tmp_path, database={"path": str(tmp_path / "kiosk.sqlite3"),
                                               "busy_timeout_ms": 200})
    with context.db.atomic():
        seed_small_school()
    service = Circulation(context)
    session = service.start_session("0123456789")
    other = sqlite3.connect(tmp_path / "kiosk.sqlite3", timeout=0.1)
    other.execute("BEGIN EXCLUSIVE")
    try:
        outcome = service.borrow(session, "TK.00001")
    finally:
        other.rollback()
        other.close()
    assert outcome.code == "db_locked"
    assert "bận" in outcome.message
    assert context.db.execute_sql("SELECT count(*) FROM loan").fetchone()[0] == 0
    assert service.borrow(session, "TK.00001").ok  # and works once the lock is gone
    context.close()


def _mount_tmpfs(target, options) -> bool:
    target.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                            capture_output=True)
    return result.returncode == 0


def test_a_full_disk_refuses_with_disk_full_and_keeps_state(tmp_path):
    mount = tmp_path / "small"
    if not _mount_tmpfs(mount, "size=600k"):
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        context = make_context(mount)
        with context.db.atomic():
            seed_small_school()
        service = Circulation(context)
        session = service.start_session("0123456789")
        filler = mount / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)  # take every free byte
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        before = fingerprint(context.db)
        outcomes = [service.borrow(session, f"TK.0000{n}") for n in range(1, 4)]
        refused = [o for o in outcomes if not o.ok]
        assert refused and refused[0].code == "db_disk_full", outcomes
        filler.unlink()
        # Whatever did not commit left no trace; what did commit is whole.
        loans = context.db.execute_sql("SELECT count(*) FROM loan").fetchone()[0]
        records = context.db.execute_sql("SELECT count(*) FROM outbox").fetchone()[0]
        assert loans == records == len(outcomes) - len(refused)
        if loans == 0:
            assert fingerprint(context.db) == before
        context.close()
    finally:
        subprocess.run(["umount", "-l", str(mount)])


def test_a_read_only_disk_refuses_with_read_only_and_keeps_state(tmp_path):
    mount = tmp_path / "card"
    if not _mount_tmpfs(mount, "size=8m"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        context = make_context(mount)
        with context.db.atomic():
            seed_small_school()
        context.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        context.close()
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        try:
            context = make_context(mount)
        except DatabaseUnavailable as exc:  # SQLite may refuse to open WAL files read-only
            assert exc.reason in ("read_only", "unreadable")
            return
        service = Circulation(context)
        session = service.start_session("0123456789")
        outcome = service.borrow(session, "TK.00001")
        assert outcome.code in ("db_read_only", "db_unreadable")
        assert context.db.execute_sql("SELECT count(*) FROM loan").fetchone()[0] == 0
        context.close()
    finally:
        subprocess.run(["umount", "-l", str(mount)])


def test_unknown_config_key_names_key_and_file(tmp_path):
    from kiosk.config import ConfigError, load_config
    path = tmp_path / "kiosk.toml"
    path.write_text('[school]\ncode = "X"\nname = "Y"\n[loans.student]\nmax_book = 3\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(path) in message and "loans.student.max_book" in message and "\n" not in message
