"""The real kiosk window on a PostgreSQL server whose cable is pulled and put back: the home
screen says "Mất kết nối máy chủ", a scan is refused clearly, the staff status tab names the
server, and everything carries on when the server is back. Screenshots and a JSON report.

Run as ``python -m tests.ui.server_gone_scenario OUT_DIR WIDTH HEIGHT URL [--new-database]``
under a display, URL an empty migrated database (the test makes one), or with
``--new-database`` a server on which a database is made for the run and dropped after it
(``scripts/screenshots`` does that when KIOSK_TEST_POSTGRES names a server).
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

from tests.netlink import CuttableLink  # noqa: E402
from tests.ui.scenario import STEP_S, Driver  # noqa: E402


class ServerGoneDriver(Driver):
    """The script: connected, the staff status tab, the cable pulled, put back."""

    def __init__(self, app, out_dir: Path, shots: bool, link: CuttableLink):
        super().__init__(app, out_dir, shots)
        self.link = link

    def script(self):
        from db.engine import engine_of
        from kiosk.i18n import t
        app, flow = self.app, self.app.flow
        database = app.ports.database
        context = flow.context
        probe = engine_of(context.db).start_probe(context.db, interval_s=0.2)
        try:
            yield 0.5
            self.expect("home")
            self.scan("CB0001")
            yield STEP_S
            for digit in "2468":
                self.tap(digit)
            self.tap(t("ui.staff.ok"))
            yield from self.until(lambda: flow.screen == "staff_review")
            yield 0.5  # the screen is laid out before it is touched
            yield from self.tab("status")
            yield from self.until(lambda: flow.presenter.tab == "status")
            yield 0.4
            if flow.presenter.tab != "status":
                self.fail("the status tab did not open")
            if "đang kết nối" not in flow.presenter.database_line():
                self.fail(f"status tab says {flow.presenter.database_line()!r}")
            self.shot("30-staff-status-server")
            self.tap(t("ui.staff.sign_out_as", name="Thư"))
            yield STEP_S

            self.link.cut()
            yield from self.until(lambda: not database.status().reachable, timeout=15)
            yield 1.2  # the home screen reads it on its next tick
            home = flow.home_presenter
            if flow.screen != "home" or not home.server_gone:
                self.fail(f"home does not say the server is gone (on {flow.screen})")
            self.shot("31-home-server-gone")
            self.scan("0123456789")
            yield STEP_S
            self.expect("home")
            if home.message_text != t("refusal.db_unreachable"):
                self.fail(f"a scan while the server is gone shows {home.message_text!r}")
            self.shot("32-home-server-gone-scan")

            self.link.join()
            yield from self.until(lambda: database.status().reachable, timeout=15)
            yield 1.2
            if home.server_gone:
                self.fail("home still says the server is gone after it came back")
            self.scan("0123456789")
            yield STEP_S
            self.expect("borrow")
            self.scan("TK.00001")
            yield from self.until(lambda: flow.presenter.lines, timeout=5)
            lines = getattr(flow.presenter, "lines", [])
            if not lines or not lines[-1].ok:
                self.fail(f"borrow after the server came back: {[l.text for l in lines]}")
            self.shot("33-borrow-after-server-back")
        finally:
            probe.stop()


def main(argv: list[str]) -> int:
    """``OUT_DIR WIDTH HEIGHT URL [--new-database] [--no-shots]``."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    out_dir, width, height, url = Path(argv[0]), int(argv[1]), int(argv[2]), argv[3]
    shots = "--no-shots" not in argv
    out_dir.mkdir(parents=True, exist_ok=True)
    if "--new-database" in argv:
        from tests.postgres import Databases
        databases = Databases(url)
        try:
            return _run(out_dir, width, height, databases.new(), shots)
        finally:
            databases.close()
    return _run(out_dir, width, height, url, shots)


def _run(out_dir: Path, width: int, height: int, url: str, shots: bool) -> int:
    parts = urlsplit(url)
    link = CuttableLink(parts.hostname, parts.port)
    far = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{link.port}"))

    from kiosk.config import config_from_dict
    from kiosk.context import open_context
    from tests.factories import seed_small_school
    config = config_from_dict({
        "school": {"code": "HY-THCS-01", "name": "Trường THCS Thử Nghiệm Nguyễn Trãi",
                   "kiosk_id": "thu-vien-2"},
        "database": {"url": far, "connect_timeout_s": 2},
        "ui": {"fullscreen": False, "width": width, "height": height, "sounds": False}})
    context = open_context(config)
    with context.db.atomic():
        seed_small_school()
    from kiosk.ui.app import KioskApp, configure_window
    configure_window(context.config.ui)
    from kivy.core.window import Window
    Window.size = (width, height)
    from kiosk.ui.sounds import KivySounds
    from kiosk.ui.writes import ClockWrites
    from tests.dummy_ports import make_runtime
    runtime = make_runtime(context, ClockWrites, KivySounds())
    app = KioskApp(runtime)
    driver = ServerGoneDriver(app, out_dir, shots, link)
    driver.start(out_dir / "report.json")
    try:
        app.run()
    finally:
        runtime.close()
        context.close()
        link.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
