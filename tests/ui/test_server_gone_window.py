"""The real window on a PostgreSQL server whose cable is pulled and put back (see
``server_gone_scenario``): what the home screen, a scan and the staff status tab show."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.window, pytest.mark.slow,
              pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display (Xvfb)")]


def test_home_says_the_server_is_gone_and_the_kiosk_carries_on(tmp_path, pg_databases):
    url = pg_databases.new()
    env = dict(os.environ, KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1", KIVY_LOG_MODE="PYTHON")
    done = subprocess.run([sys.executable, "-m", "tests.ui.server_gone_scenario", str(tmp_path),
                           "800", "480", url], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    pg_databases.drop(url)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["failures"] == []
    assert report["screens"] == ["home", "home", "borrow"]
    names = [Path(shot).stem for shot in report["shots"]]
    assert names == ["30-staff-status-server", "31-home-server-gone",
                     "32-home-server-gone-scan", "33-borrow-after-server-back"]
    # The warning is drawn: the refused red of the prompt is on the screen while it is gone,
    # and not once the kiosk is back.
    red = (184, 25, 25)

    def has_red(name: str) -> bool:
        pixels = numpy.asarray(Image.open(tmp_path / f"{name}.png").convert("RGB"), dtype=int)
        return bool((numpy.abs(pixels - red).max(axis=2) < 20).any())
    assert has_red("31-home-server-gone")
    assert not has_red("33-borrow-after-server-back")
