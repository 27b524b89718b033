"""The Pi's root filesystem is read-only (Raspberry Pi OS's overlay): the app, the sync and the
backup must run with everything but the data folder read-only, their code included.

Each command runs in a mount namespace of its own where ``/`` is remounted read-only and only
the data folder is bound writable (as the units' ProtectSystem=strict and ReadWritePaths= do).
The units also give each service a private, writable /tmp (PrivateTmp=yes; python-escpos makes a
temporary folder when imported): here TMPDIR, inside the data folder, stands in for it, so the
X server's socket in the real /tmp stays reachable.
"""
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from kiosk import PROJECT_ROOT
from kiosk.services.circulation import Circulation
from kiosk.config import load_config
from kiosk.context import open_context
from kiosk.standin.server import StandinServer
from tests.pi.helpers import cli_school
from tests.sync.helpers import TOKEN, StandinClient, write_token

READ_ONLY = ('mount --make-rprivate / && mount --bind "$KIOSK_DATA" "$KIOSK_DATA" && '
             'mount -o remount,bind,ro / && exec "$@"')


def _can_unshare() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "sh", "-c", "mount --make-rprivate /"],
                          capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not _can_unshare(),
                                reason="needs root and mount namespaces (unshare -m)")


def read_only(argv, data, env=None, **kwargs):
    """Start ``argv`` with / read-only and only ``data`` writable."""
    (data / "tmp").mkdir(exist_ok=True, mode=0o700)
    full_env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "KIOSK_DATA": str(data),
                "TMPDIR": str(data / "tmp"), **(env or {})}
    return subprocess.Popen(["unshare", "-m", "sh", "-c", READ_ONLY, "sh", *argv], env=full_env,
                            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, **kwargs)


def run_read_only(argv, data, env=None):
    process = read_only(argv, data, env)
    output = process.communicate(timeout=120)[0]
    return process.returncode, output


@pytest.fixture
def school(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    standin = StandinServer(tmp_path / "standin.sqlite3", token=TOKEN).start()
    token = write_token(data / "token")
    config = cli_school(data, f'[sync]\nurl = "{standin.url}"\ntoken_file = "{token}"\n'
                              '[printer]\nkind = "none"\n[ui]\nfullscreen = false\n')
    context = open_context(load_config(config))
    service = Circulation(context)
    assert service.borrow(service.start_session("0123456789"), "TK.00001").ok
    context.close()
    yield data, config, standin
    standin.stop()


def test_the_code_and_everything_else_really_are_read_only(school):
    data, _, _ = school
    status, output = run_read_only(["sh", "-c", f"touch {PROJECT_ROOT}/x; touch {data}/y"], data)
    assert "Read-only file system" in output and (data / "y").exists()
    assert not (PROJECT_ROOT / "x").exists()


def test_backup_and_check_on_a_read_only_root(school):
    data, config, _ = school
    status, output = run_read_only([sys.executable, "-m", "kiosk", "db", "backup",
                                    "--config", str(config)], data)
    assert status == 0, output
    assert len(list((data / "backups").glob("kiosk-*.sqlite3"))) == 1
    status, output = run_read_only([sys.executable, "-m", "kiosk", "db", "check",
                                    "--config", str(config)], data)
    assert status == 0, output


def test_sync_on_a_read_only_root(school):
    data, config, standin = school
    status, output = run_read_only([sys.executable, "-m", "kiosk", "sync", "--once",
                                    "--config", str(config)], data)
    assert status == 0, output
    assert StandinClient(standin.url).stats().get("records", 0) >= 1


@pytest.mark.window
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display (Xvfb)")
def test_the_app_on_a_read_only_root(school):
    data, config, _ = school
    ready = data / "ready"
    app = read_only([sys.executable, "-m", "kiosk", "run", "--config", str(config),
                     "--ready-file", str(ready)], data,
                    env={"KIVY_NO_ARGS": "1", "KIVY_NO_CONSOLELOG": "1", "KIVY_LOG_MODE": "PYTHON",
                         "KIVY_HOME": str(data / "kivy")})
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and app.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert ready.exists(), "the home screen never came"
    finally:
        app.send_signal(signal.SIGTERM)
        try:
            output = app.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            app.kill()
            output = app.communicate()[0]
    assert "Traceback" not in output, output[-3000:]
