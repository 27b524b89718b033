"""Benchmark: push 10,000 pending records to the stand-in on loopback.

Run: ``.venv/bin/python bench/bench_sync.py [--records N] [--rounds R] [--batch-size B]``.

The stand-in runs as its own process (``kiosk standin-server``), as a district office would run
it; the worker runs here on a real SQLite file in a temporary folder. Each round fills the outbox
with N records, then pushes them all; RSS is sampled during the push. Passes when every round
reaches 2,000 records/s and no push raises RSS by more than 10 MB over what it was just before
the push (the worker holds one batch at a time, so memory does not grow with the queue). RSS also
climbs between rounds while the outbox is filled: that is SQLite's page cache (``cache_size``
16 MB in db/connection.py) warming up on a bigger file, not the push.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.ids import uuid7  # noqa: E402
from db.queries import outbox  # noqa: E402
from db.tx import dump, write_transaction  # noqa: E402
from kiosk.config import config_from_dict  # noqa: E402
from kiosk.context import open_context  # noqa: E402
from kiosk.sync.http import HttpConnector  # noqa: E402
from kiosk.sync.worker import SyncWorker  # noqa: E402

TARGET_RATE = 2000.0
RSS_GROWTH_LIMIT_MB = 10.0
TOKEN = "bench-token-not-secret"


def rss_mb() -> float:
    """This process's resident set size now, in MB (Linux /proc)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


class RssSampler:
    """Samples RSS every 20 ms on a thread; keeps the peak."""

    def __init__(self):
        self.peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_standin(folder: Path) -> tuple[subprocess.Popen, str]:
    token_file = folder / "standin.token"
    token_file.write_text(TOKEN)
    os.chmod(token_file, 0o600)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "standin-server", "--port", str(port), "--db",
         str(folder / "standin.sqlite3"), "--token-file", str(token_file)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    process.stdout.readline()  # the "listening" line
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("stand-in did not start")


def fill(context, count: int, start: int) -> None:
    now = context.clock.db_now()
    occurred = context.clock.iso_local(now)
    with write_transaction(context.db):
        for n in range(start, start + count):
            outbox.enqueue(uuid7(), "loan.borrowed", occurred, dump({
                "school_code": "HY-BENCH", "kiosk_id": "bench", "loan_id": f"L{n}",
                "patron_code": f"{n:010d}", "patron_kind": "student",
                "patron_name": "Nguyễn Văn An", "patron_class": "6A1", "item_kind": "book",
                "item_barcode": f"TK.{n % 100000:05d}", "title": "Dế Mèn phiêu lưu ký",
                "author": "Tô Hoài", "isbn": "9786042000017", "quantity": 1,
                "due_date": "2026-12-10", "renewals": 0, "long_term": False, "condition": None}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        folder = Path(tmp)
        process, url = start_standin(folder)
        try:
            context = open_context(config_from_dict({
                "school": {"code": "HY-BENCH", "name": "Bench", "kiosk_id": "bench"},
                "database": {"path": str(folder / "kiosk.sqlite3")},
                "sync": {"url": url, "batch_size": args.batch_size}}))
            worker = SyncWorker(context, HttpConnector(url, TOKEN, timeout_s=30))
            results = []
            for round_no in range(args.rounds):
                fill(context, args.records, round_no * args.records)
                before = rss_mb()
                with RssSampler() as sampler:
                    started = time.perf_counter()
                    report = worker.run_once()
                    elapsed = time.perf_counter() - started
                assert report.delivered == args.records, report
                rate = args.records / elapsed
                results.append((rate, before, sampler.peak))
                sys.stdout.write(
                    f"round {round_no + 1}: {args.records} records in {elapsed:.2f} s = "
                    f"{rate:,.0f} records/s ({report.batches} batches of {args.batch_size}); "
                    f"RSS before {before:.1f} MB, peak during push {sampler.peak:.1f} MB\n")
            context.close()
        finally:
            process.terminate()
            process.wait(10)
    slowest = min(r[0] for r in results)
    growth = max(peak - before for _, before, peak in results)
    ok = slowest >= TARGET_RATE and growth <= RSS_GROWTH_LIMIT_MB
    sys.stdout.write(
        f"slowest round {slowest:,.0f} records/s (target {TARGET_RATE:,.0f}); largest RSS rise "
        f"during a push: {growth:+.1f} MB (limit {RSS_GROWTH_LIMIT_MB:.0f} MB): "
        f"{'PASS' if ok else 'FAIL'}\n")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
