"""Importing 5,000 students takes at most 5 s (bulk lookups, chunked inserts)."""
import time

from db.models import Patron
from kiosk.imports.runner import run_import
from bench.bench_import import write_students


def test_five_thousand_students_within_five_seconds(fresh, tmp_path):
    path = write_students(tmp_path / "hs.xlsx", 5000)
    start = time.perf_counter()
    report = run_import(fresh, "students", path)
    first = time.perf_counter() - start
    assert (report.created, report.errors) == (5000, [])
    assert first <= 5.0, f"first import took {first:.2f} s"
    changed = write_students(tmp_path / "hs2.xlsx", 5000, seed=7)  # other names: all updated
    start = time.perf_counter()
    report = run_import(fresh, "students", changed)
    second = time.perf_counter() - start
    assert report.created == 0 and report.updated > 4000
    assert second <= 5.0, f"re-import took {second:.2f} s"
    assert Patron.select().count() == 5000
