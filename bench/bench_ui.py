#!/usr/bin/env python3
"""UI benchmark: launch-to-home time, and scan-to-line latency on a database of 100,000 copies.

* launch: ``python -m kiosk run --ready-file F`` in a subprocess; the time from starting the
  process until the home screen's first frame has been drawn (the app writes F then). Median
  and worst of a few runs. Target: at most 4 s.
* scan-to-line: the real app on a database with 100,000 copies (10,000 titles, 2,000
  students); a keyboard-wedge scan arrives as key events; the time from the last key (Enter)
  until the frame showing the item's line has been drawn (Window ``on_flip``). Borrows (20
  students x 5 books) and returns on the home screen. Target: p95 at most 100 ms.

Run under a display: ``xvfb-run -a .venv/bin/python bench/bench_ui.py``. Prints one JSON
object; ``--copies N`` changes the size.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_database(directory: Path, copies: int) -> Path:
    """A config and a database with ``copies`` book copies, written with executemany."""
    from kiosk.config import load_config
    from kiosk.context import open_context

    directory.mkdir(parents=True, exist_ok=True)
    db_path = directory / "kiosk.sqlite3"
    config_path = directory / "kiosk.toml"
    config_path.write_text(
        "[school]\ncode = \"BENCH\"\nname = \"Trường THCS Đo Hiệu Năng\"\nkiosk_id = \"bench\"\n"
        f"[database]\npath = \"{db_path}\"\n"
        "[ui]\nfullscreen = false\nwidth = 800\nheight = 480\nsounds = false\n"
        "[loans]\nblock_students_with_overdue = false\n"
        "[loans.student]\nmax_books = 10\n")
    context = open_context(load_config(config_path))
    conn = context.db.connection()
    now = "2026-11-26 02:00:00"
    titles = max(1, copies // 10)
    with context.db.atomic():
        conn.executemany(
            "INSERT INTO title (id, title, search_key, author, updated_at) VALUES (?,?,?,?,?)",
            [(i, f"Sách tham khảo số {i}", f"sach tham khao so {i}", "Tác giả", now)
             for i in range(1, titles + 1)])
        conn.executemany(
            "INSERT INTO copy (barcode, title_id, store, status, condition, updated_at) "
            "VALUES (?,?,?,?,?,?)",
            [(f"TK.{i:05d}" if i < 100000 else f"TN.{i - 99999:05d}", 1 + (i - 1) % titles,
              "TK", "available", "good", now) for i in range(1, copies + 1)])
        conn.executemany(
            "INSERT INTO patron (kind, code, name, search_key, class_name, grade, active, "
            "updated_at) VALUES (?,?,?,?,?,?,1,?)",
            [("student", f"{1000000000 + i}", f"Học sinh {i}", f"hoc sinh {i}",
              f"{6 + i % 4}A{1 + i % 8}", 6 + i % 4, now) for i in range(2000)])
    context.close()
    return config_path


def measure_launch(config_path: Path, runs: int) -> list[float]:
    """Seconds from process start to the home screen's first frame, per run."""
    times = []
    env = dict(os.environ, KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1", KIVY_LOG_MODE="PYTHON")
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            ready = Path(tmp) / "ready"
            started = time.time()
            process = subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--config",
                                        str(config_path), "--ready-file", str(ready)],
                                       cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            try:
                deadline = started + 30
                while not ready.exists() and time.time() < deadline:
                    time.sleep(0.01)
                if ready.exists():
                    text = ready.read_text().strip()
                    while not text:
                        time.sleep(0.005)
                        text = ready.read_text().strip()
                    times.append(float(text) - started)
            finally:
                process.terminate()
                process.wait(timeout=10)
    return times


def latency_child(config_path: Path, out: Path) -> None:
    """Inside the app process: scan, and time Enter -> the frame with the line drawn."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    from kiosk.config import load_config
    from kiosk.context import open_context
    from kiosk.ui.app import KioskApp, configure_window

    context = open_context(load_config(config_path))
    configure_window(context.config.ui)
    from kivy.clock import Clock
    from kivy.core.window import Window

    app = KioskApp(context)
    results = {"borrow": [], "return": []}
    pending = {}

    def flipped(*_):
        if "t0" in pending:
            kind = pending.pop("kind")
            results[kind].append(time.perf_counter() - pending.pop("t0"))

    def scan(code: str, kind: str | None = None):
        for ch in code:
            Window.dispatch("on_key_down", ord(ch.lower()), 0, ch.lower(), [])
            Window.dispatch("on_textinput", ch)
        if kind:
            pending["kind"] = kind
            pending["t0"] = time.perf_counter()
        Window.dispatch("on_key_down", 13, 40, None, [])

    def script():
        yield 0.5
        n = 1
        for student in range(20):
            scan(f"{1000000000 + student}")
            yield 0.1
            for _ in range(5):
                scan(f"TK.{n * 97 % 99999 + 1:05d}", "borrow")
                n += 1
                yield 0.05
            app.flow.presenter.done()
            app.flow.home()
            yield 0.05
        for m in range(1, 60):
            scan(f"TK.{m * 97 % 99999 + 1:05d}", "return")
            yield 0.05

    steps = script()

    def step(dt):
        try:
            Clock.schedule_once(step, next(steps))
        except StopIteration:
            out.write_text(json.dumps(results))
            app.stop()

    Window.bind(on_flip=flipped)
    Clock.schedule_once(step, 0.3)
    app.run()
    context.close()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100_000)
    parser.add_argument("--launch-runs", type=int, default=3)
    parser.add_argument("--latency-child", nargs=2, metavar=("CONFIG", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.latency_child:
        latency_child(Path(args.latency_child[0]), Path(args.latency_child[1]))
        return 0
    if not os.environ.get("DISPLAY"):
        sys.stderr.write("bench_ui: needs a display; run under xvfb-run -a\n")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        config_path = build_database(tmp / "db", args.copies)
        build_s = time.perf_counter() - started
        launch = measure_launch(config_path, args.launch_runs)
        out = tmp / "latency.json"
        env = dict(os.environ, KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1", KIVY_LOG_MODE="PYTHON")
        subprocess.run([sys.executable, __file__, "--latency-child", str(config_path), str(out)],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=300)
        latency = json.loads(out.read_text())
    report = {
        "copies": args.copies,
        "build_db_s": round(build_s, 2),
        "launch_to_home_s": {"runs": [round(x, 3) for x in launch],
                             "median": round(statistics.median(launch), 3) if launch else None,
                             "max": round(max(launch), 3) if launch else None, "target": 4.0},
    }
    for kind, values in latency.items():
        ms = [v * 1000 for v in values]
        report[f"scan_to_line_{kind}_ms"] = {
            "n": len(ms), "median": round(statistics.median(ms), 1) if ms else None,
            "p95": round(p95(ms), 1) if ms else None, "max": round(max(ms), 1) if ms else None,
            "target_p95": 100}
    sys.stdout.write(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    ok = (launch and max(launch) <= 4.0 and all(
        report[f"scan_to_line_{k}_ms"]["p95"] is not None
        and report[f"scan_to_line_{k}_ms"]["p95"] <= 100 for k in latency))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
