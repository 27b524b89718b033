"""Stock-take benchmark: load a scanner's batch file of 20,000 codes into a stock-take of a
store of 100,000 copies (classify each code: found, misplaced, unknown, duplicate; record it),
then the progress lists and the finish (every copy's status, corrections, one transaction).

    .venv/bin/python -m bench.bench_stocktake [--copies 100000] [--codes 20000]

Goal (issue 12): the load takes at most 2 s here. Prints time, peak memory (tracemalloc of the
Python heap, and the process's max RSS) and the ratio to the goal.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.config import config_from_dict  # noqa: E402
from kiosk.context import open_context  # noqa: E402
from kiosk.services.staff import hash_pin  # noqa: E402
from kiosk.services.stocktake import StocktakeService  # noqa: E402
from tests.factories import FrozenClock  # noqa: E402

GOAL_LOAD_S = 2.0
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)


def build(path: Path, copies: int) -> object:
    """A school with ``copies`` copies: 90% in TK, the rest in GK; a staff member."""
    config = config_from_dict({"school": {"code": "BENCH", "name": "Bench", "kiosk_id": "b1"},
                               "database": {"path": str(path)}})
    context = open_context(config, clock=FrozenClock(NOW))
    db = context.db
    stamp = "2026-08-01 00:00:00"
    with db.atomic():
        db.execute_sql("INSERT INTO patron (kind, code, name, pin_hash, updated_at) VALUES "
                       "('staff', 'CB0001', 'Thủ thư', ?, ?)", (hash_pin("1234"), stamp))
        titles = max(1, copies // 5)
        db.connection().executemany(
            "INSERT INTO title (id, title, search_key, price, updated_at) VALUES (?, ?, ?, ?, ?)",
            [(n + 1, f"Sách số {n}", f"sach so {n}", 20000 + n % 50 * 1000, stamp)
             for n in range(titles)])
        tk = copies * 9 // 10
        db.connection().executemany(
            "INSERT INTO copy (id, barcode, title_id, store, updated_at) VALUES (?, ?, ?, ?, ?)",
            [(n + 1, f"TK.{n:06d}" if n < tk else f"GK.{n - tk:06d}", n % titles + 1,
              "TK" if n < tk else "GK", stamp) for n in range(copies)])
    return context


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=100_000)
    parser.add_argument("--codes", type=int, default=20_000)
    args = parser.parse_args(argv)
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        context = build(Path(tmp) / "bench.sqlite3", args.copies)
        tk = args.copies * 9 // 10
        codes = [f"TK.{n:06d}" for n in rng.sample(range(tk), args.codes * 95 // 100)]
        codes += [f"GK.{n:06d}" for n in range(args.codes * 2 // 100)]  # misplaced
        codes += [f"XX.{n:06d}" for n in range(args.codes // 100)]  # unknown
        codes += codes[: args.codes - len(codes)]  # duplicates
        batch = Path(tmp) / "batch.txt"
        batch.write_text("\n".join(codes) + "\n")
        service = StocktakeService(context)
        take_id = service.start("CB0001", "book", store="TK").params["stocktake_id"]

        started = time.perf_counter()
        outcome = service.load(take_id, batch)
        load_s = time.perf_counter() - started
        assert outcome.ok, outcome.code
        # Memory in a second session of the same load (tracemalloc slows Python down 2-3x, so
        # it is not on while timing).
        again = service.start("CB0001", "book", store="TK").params["stocktake_id"]
        tracemalloc.start()
        service.load(again, batch)
        _, load_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        started = time.perf_counter()
        progress = service.progress(take_id)
        progress_s = time.perf_counter() - started
        started = time.perf_counter()
        finished = service.finish(take_id, "CB0001", confirm=())
        finish_s = time.perf_counter() - started
        assert finished.ok, finished.code
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        context.close()
    print(f"stock-take of {args.copies:,} copies (TK: {tk:,}), batch file of "
          f"{len(codes):,} codes")
    print(f"  load:     {load_s:6.2f} s   goal <= {GOAL_LOAD_S:.1f} s   "
          f"ratio {load_s / GOAL_LOAD_S:.2f}   {'MET' if load_s <= GOAL_LOAD_S else 'MISSED'}"
          f"   (found {outcome.params['found']:,}, misplaced {outcome.params['misplaced']:,},"
          f" unknown {outcome.params['unknown']:,}, duplicates "
          f"{outcome.params['duplicates']:,})")
    print(f"  progress: {progress_s:6.2f} s   ({len(progress.found):,} found, "
          f"{len(progress.not_seen):,} not seen)")
    print(f"  finish:   {finish_s:6.2f} s   (every copy's status, no corrections)")
    print(f"  memory:   load peak {load_peak / 2 ** 20:.1f} MiB Python heap; "
          f"process max RSS {rss_mb:.0f} MiB")
    return 0 if load_s <= GOAL_LOAD_S else 1


if __name__ == "__main__":
    sys.exit(main())
