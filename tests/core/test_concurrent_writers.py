"""Writers that wait their turn: for 30 s the running kiosk (its one writer thread and its sync
thread), two ``kiosk`` command processes borrowing and returning, and ``kiosk sync --once``
every second all write to one database. No action is refused for "busy", no process prints a
traceback, and every acknowledged action is in the database with exactly one journal entry and
one provincial record."""
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from db.models import Journal, Loan, Outbox
from db.tx import write_transaction
from db.writer import Writer
from kiosk.config import load_config
from kiosk.context import open_context
from kiosk.i18n import t
from kiosk.services.circulation import Circulation, ReturnRun
from kiosk.standin.server import StandinServer
from tests.factories import seed_small_school
from tests.sync.helpers import TOKEN, write_token

ROOT = Path(__file__).resolve().parents[2]
DURATION_S = float(os.environ.get("KIOSK_CONCURRENCY_S", "30"))
STUDENTS = [f"01234{n:05d}" for n in range(30)]

pytestmark = pytest.mark.slow


@pytest.fixture
def school(tmp_path):
    """A config file for every process, a school with 180 extra copies, a stand-in province."""
    standin = StandinServer(tmp_path / "standin.sqlite3", token=TOKEN).start()
    token = write_token(tmp_path / "province.token")
    config_path = tmp_path / "kiosk.toml"
    config_path.write_text(f"""
[school]
code = "HY-THCS-01"
name = "Trường THCS Thử Nghiệm"
kiosk_id = "kiosk-busy"
[database]
path = "kiosk.sqlite3"
[loans.student]
max_books = 50
[sync]
url = "{standin.url}"
token_file = "{token}"
interval_s = 0.5
batch_size = 50
""", encoding="utf-8")
    context = open_context(load_config(config_path))
    with write_transaction(context.db):
        seed_small_school()
        from db.models import Copy, Patron, Title
        stamp = context.clock.db_now()
        title = Title.create(title="Sách tham khảo", search_key="sach tham khao",
                             updated_at=stamp)
        for n in range(180):
            Copy.create(barcode=f"TK.{10000 + n:05d}", title=title, store="TK", updated_at=stamp)
        for code in STUDENTS:
            Patron.create(kind="student", code=code, name=f"Học sinh {code[-3:]}",
                          class_name="6A1", grade=6, updated_at=stamp)
    context.close()
    yield tmp_path, config_path
    standin.stop()


def _kiosk(config_path, *args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kiosk", *args, "--config", str(config_path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


class Tally:
    """What every writer was told: acknowledged borrows and returns, refusals, output."""

    def __init__(self):
        self.lock = threading.Lock()
        self.borrowed = Counter()
        self.returned = Counter()
        self.refusals: list[str] = []
        self.outputs: list[str] = []

    def note(self, kind: str, code: str, ok: bool, text: str) -> None:
        with self.lock:
            if ok:
                (self.borrowed if kind == "borrow" else self.returned)[code] += 1
            else:
                self.refusals.append(f"{kind} {code}: {text}")


def _cli_worker(config_path, copies, tally: Tally, stop: threading.Event, first: int):
    n = first
    while not stop.is_set():
        student = STUDENTS[n % len(STUDENTS)]
        group = [copies[(n + i) % len(copies)] for i in range(3)]
        n += 3
        for kind, args in (("borrow", ["borrow", student, *group]), ("return", ["return", *group])):
            done = _kiosk(config_path, *args)
            tally.outputs.append(done.stdout + done.stderr)
            for line in done.stdout.splitlines():
                match = re.match(r"(OK |-- )(\S+): (.*)", line)
                if match:
                    tally.note(kind, match.group(2), match.group(1) == "OK ", match.group(3))


def _sync_every_second(config_path, tally: Tally, stop: threading.Event, codes: list):
    """Start ``kiosk sync --once`` every second (as a timer would, whether the last one ended
    or not; overlapping passes find the send lock taken and say so)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    running = []
    started = time.monotonic()
    while not stop.is_set():
        running.append(subprocess.Popen(
            [sys.executable, "-m", "kiosk", "sync", "--once", "--config", str(config_path)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        stop.wait(max(0.0, started + len(running) - time.monotonic()))  # on the second
    for process in running:
        output, _ = process.communicate(timeout=120)
        tally.outputs.append(output)
        codes.append(process.returncode)


def test_every_writer_waits_its_turn(school):
    folder, config_path = school
    config = load_config(config_path)
    context = open_context(config)
    writer = Writer(context.db)
    from kiosk.sync.service import start_sync_thread
    sync_thread = start_sync_thread(context)
    assert sync_thread is not None
    service = Circulation(context)
    tally, stop = Tally(), threading.Event()
    copies = [f"TK.{10000 + n:05d}" for n in range(180)]
    sync_codes: list[int] = []
    threads = [threading.Thread(target=_cli_worker, args=(config_path, copies[60:120], tally,
                                                          stop, 0)),
               threading.Thread(target=_cli_worker, args=(config_path, copies[120:], tally,
                                                          stop, 1)),
               threading.Thread(target=_sync_every_second, args=(config_path, tally, stop,
                                                                 sync_codes))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + DURATION_S
    n = 0
    try:
        while time.monotonic() < deadline:
            # The screen's pattern: card, a book, the next scan, each action on the writer.
            student = STUDENTS[n % len(STUDENTS)]
            code = copies[n % 60]
            n += 1
            session = writer.run(service.start_session, student)
            outcome = writer.run(service.borrow, session, code)
            tally.note("borrow", code, outcome.ok, outcome.code)
            outcome = writer.run(service.return_code, code, ReturnRun())
            tally.note("return", code, outcome.ok, outcome.code)
    finally:
        stop.set()
        for thread in threads:
            thread.join(120)
        sync_thread.stop(timeout=10)
        writer.close()
        context.close()

    busy = t("refusal.db_locked")
    joined = "\n".join(tally.outputs)
    assert "Traceback" not in joined, joined[-3000:]
    assert busy not in joined
    assert not [r for r in tally.refusals if "db_" in r or busy in r], tally.refusals[:10]
    assert tally.refusals == []  # every writer had copies of its own: nothing else to refuse
    assert set(sync_codes) == {0} and len(sync_codes) >= DURATION_S - 2

    context = open_context(config, migrate_schema=False)
    try:
        loans = list(Loan.select())
        assert len(loans) == sum(tally.borrowed.values()) > 30
        assert sum(1 for loan in loans if loan.returned_at) == sum(tally.returned.values())
        journal = Counter((j.action, j.entity_key) for j in Journal.select()
                          if j.action in ("borrow", "return"))
        records = Counter((o.type, json.loads(o.data)["loan_id"]) for o in Outbox.select())
        for loan in loans:
            assert journal[("borrow", loan.uid)] == 1
            assert records[("loan.borrowed", loan.uid)] == 1
            expected = 1 if loan.returned_at else 0
            assert journal[("return", loan.uid)] == expected
            assert records[("loan.returned", loan.uid)] == expected
        assert all(loan.txn_ref and (loan.return_ref or not loan.returned_at) for loan in loans)
    finally:
        context.close()
