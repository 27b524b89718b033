"""Two kiosks on one PostgreSQL server lend, return and renew the same 50 copies for 30 s, each
with its own connection and its own sync thread: no copy is ever on loan twice, every refusal
is a clear one, the journal and the outbox hold every action, and the stand-in provincial
server receives each record exactly once."""
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime

import psycopg
import pytest

from db import migrate, open_database
from db.models import Copy, Patron, Title
from kiosk import PROJECT_ROOT
from kiosk.standin.server import StandinServer
from tests.sync.helpers import TOKEN, StandinClient, write_token

SECONDS = 30
#: The refusals two kiosks racing for the same copies may meet; anything else is a failure.
#: (held_by_you: the student scanned a book lent to them; renew_not_yet: a renewal that would
#: not move the due date later, e.g. of a loan made at this kiosk.)
EXPECTED_REFUSALS = {"item_on_loan", "not_on_loan", "renew_limit", "renew_not_yet",
                     "held_by_you"}
#: Each kiosk's loan length: thu-vien-2 lends longer, so it can renew thu-vien-1's loans.
LOAN_DAYS = {"thu-vien-1": 14, "thu-vien-2": 21}

pytestmark = [pytest.mark.postgresql_only, pytest.mark.slow]


def _seed(url: str) -> None:
    db = open_database(url)
    migrate(db)
    now = datetime(2026, 11, 26, 2)
    with db.atomic():
        title = Title.create(title="Dế Mèn phiêu lưu ký", updated_at=now)
        for n in range(50):
            Copy.create(barcode=f"TK.{n:05d}", title=title, updated_at=now)
        for n in range(20):
            Patron.create(kind="student", code=f"01234567{n:02d}", name=f"Học sinh {n}",
                          updated_at=now)
    db.close()


class Watcher(threading.Thread):
    """Looks at the whole database many times a second, each look one snapshot: no copy with
    two open loans, and a copy's status always agrees with its open loan."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.stop = threading.Event()
        self.looks = 0
        self.problems: list[str] = []

    def run(self) -> None:
        with psycopg.connect(self.url) as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            while not self.stop.is_set():
                with conn.transaction():
                    twice = conn.execute(
                        "SELECT copy_id FROM loan WHERE copy_id IS NOT NULL AND returned_at IS NULL "
                        "AND voided_at IS NULL GROUP BY copy_id HAVING count(*) > 1").fetchall()
                    disagree = conn.execute(
                        "SELECT c.barcode, c.status, l.id FROM copy c LEFT JOIN loan l "
                        "ON l.copy_id = c.id AND l.returned_at IS NULL AND l.voided_at IS NULL "
                        "WHERE (c.status = 'on_loan') != (l.id IS NOT NULL)").fetchall()
                if twice:
                    self.problems.append(f"copies on loan twice: {twice}")
                if disagree:
                    self.problems.append(f"status and open loan disagree: {disagree}")
                self.looks += 1
                time.sleep(0.01)


def _spawn(url, kiosk_id, out, sync_url, token_file):
    # stderr to a file: a kiosk logging many errors must not stall on a full pipe
    return subprocess.Popen(
        [sys.executable, str(PROJECT_ROOT / "tests/core/two_kiosk_worker.py"), url, kiosk_id,
         str(SECONDS), str(out), sync_url, str(token_file), str(LOAN_DAYS[kiosk_id])],
        cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=open(f"{out}.log", "w"), text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})


def _log(tmp_path, kiosk_id) -> str:
    return (tmp_path / f"{kiosk_id}.jsonl.log").read_text("utf-8", "replace")[-4000:]


def _pending(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM outbox WHERE state != 'sent'").fetchone()[0]


def test_two_kiosks_race_for_the_same_copies(tmp_path, database_section):
    url = database_section["url"]
    _seed(url)
    token_file = write_token(tmp_path / "province.token")
    server = StandinServer(tmp_path / "standin.sqlite3", token=TOKEN).start()
    standin = StandinClient(server.url)
    standin.faults(delay_s=0.05)  # slow answers: the two senders overlap
    kiosks = {kiosk_id: _spawn(url, kiosk_id, tmp_path / f"{kiosk_id}.jsonl", server.url,
                               token_file) for kiosk_id in ("thu-vien-1", "thu-vien-2")}
    watcher = Watcher(url)
    try:
        for kiosk_id, process in kiosks.items():
            assert process.stdout.readline().strip() == "ready", _log(tmp_path, kiosk_id)
        watcher.start()
        for process in kiosks.values():
            process.stdin.write("go\n")
            process.stdin.flush()
        for kiosk_id, process in kiosks.items():
            assert process.stdout.readline().strip() == "lent", _log(tmp_path, kiosk_id)
        watcher.stop.set()
        watcher.join()
        deadline = time.monotonic() + 120
        while _pending(url) and time.monotonic() < deadline:
            time.sleep(0.2)
        for process in kiosks.values():
            process.stdin.write("stop\n")
            process.stdin.flush()
        for kiosk_id, process in kiosks.items():
            assert process.wait(timeout=30) == 0, _log(tmp_path, kiosk_id)
    finally:
        for process in kiosks.values():
            process.kill()
        received = standin.stats(ids=True)
        server.stop()

    # -- what each kiosk's people saw ---------------------------------------------------------
    outcomes = {kiosk_id: [json.loads(line) for line in
                           (tmp_path / f"{kiosk_id}.jsonl").read_text("utf-8").splitlines()]
                for kiosk_id in kiosks}
    for kiosk_id, lines in outcomes.items():
        assert not [line for line in lines if "exception" in line], kiosk_id
        refusals = Counter(line["result"] for line in lines if not line["ok"])
        assert set(refusals) <= EXPECTED_REFUSALS, refusals
        for line in lines:
            assert line["message"] and "{" not in line["message"], line
        done = Counter(line["action"] for line in lines if line["ok"])
        assert done["borrow"] > 100 and done["return"] > 100, (kiosk_id, done)
        assert refusals["item_on_loan"] > 0 and refusals["not_on_loan"] > 0
    renewed = Counter(line["action"] for line in outcomes["thu-vien-2"] if line["ok"])["renew"]
    assert renewed > 10  # the other kiosk's loans renewed while both lend and take back
    assert watcher.looks > 200 and watcher.problems == []

    with psycopg.connect(url) as conn:
        one = lambda sql, *p: conn.execute(sql, p).fetchone()[0]  # noqa: E731
        # Every acknowledged borrow and return is in the database, as the kiosk was told.
        loans = {uid: (txn_ref, return_ref, kiosk, return_kiosk) for uid, txn_ref, return_ref,
                 kiosk, return_kiosk in conn.execute(
                     "SELECT uid, txn_ref, return_ref, kiosk_id, return_kiosk_id FROM loan")}
        for kiosk_id, lines in outcomes.items():
            for line in lines:
                if line["ok"] and line["action"] == "borrow":
                    assert loans[line["loan"]][0] == line["ref"]
                    assert loans[line["loan"]][2] == kiosk_id
                if line["ok"] and line["action"] == "return":
                    assert loans[line["loan"]][1] == line["ref"]
                    assert loans[line["loan"]][3] == kiosk_id
        acknowledged = sum(line["ok"] for lines in outcomes.values() for line in lines)
        # Every record keeps the kiosk that made it; lent at one, returned at the other happens.
        assert {kiosk for _, _, kiosk, _ in loans.values()} == set(kiosks)
        assert one("SELECT count(*) FROM loan WHERE return_kiosk_id != kiosk_id") > 0

        # For each copy, its journal reads borrow (renew)* return, borrow ... in commit order:
        # never two borrows without a return between them.
        history = defaultdict(list)
        for barcode, action in conn.execute(
                "SELECT c.barcode, j.action FROM journal j JOIN loan l ON l.uid = j.entity_key "
                "JOIN copy c ON c.id = l.copy_id ORDER BY j.id"):
            history[barcode].append(action)
        for barcode, actions in history.items():
            out = False
            for action in actions:
                assert (action == "borrow") != out, (barcode, actions)
                if action in ("borrow", "return"):
                    out = action == "borrow"
        # Journal and outbox whole: one entry and one record per acknowledged action.
        total_loans = one("SELECT count(*) FROM loan")
        returned = one("SELECT count(*) FROM loan WHERE returned_at IS NOT NULL")
        renewals = one("SELECT COALESCE(sum(renewals), 0) FROM loan")
        assert one("SELECT count(*) FROM journal") == acknowledged
        assert one("SELECT count(*) FROM journal WHERE action = 'borrow'") == total_loans
        assert one("SELECT count(*) FROM journal WHERE action = 'return'") == returned
        assert one("SELECT count(*) FROM journal WHERE action = 'renew'") == renewals
        assert one("SELECT count(*) FROM outbox") == acknowledged
        assert one("SELECT count(*) FROM outbox WHERE type = 'loan.borrowed'") == total_loans
        assert one("SELECT count(*) FROM outbox WHERE type = 'loan.returned'") == returned
        assert one("SELECT count(*) FROM outbox WHERE type = 'loan.renewed'") == renewals
        assert one("SELECT count(*) FROM outbox o LEFT JOIN journal j ON j.txn_ref = "
                   "o.action_ref WHERE j.id IS NULL") == 0
        assert one("SELECT count(*) FROM copy WHERE status = 'on_loan'") == total_loans - returned
        # Both sync workers pushed; the province received each record exactly once.
        assert one("SELECT count(*) FROM outbox WHERE state = 'sent'") == acknowledged
        record_ids = {rid for (rid,) in conn.execute("SELECT record_id FROM outbox")}
    assert received["records"] == acknowledged
    assert set(received["receipts_by_id"]) == record_ids
    assert set(received["receipts_by_id"].values()) == {1}
    # One sender at a time: whichever kiosk holds the server's lock drains the shared outbox
    # while the other's passes find it busy.
    with sqlite3.connect(tmp_path / "standin.sqlite3") as standin_db:
        senders = dict(standin_db.execute("SELECT kiosk_id, count(*) FROM record GROUP BY 1"))
    assert set(senders) <= set(kiosks) and sum(senders.values()) == acknowledged
