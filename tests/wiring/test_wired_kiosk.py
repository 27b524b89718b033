"""The whole kiosk as it runs at a school: ``kiosk run`` under Xvfb with a serial scanner on a
pty, the preview printer and the sync pushing to the stand-in provincial server.

A student's card and a book arrive from the serial scanner; the card again ends the session; the
receipt comes out as a PNG whose QR code holds the loan's transaction reference; the record
reaches the provincial server.
"""
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.config import config_from_dict
from kiosk.context import open_context
from kiosk.standin.server import StandinServer
from tests.factories import seed_small_school
from tests.sync.helpers import TOKEN, StandinClient, write_token

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.window, pytest.mark.slow,
              pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display (Xvfb)")]


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@contextlib.contextmanager
def running_kiosk(folder: Path, config_path: Path):
    """``kiosk run`` as its own process until the block ends; no traceback allowed."""
    env = dict(os.environ, KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1", KIVY_LOG_MODE="PYTHON",
               PYTHONPATH=str(ROOT), KIVY_HOME=str(folder / "kivy-home"))
    ready = folder / "ready"
    app = subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--config", str(config_path),
                            "--ready-file", str(ready)], cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    failed = None
    try:
        _wait(ready.exists, 30, "the home screen")
        yield app
    except AssertionError as exc:
        failed = exc
    finally:
        app.send_signal(signal.SIGTERM)
        try:
            output = app.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            app.kill()
            output = app.communicate()[0].decode(errors="replace")
    if failed is not None:  # what the kiosk logged says why
        raise AssertionError(f"{failed}; the kiosk said:\n{output[-4000:]}") from failed
    assert "Traceback" not in output, output[-3000:]


@contextlib.contextmanager
def database_of(folder: Path):
    """The kiosk's database, opened after the app stopped."""
    config = config_from_dict({"school": {"code": "HY-THCS-01", "name": "x"},
                               "database": {"path": str(folder / "kiosk.sqlite3")}})
    context = open_context(config, migrate_schema=False)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def school(tmp_path):
    """A config file, a seeded database, a serial scanner pty and a stand-in server."""
    master, slave = os.openpty()
    standin = StandinServer(tmp_path / "standin.sqlite3", token=TOKEN).start()
    token = write_token(tmp_path / "province.token")
    config_path = tmp_path / "kiosk.toml"
    config_path.write_text(f"""
[school]
code = "HY-THCS-01"
name = "Trường THCS Thử Nghiệm"
kiosk_id = "kiosk-wired"
[database]
path = "kiosk.sqlite3"
[[scanner]]
kind = "keyboard"
[[scanner]]
kind = "serial"
port = "{os.ttyname(slave)}"
baudrate = 9600
[printer]
kind = "preview"
path = "receipts"
width_dots = 576
[sync]
url = "{standin.url}"
token_file = "{token}"
interval_s = 0.5
[ui]
fullscreen = false
width = 800
height = 480
""", encoding="utf-8")
    config = config_from_dict({"school": {"code": "HY-THCS-01", "name": "x"},
                               "database": {"path": str(tmp_path / "kiosk.sqlite3")}})
    context = open_context(config)
    with context.db.atomic():
        seed_small_school()
    context.close()
    yield tmp_path, config_path, master, standin
    standin.stop()
    os.close(master)
    os.close(slave)


def test_serial_scans_borrow_print_and_push(school):
    folder, config_path, scanner, standin = school
    with running_kiosk(folder, config_path):
        for code in ("0123456789", "TK.00001"):
            os.write(scanner, code.encode() + b"\r\n")
            time.sleep(0.4)
        os.write(scanner, b"0123456789\r\n")  # the card again ends the session: receipt
        receipts = _wait(lambda: sorted((folder / "receipts").glob("*.png")), 20, "a receipt")
        with Image.open(receipts[0]) as image:
            texts = [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
        client = StandinClient(standin.url)
        _wait(lambda: client.stats().get("records", 0) >= 1, 20, "the push")
    with database_of(folder):
        from db.models import Loan, Outbox
        loan = Loan.get()
        assert loan.copy.barcode == "TK.00001" and loan.patron.code == "0123456789"
        assert loan.kiosk_id == "kiosk-wired"
        assert texts == [loan.txn_ref]
        pushed = Outbox.get(Outbox.type == "loan.borrowed")
        assert pushed.state == "sent"
        assert json.loads(pushed.data)["item_barcode"] == "TK.00001"


def test_a_keyboard_scanner_typing_into_the_real_window(school):
    """Real X key presses (xdotool types like a wedge scanner: Shift for capitals, Enter)."""
    folder, config_path, _, _ = school
    with running_kiosk(folder, config_path):
        # No window manager on Xvfb: the keyboard goes to the window under the pointer. Move
        # it out and back in, so the new window gets the crossing event even when an earlier
        # test left the pointer at the same spot.
        for x, y in (("900", "700"), ("200", "200")):
            subprocess.run(["xdotool", "mousemove", x, y], check=True, timeout=10)
        for code in ("0123456789", "GK.00001", "0123456789"):
            subprocess.run(["xdotool", "type", "--delay", "5", code], check=True, timeout=10)
            subprocess.run(["xdotool", "key", "Return"], check=True, timeout=10)
            time.sleep(0.5)
        _wait(lambda: sorted((folder / "receipts").glob("*.png")), 20, "a receipt")
    with database_of(folder):
        from db.models import Loan
        assert [loan.copy.barcode for loan in Loan.select()] == ["GK.00001"]
