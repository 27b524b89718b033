"""Reports benchmark: the registers of a whole school year and the year's reports, at 10k, 100k
and 1M loans.

    .venv/bin/python -m bench.bench_reports [--sizes 10000 100000 1000000] [--pdf]

Builds each school year in a temporary SQLite file (90 % book loans to 1,200 students, 10 %
equipment loans for lessons of 40 teachers, quotas, class visits), then runs each measurement
in a fresh process so its peak memory (RSS) is its own (the build too: a child's peak RSS starts
from its parent's). Wall time and CPU time are both printed: on a shared machine the CPU time is
the steadier figure. Goals (issue 11): registers of a year
at 1M loans in at most 30 s and 200 MB; each report over a year at 1M loans in at most 2 s.
Baseline (before: a full in-memory openpyxl workbook): 205 s and about 2.2 GB at 1M loans,
22.9 s and 286 MB at 100k.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOALS = {"export_s": 30.0, "export_mb": 200.0, "report_s": 2.0}
BASELINE = {100_000: (22.9, 286.0), 1_000_000: (205.0, 2200.0)}
START, END = date(2026, 9, 5), date(2027, 5, 31)
CLASSES = [f"{g}A{n}" for g in range(6, 10) for n in range(1, 9)]  # 32 classes


def build(path: Path, loans: int, seed: int = 11) -> None:
    """A school year with ``loans`` loans."""
    from kiosk.config import config_from_dict
    from kiosk.context import open_context

    rng = random.Random(seed)
    context = open_context(config_from_dict({"school": {"code": "B", "name": "Trường THCS Bench",
                                                        "kiosk_id": "b"},
                                             "database": {"path": str(path)}}))
    db = context.db
    con = db.connection()
    stamp = "2026-08-01 00:00:00"
    students, teachers = 1200, 40
    copies, titles = 20_000, 4_000
    groups = ["Tổ Khoa học tự nhiên", "Tổ Toán - Tin", "Tổ Ngữ văn", "Tổ Khoa học xã hội"]
    subjects = ["KHTN", "Toán", "Ngữ văn", "Lịch sử và Địa lí"]
    with db.atomic():
        con.executemany(
            "INSERT INTO patron (kind, code, name, search_key, class_name, grade, updated_at, "
            "grades) VALUES ('student', ?, ?, ?, ?, ?, ?, '')",
            [(f"{4000000000 + n}", f"Học sinh {n}", f"hoc sinh {n}", CLASSES[n % 32],
              6 + (n % 32) // 8, stamp) for n in range(students)])
        con.executemany(
            "INSERT INTO patron (kind, code, name, search_key, subject_group, subjects, grades, "
            "updated_at) VALUES ('teacher', ?, ?, ?, ?, ?, ?, ?)",
            [(f"GV{n:04d}", f"Giáo viên {n}", f"giao vien {n}", groups[n % 4], subjects[n % 4],
              "6;7", stamp) for n in range(teachers)])
        con.executemany(
            "INSERT INTO title (id, title, search_key, author, publisher, year, price, "
            "classification, updated_at) VALUES (?, ?, ?, 'Tác giả', 'NXB Giáo dục', 2020, "
            "30000, '8(V)', ?)",
            [(n + 1, f"Sách số {n}", f"sach so {n}", stamp) for n in range(titles)])
        con.executemany(
            "INSERT INTO copy (id, barcode, title_id, store, added_on, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(n + 1, f"{'TK' if n % 2 else 'TN'}.{n:05d}", n % titles + 1,
              "TK" if n % 2 else "TN", "2026-08-20", stamp) for n in range(copies)])
        con.execute("INSERT INTO equipment_type (id, code, name, unit, subject, grade, tracking, "
                    "stock_total, stock_on_hand, updated_at, added_on) VALUES (1, 'KHTN6.KHV', "
                    "'Kính hiển vi', 'cái', 'KHTN', '6', 'item', 0, 0, ?, '2025-08-01')", (stamp,))
        con.executemany("INSERT INTO equipment_item (id, barcode, type_id, updated_at, added_on) "
                        "VALUES (?, ?, 1, ?, '2025-08-01')",
                        [(n + 1, f"TB.KHTN6.{n:04d}", stamp) for n in range(400)])
        for subject in subjects:
            for grade in ("6", "7", "8", "9"):
                con.execute("INSERT INTO quota (school_year, term, subject, grade, teacher_code, "
                            "periods, set_by, set_at) VALUES ('2026-2027', 'year', ?, ?, '', "
                            "40, 'CB', ?)", (subject, grade, stamp))
    days = [START + timedelta(days=d) for d in range((END - START).days + 1)
            if (START + timedelta(days=d)).weekday() < 5]
    equipment = loans // 10
    books = loans - equipment
    lesson_rows, loan_rows = [], []
    next_lesson = 1
    for n in range(equipment):
        if n % 2 == 0:  # two lines a lesson
            day = days[(n // 2) % len(days)]
            teacher = 1 + students + rng.randrange(teachers)
            lesson_rows.append((next_lesson, f"l{next_lesson}", f"TB-{next_lesson}", teacher,
                                day, "morning", 1 + n % 5, CLASSES[n % 32],
                                subjects[(teacher - students - 1) % 4],
                                groups[(teacher - students - 1) % 4], f"Bài {n % 70}",
                                n % 70 + 1, "Dạy trên lớp", "b", f"{day} 01:00:00"))
            next_lesson += 1
        lesson_id, _, ref, teacher, day = lesson_rows[-1][:5]
        out = datetime.combine(day, datetime.min.time()) + timedelta(hours=1)
        loan_rows.append((f"e{n}", ref, teacher, "equipment", None, n % 400 + 1, 1, out,
                          day, out + timedelta(hours=3), "good", lesson_id))
    still_out = min(books, copies // 2)  # the year's last loans, one copy each, still out
    for n in range(books):
        day = days[n * len(days) // books]
        out = datetime.combine(day, datetime.min.time()) + timedelta(hours=2, seconds=n % 3000)
        open_loan = n >= books - still_out
        loan_rows.append((f"b{n}", f"GD-{n}", 1 + rng.randrange(students), "book",
                          (books - 1 - n) + 1 if open_loan else rng.randrange(copies) + 1,
                          None, 1, out, day + timedelta(days=14),
                          None if open_loan else out + timedelta(days=7),
                          None if open_loan else "good", None))
    with db.atomic():
        con.executemany(
            "INSERT INTO lesson (id, uid, txn_ref, teacher_id, lesson_date, session, period, "
            "class_name, subject, subject_group, title, ppct, purpose, kiosk_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", lesson_rows)
        con.executemany(
            "INSERT INTO loan (uid, txn_ref, patron_id, kind, copy_id, item_id, quantity, out_at, "
            "due_on, returned_at, return_condition, lesson_id, renewals, kiosk_id, long_term) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'b', 0)", loan_rows)
        con.executemany(
            "INSERT INTO class_visit (uid, class_name, visit_date, students, kiosk_id, "
            "created_at) VALUES (?, ?, ?, 30, 'b', ?)",
            [(f"v{n}", CLASSES[n % 32], days[n % len(days)], stamp) for n in range(600)])
    db.execute_sql("ANALYZE")
    context.close()


def measure(path: Path, what: str, out: Path, pdf: bool) -> dict:
    """Run one measurement in this process (called in a child)."""
    from kiosk.config import config_from_dict
    from kiosk.context import open_context
    from kiosk.i18n import t

    context = open_context(config_from_dict({"school": {"code": "B", "name": "Trường THCS Bench",
                                                        "kiosk_id": "b"},
                                             "database": {"path": str(path)}}))
    started = time.perf_counter()
    cpu_started = time.process_time()
    detail = ""
    if what == "export":
        from kiosk.export.registers import export_registers
        result = export_registers(context, START, END, out, t,
                                  formats=("xlsx", "pdf") if pdf else ("xlsx",), force=True)
        detail = f"{len(result.files)} files, {result.book_lines + result.equipment_lines} lines"
    elif what == "usage":
        from kiosk.reports.calendar import ReportPeriod
        from kiosk.reports.usage import usage_report
        report = usage_report(ReportPeriod(START, END, "2026-2027", "year"), END)
        detail = f"{report.recorded} lessons"
    elif what == "usage-stats":
        from kiosk.reports.calendar import ReportPeriod
        from kiosk.reports.usage import subject_grade_counts
        detail = f"{subject_grade_counts(ReportPeriod(START, END, '2026-2027', 'year')).total}"
    elif what == "reading":
        from kiosk.reports.reading import reading_report
        report = reading_report(context.clock, START, END)
        detail = f"{report.total} student loans"
    elif what == "declarations":
        from kiosk.reports.declarations import declarations_report
        detail = f"{declarations_report(START, END).total('declared')} declared"
    seconds = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The export's helper process (the book registers) counts too: its CPU time, and its peak
    # memory added to this one's (an upper bound of what both held at once).
    cpu = time.process_time() - cpu_started + children.ru_utime + children.ru_stime
    context.close()
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + children.ru_maxrss) / 1024
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak, "detail": detail,
            "load": os.getloadavg()[0]}


def child(path: Path, what: str, out: Path, pdf: bool) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.bench_reports", "--child", str(path),
                           what, str(out)] + (["--pdf"] if pdf else []),
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--pdf", action="store_true", help="also write every register as PDF")
    parser.add_argument("--child", nargs=3, metavar=("DB", "WHAT", "OUT"))
    parser.add_argument("--build", nargs=2, metavar=("DB", "LOANS"))
    args = parser.parse_args(argv)
    if args.build:
        build(Path(args.build[0]), int(args.build[1]))
        return 0
    if args.child:
        db, what, out = args.child
        print(json.dumps(measure(Path(db), what, Path(out), args.pdf)))
        return 0
    status = 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"year-{size}.sqlite3"
            started = time.perf_counter()
            # Built in a process of its own: a child's peak RSS starts from its parent's at fork.
            subprocess.run([sys.executable, "-m", "bench.bench_reports", "--build", str(path),
                            str(size)], cwd=ROOT, check=True)
            print(f"built {size:,} loans in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
            for what in ("export", "usage", "usage-stats", "reading", "declarations"):
                result = child(path, what, Path(tmp) / f"out-{size}", args.pdf)
                rows.append((size, what, result))
                print(f"  {what}: {result['seconds']:.2f} s ({result['cpu']:.2f} s CPU), "
                      f"{result['peak_mb']:.0f} MB ({result['detail']}), load average "
                      f"{result['load']:.1f}", file=sys.stderr)
            path.unlink()
    print(f"{'loans':>10} {'what':<13} {'time s':>8} {'CPU s':>7} {'peak MB':>8} {'load':>5}"
          f"  goal               vs baseline")
    for size, what, r in rows:
        if what == "export":
            goal = f"<= {GOALS['export_s']:.0f} s, {GOALS['export_mb']:.0f} MB"
            ok = r["seconds"] <= GOALS["export_s"] and r["peak_mb"] <= GOALS["export_mb"]
            base = BASELINE.get(size)
            versus = (f"{base[0] / r['seconds']:.1f}x faster, {base[1] / r['peak_mb']:.1f}x "
                      f"less memory" if base else "")
        else:
            goal = f"<= {GOALS['report_s']:.0f} s"
            ok = r["seconds"] <= GOALS["report_s"]
            versus = ""
        if size == max(args.sizes) and not ok:
            status = 1
        mark = "ok" if ok else "MISSED"
        print(f"{size:>10,} {what:<13} {r['seconds']:>8.2f} {r['cpu']:>7.2f} {r['peak_mb']:>8.0f} "
              f"{r['load']:>5.1f}  {goal:<18} {mark:<6} {versus}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
