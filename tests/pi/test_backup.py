"""Backups: written while the kiosk writes, checked, rotated, copied off, restored; all 0600."""
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime, timedelta

from kiosk import PROJECT_ROOT
from kiosk.backup import Keep, to_keep
from tests.core.test_crash import _seed
from tests.pi.helpers import kiosk

CONFIG = ('[school]\ncode = "HY-1"\nname = "Trường THCS Thử"\nkiosk_id = "k1"\n'
          '[database]\npath = "kiosk.sqlite3"\nbackup_dir = "backups"\n'
          '[loans.student]\nmax_books = 1000\n')


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _count(path, sql) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


def _whole(path) -> None:
    """Every loan has its journal entry and its outbox record (one action, one transaction)."""
    loans = _count(path, "SELECT count(*) FROM loan")
    returned = _count(path, "SELECT count(*) FROM loan WHERE returned_at IS NOT NULL")
    assert loans == _count(path, "SELECT count(*) FROM outbox WHERE type = 'loan.borrowed'")
    assert loans == _count(path, "SELECT count(*) FROM journal WHERE action = 'borrow'")
    assert returned == _count(path, "SELECT count(*) FROM journal WHERE action = 'return'")
    assert loans - returned == _count(path, "SELECT count(*) FROM copy WHERE status = 'on_loan'")


def test_rotation_keeps_the_newest_of_each_day_week_and_month():
    start = datetime(2026, 1, 1, 22, 30)
    nightly = [start + timedelta(days=n) for n in range(400)]  # to 04/02/2027
    extra = datetime(2027, 2, 4, 7, 0)  # a backup before an update, the same day as a nightly
    kept = to_keep(nightly + [extra], Keep(daily=7, weekly=4, monthly=12))
    days = sorted({k.date() for k in kept})
    newest = nightly[-1]
    assert newest in kept and extra not in kept  # the newest of its day only
    assert [newest.date() - timedelta(days=n) for n in range(7)] == sorted(days)[-7:][::-1]
    # Weeks: the last 4 ISO weeks with a backup each keep their newest (Sundays, and this week).
    assert {k.isocalendar()[:2] for k in kept} >= {(2027, 5), (2027, 4), (2027, 3), (2027, 2)}
    months = {(k.year, k.month) for k in kept}
    assert len(months) == 12 and min(months) == (2026, 3)
    assert datetime(2026, 3, 31, 22, 30) in kept  # the newest of March 2026
    # 29/01-04/02 daily; weeks 5 and 4 end inside those days, so weekly adds 24/01 and 17/01;
    # months 02/2027 and 01/2027 likewise, so monthly adds the ends of 03/2026-12/2026.
    assert len(kept) == 7 + 2 + 10
    assert len(to_keep(nightly, Keep(daily=2, weekly=0, monthly=0))) == 2


def test_database_wal_and_backups_are_private_even_when_run_by_hand(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    assert kiosk("db", "init", config=config).returncode == 0  # umask 022, like a shell
    db = tmp_path / "kiosk.sqlite3"
    # A connection left open keeps the WAL and shared-memory files to look at.
    reader = sqlite3.connect(db)
    reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
    done = kiosk("db", "backup", config=config)
    assert done.returncode == 0, done.stderr
    backups = list((tmp_path / "backups").glob("kiosk-*.sqlite3"))
    assert len(backups) == 1 and str(backups[0]) in done.stdout
    for path in (db, tmp_path / "kiosk.sqlite3-wal", tmp_path / "kiosk.sqlite3-shm", backups[0]):
        assert path.exists() and _mode(path) == 0o600, (path, oct(_mode(path)))
    assert _mode(tmp_path / "backups") == 0o700
    assert not list((tmp_path / "backups").glob(".*partial"))
    reader.close()


def test_a_backup_taken_during_writes_restores_and_lends(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    db = tmp_path / "kiosk.sqlite3"
    _seed(db)
    (tmp_path / "usb").mkdir()  # the stick's mount point
    worker = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "tests/core/crash_worker.py"),
                               str(db)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    try:
        assert worker.stdout.readline() == b"running\n"
        taken = kiosk("db", "backup", "--copy-to", str(tmp_path / "usb"), config=config)
        assert taken.returncode == 0, taken.stderr
        after_backup = _count(db, "SELECT count(*) FROM loan")
        # The writer carries on after the backup: the live file moves past it.
        while _count(db, "SELECT count(*) FROM loan") < after_backup + 20:
            pass
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    (backup,) = (tmp_path / "backups").glob("kiosk-*.sqlite3")
    copy = tmp_path / "usb" / "school-kiosk" / "k1" / backup.name
    assert copy.read_bytes() == backup.read_bytes() and _mode(copy) == 0o600
    in_backup = _count(backup, "SELECT count(*) FROM loan")
    assert 50 < in_backup < _count(db, "SELECT count(*) FROM loan")
    _whole(backup)  # a consistent snapshot: no action cut in half

    restored = kiosk("db", "restore", str(backup), config=config)
    assert restored.returncode == 0, restored.stderr
    assert _count(db, "SELECT count(*) FROM loan") == in_backup
    assert _count(db, "PRAGMA user_version") == _count(backup, "PRAGMA user_version")
    live = sqlite3.connect(db)
    assert live.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    live.close()
    (aside,) = (tmp_path / "backups").glob("kiosk-before-restore-*.sqlite3")
    assert _count(aside, "SELECT count(*) FROM loan") > in_backup and _mode(aside) == 0o600
    assert kiosk("db", "check", config=config).returncode == 0

    free = sqlite3.connect(db).execute(
        "SELECT barcode FROM copy WHERE status = 'available' ORDER BY barcode").fetchone()[0]
    lent = kiosk("borrow", "0123456700", free, config=config)
    assert lent.returncode == 0, lent.stdout + lent.stderr
    assert _count(db, "SELECT count(*) FROM loan") == in_backup + 1
    _whole(db)


def test_restore_refuses_what_is_not_a_sound_kiosk_backup(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    assert kiosk("db", "init", config=config).returncode == 0
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database" * 100)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    before = (tmp_path / "kiosk.sqlite3").read_bytes()
    for path, words in ((garbage, "không nguyên vẹn"), (other, "không phải"),
                        (tmp_path / "missing.sqlite3", "Không có tệp")):
        refused = kiosk("db", "restore", str(path), config=config)
        assert refused.returncode == 2 and words in refused.stderr, refused.stderr
    assert (tmp_path / "kiosk.sqlite3").read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_a_copy_to_a_missing_stick_says_so(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    assert kiosk("db", "init", config=config).returncode == 0
    done = kiosk("--lang", "en", "db", "backup", "--copy-to", str(tmp_path / "nostick"),
                 config=config)
    assert done.returncode == 1 and "not plugged in" in done.stderr
    assert len(list((tmp_path / "backups").glob("kiosk-*.sqlite3"))) == 1
