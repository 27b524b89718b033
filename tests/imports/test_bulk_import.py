"""A school-sized file: 5,000 students import, and re-import as updates (the time is measured
by bench/bench_import.py, not here)."""
from db.models import Patron
from kiosk.imports.runner import run_import
from bench.bench_import import write_students


def test_five_thousand_students_then_all_renamed(fresh, tmp_path):
    path = write_students(tmp_path / "hs.xlsx", 5000)
    report = run_import(fresh, "students", path)
    assert (report.created, report.errors) == (5000, [])
    changed = write_students(tmp_path / "hs2.xlsx", 5000, seed=7)  # other names: all updated
    report = run_import(fresh, "students", changed)
    assert report.created == 0 and report.updated > 4000
    assert Patron.select().count() == 5000
