"""SIGKILL in the middle of a stream of borrows and returns leaves every action whole (an SQLite
file, or a PostgreSQL server whose client vanished mid-transaction)."""
import os
import signal
import subprocess
import sys
import time
from datetime import datetime

import pytest

from kiosk import PROJECT_ROOT
from db import migrate, open_database
from db.connection import integrity_ok
from db.models import Copy, Patron, Title


def _seed(target):
    db = open_database(target)
    migrate(db)
    now = datetime(2026, 11, 26)
    with db.atomic():
        title = Title.create(title="Sách", updated_at=now)
        for n in range(40):
            Copy.create(barcode=f"TK.{n:05d}", title=title, updated_at=now)
        for n in range(5):
            Patron.create(kind="student", code=f"01234567{n:02d}", name=f"HS {n}", updated_at=now)
    db.close()


@pytest.mark.parametrize("run_seconds", [0.4, 0.9, 1.7])
def test_sigkill_mid_stream_leaves_every_action_whole(new_database, run_seconds):
    path = new_database("kiosk")
    _seed(path)
    worker = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "tests/core/crash_worker.py"),
                               str(path)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert worker.stdout.readline() == b"running\n"
    time.sleep(run_seconds)
    worker.send_signal(signal.SIGKILL)
    worker.wait()

    db = open_database(path)
    ok, problems = integrity_ok(db)
    assert ok, problems
    one = lambda sql: db.execute_sql(sql).fetchone()[0]  # noqa: E731
    loans = one("SELECT count(*) FROM loan")
    returned = one("SELECT count(*) FROM loan WHERE returned_at IS NOT NULL")
    assert loans > 50
    # Every committed loan change has exactly its journal entry and its outbox record.
    assert one("SELECT count(*) FROM outbox WHERE type = 'loan.borrowed'") == loans
    assert one("SELECT count(*) FROM outbox WHERE type = 'loan.returned'") == returned
    assert one("SELECT count(*) FROM journal WHERE action = 'borrow'") == loans
    assert one("SELECT count(*) FROM journal WHERE action = 'return'") == returned
    assert one("SELECT count(*) FROM journal j LEFT JOIN loan l ON l.uid = j.entity_key "
               "WHERE l.id IS NULL") == 0
    # Shelf state agrees with the open loans.
    assert one("SELECT count(*) FROM copy WHERE status = 'on_loan'") == loans - returned
    assert one("SELECT count(*) FROM copy c JOIN loan l ON l.copy_id = c.id "
               "WHERE l.returned_at IS NULL AND c.status != 'on_loan'") == 0
    db.close()
