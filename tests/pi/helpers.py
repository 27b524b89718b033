"""A school on a real file for the Pi tests, and the ``kiosk`` command run as a real process."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kiosk import PROJECT_ROOT
from kiosk.config import load_config
from kiosk.context import open_context
from tests.factories import seed_small_school


def cli_school(folder: Path, extra: str = "") -> Path:
    """A config file in ``folder`` (database and backups beside it) on a seeded small school."""
    path = folder / "kiosk.toml"
    path.write_text('[school]\ncode = "HY-1"\nname = "Trường THCS Thử"\nkiosk_id = "k1"\n'
                    '[database]\npath = "kiosk.sqlite3"\nbackup_dir = "backups"\n' + extra,
                    encoding="utf-8")
    context = open_context(load_config(path))
    with context.db.atomic():
        seed_small_school()
    context.close()
    return path


def kiosk(*args, config: Path | None = None, stdin: str = "", env: dict | None = None,
          python: str = sys.executable, cwd: Path = PROJECT_ROOT, timeout: float = 120):
    """``python -m kiosk ARGS --config CONFIG`` with a umask of 022 (a hand-run shell's)."""
    full_env = {**os.environ, "PYTHONPATH": str(cwd), **(env or {})}
    full_env.pop("KIOSK_CONFIG", None)
    argv = [python, "-m", "kiosk", *args] + (["--config", str(config)] if config else [])
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=full_env,
                          cwd=cwd, timeout=timeout, preexec_fn=lambda: os.umask(0o022))
