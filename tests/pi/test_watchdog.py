"""The kiosk tells systemd it is alive from its UI loop: READY=1 once the home screen is drawn,
then WATCHDOG=1 on the Kivy clock; a stopped loop stops the pings."""
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from kiosk import PROJECT_ROOT
from kiosk.watchdog import Notifier, attach
from tests.pi.helpers import cli_school


class RecordingClock:
    """Stands in for Kivy's clock in the one test that does not open a window."""

    def __init__(self):
        self.scheduled = []

    def schedule_interval(self, callback, every):
        self.scheduled.append((callback, every))


@pytest.fixture
def notify_socket(tmp_path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    path = tmp_path / "notify"
    sock.bind(str(path))
    sock.settimeout(0.2)
    yield sock, path
    sock.close()


def _messages(sock, seconds):
    got, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            got.append(sock.recv(4096).decode())
        except socket.timeout:
            pass
    return got


def test_the_protocol_and_the_interval(notify_socket):
    sock, path = notify_socket
    notifier = Notifier({"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "8000000",
                         "WATCHDOG_PID": "1"})  # cage's pid, not ours: still used
    clock = RecordingClock()
    assert attach(clock, notifier) is notifier
    assert clock.scheduled == [(notifier.ping, 4.0)]
    assert notifier.ready("home") and notifier.ping()
    assert _messages(sock, 0.3) == ["READY=1\nSTATUS=home", "WATCHDOG=1"]
    outside = Notifier({})
    assert not outside.enabled and not outside.ping() and outside.ping_every_s is None
    assert attach(RecordingClock(), outside).ping_every_s is None


@pytest.mark.window
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display (Xvfb)")
def test_the_running_kiosk_pings_from_its_ui_loop(tmp_path, notify_socket):
    sock, path = notify_socket
    config = cli_school(tmp_path, '[printer]\nkind = "none"\n[ui]\nfullscreen = false\n')
    env = dict(os.environ, KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1", KIVY_LOG_MODE="PYTHON",
               PYTHONPATH=str(PROJECT_ROOT), KIVY_HOME=str(tmp_path / "kivy-home"),
               NOTIFY_SOCKET=str(path), WATCHDOG_USEC="600000")
    app = subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--config", str(config)],
                           cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
    try:
        first = []
        deadline = time.monotonic() + 60
        while "READY=1" not in first and time.monotonic() < deadline:
            first += _messages(sock, 0.5)
        assert "READY=1" in first, first
        pings, deadline = [], time.monotonic() + 20  # every 0.3 s once the loop runs freely
        while pings.count("WATCHDOG=1") < 4 and time.monotonic() < deadline:
            pings += _messages(sock, 0.5)
        assert pings.count("WATCHDOG=1") >= 4, pings
        app.send_signal(signal.SIGSTOP)  # the loop stops: so do the pings
        _messages(sock, 0.4)
        assert _messages(sock, 1.5) == []
        app.send_signal(signal.SIGCONT)
        assert "WATCHDOG=1" in _messages(sock, 1.5)
    finally:
        app.send_signal(signal.SIGCONT)
        app.send_signal(signal.SIGTERM)
        output = app.communicate(timeout=30)[0].decode(errors="replace")
    assert "Traceback" not in output, output[-3000:]
