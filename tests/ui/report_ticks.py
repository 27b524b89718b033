"""The real window while the Báo cáo tab computes a school year's report: the Kivy clock must
keep ticking (the report runs on the reader thread), "Đang tính…" shows meanwhile, the figures
after.

Run as ``python -m tests.ui.report_ticks OUT_DIR WIDTH HEIGHT LOANS`` under a display (Xvfb);
writes ``OUT_DIR/ticks.json`` (and screenshots while computing and when done). Used by
``tests/ui/test_report_ticks.py``.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

log = logging.getLogger("report_ticks")


def seed(path: Path, loans: int, width: int, height: int):
    """A school year of ``loans`` loans (the reports benchmark's), a staff member, the context
    on it with today inside that year."""
    from datetime import datetime, timezone

    from bench.bench_reports import build
    from kiosk.clock import Clock
    from kiosk.config import config_from_dict
    from kiosk.context import open_context

    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    build(path, loans)
    config = config_from_dict({
        "school": {"code": "B", "name": "Trường THCS Bench", "kiosk_id": "b"},
        "database": {"path": str(path)},
        "ui": {"fullscreen": False, "width": width, "height": height, "sounds": False}})
    clock = Clock(now_fn=lambda: datetime(2027, 5, 31, 9, 0, tzinfo=timezone.utc))
    context = open_context(config, clock)
    context.db.execute_sql(
        "INSERT INTO patron (kind, code, name, search_key, updated_at, grades) "
        "VALUES ('staff', 'CB0001', 'Nguyễn Thị Thư', 'nguyen thi thu', ?, '')",
        (clock.db_now(),))
    return context


class Ticks:
    """Drives the tab and records every frame of the Kivy clock."""

    def __init__(self, app, flow, out: Path):
        self.app, self.flow, self.out = app, flow, out
        self.frames: list[float] = []
        self.asked = self.answered = None
        self.failures: list[str] = []
        self.seen_computing = False

    def frame(self, dt) -> None:
        now = time.monotonic()
        self.frames.append(now)
        reporting = getattr(self.flow.presenter, "reporting", None)
        if reporting is None or self.asked is None or self.answered is not None:
            return
        if reporting.computing is not None:
            if not self.seen_computing:
                self.seen_computing = True
                self._shot("computing")
        else:
            self.answered = now
            from kivy.clock import Clock
            Clock.schedule_once(lambda dt: self._done(), 0.3)

    def start(self) -> None:
        from kivy.clock import Clock
        Clock.schedule_interval(self.frame, 0)
        Clock.schedule_once(lambda dt: self._open(), 0.5)

    def _open(self) -> None:
        from db.queries import patrons
        self.flow.follow("staff:signed_in", staff=patrons.by_code("CB0001"))
        from kivy.clock import Clock
        Clock.schedule_once(lambda dt: self._to_reports(), 0.5)

    def _to_reports(self) -> None:
        review = self.flow.presenter
        review.reporting.term = "year"  # the whole school year: the biggest report
        self.asked = time.monotonic()
        review.show_tab("reports")  # what the tab's button does (its touch is tested elsewhere)

    def _shot(self, name: str) -> None:
        from kivy.core.window import Window
        made = Window.screenshot(name=str(self.out / f"ticks-{name}-tmp.png"))
        if made and Path(made).exists():
            Path(made).replace(self.out / f"ticks-{name}.png")

    def _done(self) -> None:
        self._shot("done")
        reporting = self.flow.presenter.reporting
        inside = [f for f in self.frames if self.asked <= f <= self.answered]
        gaps = [b - a for a, b in zip(inside, inside[1:])]
        # The first gap may hold the tap's own redraw; every later one is the clock ticking.
        report = {
            "seconds": self.answered - self.asked, "frames": len(inside),
            "largest_gap": max(gaps, default=self.answered - self.asked),
            "computing_shown": self.seen_computing,
            "recorded": reporting.usage.recorded if reporting.usage else None,
            "groups": [g[0] for g in reporting.usage_groups()],
        }
        (self.out / "ticks.json").write_text(json.dumps(report, ensure_ascii=False))
        self.app.stop()


def main(argv: list[str]) -> int:
    """``OUT_DIR WIDTH HEIGHT LOANS``."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    out, width, height, loans = Path(argv[0]), int(argv[1]), int(argv[2]), int(argv[3])
    out.mkdir(parents=True, exist_ok=True)
    context = seed(out / "year.sqlite3", loans, width, height)
    from kiosk.ui.app import KioskApp, configure_window
    configure_window(context.config.ui)
    from kivy.core.window import Window
    Window.size = (width, height)
    from kiosk.ui.sounds import KivySounds
    from kiosk.ui.writes import ClockWrites
    from tests.dummy_ports import make_runtime
    runtime = make_runtime(context, ClockWrites, KivySounds())
    app = KioskApp(runtime)
    ticks = Ticks(app, runtime.flow, out)  # held: the Kivy clock keeps weak references only
    ticks.start()
    try:
        app.run()
    finally:
        runtime.close()
        context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
