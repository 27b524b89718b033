"""Core benchmark: identify+borrow and identify+return latency, the day report, on a big school.

    .venv/bin/python bench/bench_core.py [--copies 100000] [--patrons 5000] [--loans 1000000]

Builds the school in a temporary SQLite file (kept with --keep), then prints the figures and the
ratio to the issue's goals (borrow/return p95 <= 5 ms, report day <= 200 ms).
"""
from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db.ids import uuid7  # noqa: E402
from kiosk.clock import Clock  # noqa: E402
from kiosk.config import config_from_dict  # noqa: E402
from kiosk.context import open_context  # noqa: E402
from kiosk.services.circulation import Circulation  # noqa: E402
from kiosk.services.day_report import day_transactions  # noqa: E402

GOALS = {"borrow_p95_ms": 5.0, "return_p95_ms": 5.0, "report_day_ms": 200.0}
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)


def build(path: Path, copies: int, patrons: int, loans: int, seed: int = 7) -> None:
    """Fill a fresh database with a generated school and its loan history."""
    rng = random.Random(seed)
    config = config_from_dict({"school": {"code": "BENCH", "name": "Bench", "kiosk_id": "b1"},
                               "database": {"path": str(path)}})
    context = open_context(config)
    db = context.db
    stamp = "2026-08-01 00:00:00"
    titles = max(1, copies // 5)
    with db.atomic():
        db.execute_sql("DELETE FROM patron")
        db.connection().executemany(
            "INSERT INTO patron (kind, code, name, search_key, class_name, grade, updated_at) "
            "VALUES ('student', ?, ?, ?, ?, ?, ?)",
            [(f"{1000000000 + n}", f"Học sinh {n}", f"hoc sinh {n}", f"{6 + n % 4}A{n % 8}",
              6 + n % 4, stamp) for n in range(patrons)])
        db.connection().executemany(
            "INSERT INTO title (id, title, search_key, author, isbn, updated_at) "
            "VALUES (?, ?, ?, '', ?, ?)",
            [(n + 1, f"Sách số {n}", f"sach so {n}", f"9786040{n:06d}", stamp)
             for n in range(titles)])
        db.connection().executemany(
            "INSERT INTO copy (id, barcode, title_id, store, updated_at) VALUES (?, ?, ?, 'TK', ?)",
            [(n + 1, f"TK.{n:05d}" if n < 100000 else f"TN.{n - 100000:05d}",
              n % titles + 1, stamp) for n in range(copies)])
    start = datetime(2023, 9, 1)
    batch = []
    with db.atomic():
        for n in range(loans):
            out = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 1150))
            back = out + timedelta(days=rng.randrange(1, 20))
            batch.append((uuid7(), f"GD-{n:08X}", rng.randrange(1, patrons + 1),
                          rng.randrange(1, copies + 1), out.isoformat(" "),
                          (out + timedelta(days=14)).date().isoformat(), back.isoformat(" ")))
            if len(batch) == 50000:
                _insert_loans(db, batch)
                batch.clear()
        _insert_loans(db, batch)
    db.execute_sql("ANALYZE")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    context.close()


def _insert_loans(db, rows) -> None:
    db.connection().executemany(
        "INSERT INTO loan (uid, txn_ref, patron_id, kind, copy_id, out_at, due_on, returned_at,"
        " return_condition, kiosk_id) VALUES (?, ?, ?, 'book', ?, ?, ?, ?, 'good', 'b1')", rows)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def measure(path: Path, copies: int, patrons: int, rounds: int) -> dict:
    """Time borrow and return scans through the real services."""
    config = config_from_dict({"school": {"code": "BENCH", "name": "Bench", "kiosk_id": "b1"},
                               "database": {"path": str(path)},
                               "loans": {"student": {"max_books": 1000}}})
    context = open_context(config, clock=Clock(now_fn=lambda: NOW))
    service = Circulation(context)
    rng = random.Random(11)
    chosen = rng.sample(range(min(copies, 100000)), rounds)
    borrow_ms, return_ms = [], []
    for i, n in enumerate(chosen):
        session = service.start_session(f"{1000000000 + rng.randrange(patrons)}")
        code = f"TK.{n:05d}"
        t0 = time.perf_counter()
        outcome = service.borrow(session, code)
        borrow_ms.append((time.perf_counter() - t0) * 1000)
        assert outcome.ok, outcome
    for n in chosen:
        t0 = time.perf_counter()
        outcome = service.return_code(f"TK.{n:05d}")
        return_ms.append((time.perf_counter() - t0) * 1000)
        assert outcome.ok, outcome
    report_ms = []
    for _ in range(5):
        t0 = time.perf_counter()
        rows = day_transactions(context.clock.today(), context.clock)
        report_ms.append((time.perf_counter() - t0) * 1000)
    context.close()
    return {
        "borrow_p50_ms": statistics.median(borrow_ms), "borrow_p95_ms": percentile(borrow_ms, 95),
        "return_p50_ms": statistics.median(return_ms), "return_p95_ms": percentile(return_ms, 95),
        "report_day_ms": statistics.median(report_ms), "report_rows": len(rows),
    }


def main() -> int:
    """Build, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100_000)
    parser.add_argument("--patrons", type=int, default=5_000)
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--keep", metavar="PATH", help="build the database here and keep it")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    path = Path(args.keep) if args.keep else folder / "bench.sqlite3"
    t0 = time.perf_counter()
    build(path, args.copies, args.patrons, args.loans)
    build_s = time.perf_counter() - t0
    size_mb = path.stat().st_size / 1e6
    figures = measure(path, args.copies, args.patrons, args.rounds)
    out = sys.stdout.write
    out(f"school: {args.copies:,} copies, {args.patrons:,} patrons, {args.loans:,} past loans; "
        f"database {size_mb:.1f} MB (built in {build_s:.1f} s)\n")
    out(f"{'figure':<16}{'value':>12}{'goal':>10}{'goal/value':>12}\n")
    for key in ("borrow_p50_ms", "borrow_p95_ms", "return_p50_ms", "return_p95_ms",
                "report_day_ms"):
        goal = GOALS.get(key)
        ratio = f"{goal / figures[key]:.1f}x" if goal else ""
        out(f"{key:<16}{figures[key]:>12.2f}{(goal or ''):>10}{ratio:>12}\n")
    out(f"report day rows: {figures['report_rows']} (the {args.rounds} borrows and returns of "
        f"the bench day)\n")
    met = all(figures[k] <= v for k, v in GOALS.items())
    out("all goals met\n" if met else "GOAL MISSED\n")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
