"""Core benchmark: a patron's card then a book (identify + borrow) and a return (identify +
return) on a big school, with ``synchronous=FULL``; statements per scan; the share of fsync.

    .venv/bin/python -m bench.bench_core [--copies 100000] [--patrons 5000] [--loans 1000000]

Builds the school in a temporary SQLite file (kept with --keep), then times, through the real
services, ``start_session(card) + borrow(book)`` and ``return_code(book)``, counting the SQL
statements each sends (BEGIN/COMMIT apart) and the CPU time each takes; the same run with
``synchronous=OFF`` shows what the fsyncs cost. Prints p50/p95/p99 against the goals of issue 9
(p95 <= 5 ms, <= 6 statements a book scan) and its baseline (p95 7.5 ms borrow, 8.0 ms return,
about 15 statements a scan), with time and peak memory. Runs unchanged on older checkouts of
the kiosk, to compare before and after.
"""
from __future__ import annotations

import argparse
import logging
import random
import resource
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

GOALS = {"borrow_p95_ms": 5.0, "return_p95_ms": 5.0, "borrow_statements": 6,
         "return_statements": 6, "report_day_ms": 200.0}
BASELINE = {"borrow_p95_ms": 7.5, "return_p95_ms": 8.0, "borrow_statements": 15,
            "return_statements": 15}
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)


def _config(path: Path, **loans):
    return config_from_dict({"school": {"code": "BENCH", "name": "Bench", "kiosk_id": "b1"},
                             "database": {"path": str(path)}, **loans})


def build(path: Path, copies: int, patrons: int, loans: int, seed: int = 7) -> None:
    """Fill a fresh database with a generated school and its loan history."""
    rng = random.Random(seed)
    context = open_context(_config(path))
    db = context.db
    stamp = "2026-08-01 00:00:00"
    titles = max(1, copies // 5)
    conn = db.connection()
    conn.execute("BEGIN")
    conn.execute("DELETE FROM patron")
    conn.executemany(
        "INSERT INTO patron (kind, code, name, search_key, class_name, grade, updated_at) "
        "VALUES ('student', ?, ?, ?, ?, ?, ?)",
        [(f"{1000000000 + n}", f"Học sinh {n}", f"hoc sinh {n}", f"{6 + n % 4}A{n % 8}",
          6 + n % 4, stamp) for n in range(patrons)])
    conn.executemany(
        "INSERT INTO title (id, title, search_key, author, isbn, updated_at) "
        "VALUES (?, ?, ?, '', ?, ?)",
        [(n + 1, f"Sách số {n}", f"sach so {n}", f"9786040{n:06d}", stamp)
         for n in range(titles)])
    conn.executemany(
        "INSERT INTO copy (id, barcode, title_id, store, updated_at) VALUES (?, ?, ?, 'TK', ?)",
        [(n + 1, f"TK.{n:05d}" if n < 100000 else f"TN.{n - 100000:05d}",
          n % titles + 1, stamp) for n in range(copies)])
    start = datetime(2023, 9, 1)
    batch = []
    for n in range(loans):
        out = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 1150))
        back = out + timedelta(days=rng.randrange(1, 20))
        batch.append((uuid7(), f"GD-{n:08X}", rng.randrange(1, patrons + 1),
                      rng.randrange(1, copies + 1), out.isoformat(" "),
                      (out + timedelta(days=14)).date().isoformat(), back.isoformat(" ")))
        if len(batch) == 50000:
            _insert_loans(conn, batch)
            batch.clear()
    _insert_loans(conn, batch)
    conn.execute("COMMIT")
    db.execute_sql("ANALYZE")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    context.close()


def _insert_loans(conn, rows) -> None:
    conn.executemany(
        "INSERT INTO loan (uid, txn_ref, patron_id, kind, copy_id, out_at, due_on, returned_at,"
        " return_condition, kiosk_id) VALUES (?, ?, ?, 'book', ?, ?, ?, ?, 'good', 'b1')", rows)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class StatementCounter:
    """Counts the SQL statements a connection runs (transaction control apart)."""

    def __init__(self):
        self.count = 0

    def __call__(self, sql: str) -> None:
        if not sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT",
                                                  "RELEASE")):
            self.count += 1


def measure(path: Path, copies: int, patrons: int, rounds: int, synchronous: str) -> dict:
    """Time card+borrow and return scans through the real services."""
    context = open_context(_config(path, loans={"student": {"max_books": 1000}}),
                           clock=Clock(now_fn=lambda: NOW))
    context.db.execute_sql(f"PRAGMA synchronous = {synchronous}")
    counter = StatementCounter()
    context.db.connection().set_trace_callback(counter)
    service = Circulation(context)
    rng = random.Random(11 if synchronous == "FULL" else 13)
    chosen = rng.sample(range(min(copies, 100000)), rounds)
    borrow_ms, return_ms, borrow_cpu, return_cpu = [], [], [], []
    borrow_sql, return_sql, card_sql = [], [], []
    for n in chosen:
        card = f"{1000000000 + rng.randrange(patrons)}"
        code = f"TK.{n:05d}"
        counter.count = 0
        c0, t0 = time.process_time(), time.perf_counter()
        session = service.start_session(card)
        before = counter.count
        card_sql.append(before)
        outcome = service.borrow(session, code)
        borrow_ms.append((time.perf_counter() - t0) * 1000)
        borrow_cpu.append((time.process_time() - c0) * 1000)
        borrow_sql.append(counter.count - before)
        assert outcome.ok, outcome
    for n in chosen:
        counter.count = 0
        c0, t0 = time.process_time(), time.perf_counter()
        outcome = service.return_code(f"TK.{n:05d}")
        return_ms.append((time.perf_counter() - t0) * 1000)
        return_cpu.append((time.process_time() - c0) * 1000)
        return_sql.append(counter.count)
        assert outcome.ok, outcome
    report_ms = []
    for _ in range(5):
        t0 = time.perf_counter()
        rows = day_transactions(context.clock.today(), context.clock)
        report_ms.append((time.perf_counter() - t0) * 1000)
    context.db.connection().set_trace_callback(None)
    context.close()
    figures = {"report_day_ms": statistics.median(report_ms), "report_rows": len(rows),
               "borrow_statements": max(borrow_sql), "return_statements": max(return_sql),
               "card_statements": max(card_sql)}
    for name, wall, cpu in (("borrow", borrow_ms, borrow_cpu), ("return", return_ms, return_cpu)):
        for q in (50, 95, 99):
            figures[f"{name}_p{q}_ms"] = percentile(wall, q)
        figures[f"{name}_cpu_ms"] = statistics.mean(cpu)
        figures[f"{name}_mean_ms"] = statistics.mean(wall)
    return figures


def main() -> int:
    """Build, measure with synchronous FULL and OFF, print."""
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
    if not path.exists():
        build(path, args.copies, args.patrons, args.loans)
    build_s = time.perf_counter() - t0
    size_mb = path.stat().st_size / 1e6
    full = measure(path, args.copies, args.patrons, args.rounds, "FULL")
    off = measure(path, args.copies, args.patrons, args.rounds, "OFF")
    out = sys.stdout.write
    out(f"school: {args.copies:,} copies, {args.patrons:,} patrons, {args.loans:,} past loans; "
        f"database {size_mb:.1f} MB (built in {build_s:.1f} s); {args.rounds} scans each\n")
    out(f"{'figure':<22}{'FULL':>10}{'OFF':>10}{'goal':>8}{'goal/x':>8}{'baseline':>10}"
        f"{'base/x':>8}\n")
    for key in ("borrow_p50_ms", "borrow_p95_ms", "borrow_p99_ms", "borrow_cpu_ms",
                "borrow_statements", "return_p50_ms", "return_p95_ms", "return_p99_ms",
                "return_cpu_ms", "return_statements", "card_statements", "report_day_ms"):
        goal, base = GOALS.get(key), BASELINE.get(key)
        value = full[key]
        out(f"{key:<22}{value:>10.2f}{off[key]:>10.2f}{goal or '':>8}"
            f"{(f'{goal / value:.1f}x' if goal and value else ''):>8}{base or '':>10}"
            f"{(f'{base / value:.1f}x' if base and value else ''):>8}\n")
    for name in ("borrow", "return"):
        mean, cpu = full[f"{name}_mean_ms"], full[f"{name}_cpu_ms"]
        fsync = max(0.0, mean - off[f"{name}_mean_ms"])
        out(f"{name}: mean {mean:.2f} ms = CPU {cpu:.2f} ms ({cpu / mean:.0%}) + waiting "
            f"{mean - cpu:.2f} ms; fsync (FULL - OFF) {fsync:.2f} ms ({fsync / mean:.0%})\n")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out(f"peak memory {peak_mb:.0f} MB; report day rows: {full['report_rows']}\n")
    met = all(full[k] <= v for k, v in GOALS.items())
    out("all goals met\n" if met else "GOAL MISSED\n")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
