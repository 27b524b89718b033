"""PostgreSQL against SQLite: a card then a book (identify + borrow) and a return (identify +
return) on a big school, one kiosk and two kiosks at once, side by side.

    WITH_POSTGRES_DURABLE=1 scripts/with-postgres .venv/bin/python -m bench.bench_postgres
    (or: scripts/bench postgres)        [--copies 100000] [--patrons 5000] [--loans 1000000]

Builds the school in an SQLite file (as bench_core does), moves it to the server with ``kiosk
db copy-to``'s own code (timed), then times through the real services, on each engine:
``start_session(card) + borrow(book)`` and ``return_code(book)``, first one kiosk alone, then
two kiosk processes at once (each its own connection, its own half of the copies). The server
is the one KIOSK_TEST_POSTGRES names, over loopback TCP; run it durable (fsync on, as a school
server) with WITH_POSTGRES_DURABLE=1. SQLite runs with ``synchronous=FULL``, as the kiosk does.
Then once more on each engine committing without waiting for the disk, and the disk's own
flush time, to show what the fsync costs. Prints p50/p95/p99, statements per scan (card + book)
and the ratio to the goal of issue 16 (p95 <= 5 ms on PostgreSQL), with time and peak memory.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_core import NOW, build, percentile  # noqa: E402

GOAL_P95_MS = 5.0
ROOT = Path(__file__).resolve().parent.parent


def _section(target: str) -> dict:
    return {"url": target} if target.startswith("postgresql://") else {"path": target}


class Counter:
    """Counts the statements a database runs (transaction control apart), by peewee's hook."""

    def __init__(self):
        self.count = 0

    def __call__(self, event) -> None:
        if not event.sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK",
                                                        "SAVEPOINT", "RELEASE")):
            self.count += 1


def disk_flush_ms(folder: Path, rounds: int = 200) -> list[float]:
    """How long this disk takes to make 8 kB durable (write + fdatasync), as a commit does."""
    path = folder / "flush-probe"
    times = []
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for _ in range(rounds):
            t0 = time.perf_counter()
            os.pwrite(fd, os.urandom(8192), 0)
            os.fdatasync(fd)
            times.append((time.perf_counter() - t0) * 1000)
    finally:
        os.close(fd)
        path.unlink()
    return times


def measure(target: str, copies: list[int], patrons: int, seed: int, kiosk_id: str,
            ready=None, flush: bool = True) -> dict:
    """Card + borrow, then return, of each copy in ``copies`` through the real services.
    ``flush=False`` commits without waiting for the disk (SQLite ``synchronous=OFF``,
    PostgreSQL ``synchronous_commit=off``): what the rest costs."""
    from kiosk.clock import Clock
    from kiosk.config import config_from_dict
    from kiosk.context import open_context
    from kiosk.services.circulation import Circulation

    config = config_from_dict({"school": {"code": "BENCH", "name": "Bench", "kiosk_id": kiosk_id},
                               "database": _section(target),
                               "loans": {"student": {"max_books": 100000}}})
    context = open_context(config, clock=Clock(now_fn=lambda: NOW))
    if not flush:
        context.db.execute_sql("SET synchronous_commit = off" if config.database.on_server
                               else "PRAGMA synchronous = OFF")
    counter = Counter()
    context.db.query_hooks.append(counter)
    service = Circulation(context)
    rng = random.Random(seed)
    cards = [f"{1000000000 + rng.randrange(patrons)}" for _ in copies]
    service.start_session(cards[0])  # connections and caches warm
    if ready is not None:
        ready()
    borrow_ms, return_ms, statements = [], [], []
    started = time.perf_counter()
    for card, n in zip(cards, copies):
        counter.count = 0
        t0 = time.perf_counter()
        session = service.start_session(card)
        outcome = service.borrow(session, f"TK.{n:05d}")
        borrow_ms.append((time.perf_counter() - t0) * 1000)
        statements.append(counter.count)
        assert outcome.ok, outcome
    return_sql = []
    for n in copies:
        counter.count = 0
        t0 = time.perf_counter()
        outcome = service.return_code(f"TK.{n:05d}")
        return_ms.append((time.perf_counter() - t0) * 1000)
        return_sql.append(counter.count)
        assert outcome.ok, outcome
    elapsed = time.perf_counter() - started
    context.close()
    return {"borrow": borrow_ms, "return": return_ms, "borrow_statements": max(statements),
            "return_statements": max(return_sql), "seconds": elapsed}


def _worker(argv: list[str]) -> int:
    """``--worker TARGET KIOSK_ID SEED PATRONS N...``: wait for a line, measure, print JSON."""
    target, kiosk_id, seed, patrons = argv[0], argv[1], int(argv[2]), int(argv[3])
    copies = [int(n) for n in argv[4].split(",")]

    def ready():
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        sys.stdin.readline()
    result = measure(target, copies, patrons, seed, kiosk_id, ready)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


def two_kiosks(target: str, copies: list[int], patrons: int) -> dict:
    """Two kiosk processes at once, each with half the copies; their figures merged."""
    halves = [copies[0::2], copies[1::2]]
    processes = [subprocess.Popen(
        [sys.executable, "-m", "bench.bench_postgres", "--worker", target, f"b{k + 2}",
         str(100 + k), str(patrons), ",".join(map(str, half))],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for k, half in enumerate(halves)]
    for process in processes:
        assert process.stdout.readline().strip() == "ready"
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = [json.loads(process.stdout.readline()) for process in processes]
    for process in processes:
        process.wait(timeout=60)
    return {"borrow": results[0]["borrow"] + results[1]["borrow"],
            "return": results[0]["return"] + results[1]["return"],
            "borrow_statements": max(r["borrow_statements"] for r in results),
            "return_statements": max(r["return_statements"] for r in results),
            "seconds": max(r["seconds"] for r in results)}


def _figures(result: dict) -> dict:
    figures = {}
    for name in ("borrow", "return"):
        for q in (50, 95, 99):
            figures[f"{name}_p{q}_ms"] = percentile(result[name], q)
        figures[f"{name}_mean_ms"] = statistics.mean(result[name])
        figures[f"{name}_statements"] = result[f"{name}_statements"]
    figures["scans_per_s"] = 2 * len(result["borrow"]) / result["seconds"]
    return figures


def main() -> int:
    """Build, copy to the server, measure both engines with one and two kiosks, print."""
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        return _worker(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100_000)
    parser.add_argument("--patrons", type=int, default=5_000)
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--keep", metavar="PATH", help="build the SQLite school here and keep it")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    server = os.environ.get("KIOSK_TEST_POSTGRES")
    if not server:
        sys.stderr.write("bench_postgres: no server; run it through scripts/with-postgres\n")
        return 2
    from db import open_database
    from db.copy import copy_to_server
    from tests.postgres import Databases

    out = sys.stdout.write
    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-pg-"))
    path = Path(args.keep) if args.keep else folder / "bench.sqlite3"
    t0 = time.perf_counter()
    if not path.exists():
        build(path, args.copies, args.patrons, args.loans)
    build_s = time.perf_counter() - t0
    databases = Databases(server)
    try:
        url = databases.new(migrated=False)
        source, target = open_database(path), open_database(url)
        t0 = time.perf_counter()
        counts = copy_to_server(source, target)
        copy_s = time.perf_counter() - t0
        target.execute_sql("ANALYZE")
        fsync = target.execute_sql("SHOW fsync").fetchone()[0]
        commit = target.execute_sql("SHOW synchronous_commit").fetchone()[0]
        version = target.execute_sql("SHOW server_version").fetchone()[0]
        source.close()
        target.close()
        rows = sum(count.target for count in counts)
        out(f"school: {args.copies:,} copies, {args.patrons:,} patrons, {args.loans:,} past "
            f"loans (SQLite built in {build_s:.1f} s); copy-to the server: {rows:,} rows in "
            f"{copy_s:.1f} s\n")
        out(f"PostgreSQL {version} over loopback TCP, fsync={fsync}, synchronous_commit="
            f"{commit}; SQLite synchronous=FULL; {args.rounds} scans of each kind per run\n")
        rng = random.Random(11)
        chosen = rng.sample(range(min(args.copies, 100000)), args.rounds)
        runs = {}
        for engine, where in (("sqlite", str(path)), ("postgresql", url)):
            runs[(engine, 1)] = _figures(measure(where, chosen, args.patrons, 11, "b1"))
            runs[(engine, 2)] = _figures(two_kiosks(where, chosen, args.patrons))
            runs[(engine, 0)] = _figures(measure(where, chosen, args.patrons, 12, "b1",
                                                 flush=False))
    finally:
        databases.close()
    flush = disk_flush_ms(folder)
    out(f"this disk makes 8 kB durable (write + fdatasync) in p50 {percentile(flush, 50):.2f} "
        f"ms, p95 {percentile(flush, 95):.2f} ms; load average "
        f"{' '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} cores\n")

    columns = [("sqlite", 1), ("postgresql", 1), ("sqlite", 2), ("postgresql", 2),
               ("sqlite", 0), ("postgresql", 0)]
    names = {1: "1 kiosk", 2: "2 kiosks", 0: "no flush"}
    out(f"{'':<20}" + "".join(f"{('SQLite' if e == 'sqlite' else 'PostgreSQL'):>12}"
                              for e, _ in columns) + "\n")
    out(f"{'figure':<20}" + "".join(f"{names[k]:>12}" for _, k in columns)
        + f"{'goal':>7}{'goal/pg1':>10}{'goal/pg2':>10}\n")
    for key in ("borrow_p50_ms", "borrow_p95_ms", "borrow_p99_ms", "borrow_statements",
                "return_p50_ms", "return_p95_ms", "return_p99_ms", "return_statements",
                "scans_per_s"):
        values = [runs[c][key] for c in columns]
        goal = GOAL_P95_MS if key.endswith("p95_ms") else None
        ratios = "".join(f"{goal / runs[('postgresql', k)][key]:>9.2f}x" for k in (1, 2)) \
            if goal else ""
        out(f"{key:<20}" + "".join(f"{v:>12.2f}" for v in values)
            + f"{goal or '':>7}{ratios}\n")
    for kiosks in (1, 2):
        pg, lite = runs[("postgresql", kiosks)], runs[("sqlite", kiosks)]
        out(f"{kiosks} kiosk(s): PostgreSQL / SQLite p95: borrow "
            f"{pg['borrow_p95_ms'] / lite['borrow_p95_ms']:.2f}x, return "
            f"{pg['return_p95_ms'] / lite['return_p95_ms']:.2f}x\n")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out(f"peak memory {peak_mb:.0f} MB (this process)\n")
    met = all(runs[("postgresql", k)][f"{n}_p95_ms"] <= GOAL_P95_MS for k in (1, 2)
              for n in ("borrow", "return"))
    out("all goals met\n" if met else "GOAL MISSED\n")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
