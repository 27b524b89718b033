"""``kiosk run``: start the kiosk with the config from --config or KIOSK_CONFIG.

The touchscreen when there is a screen; with ``--console`` (or no screen at all) the console
kiosk that reads scans from standard input.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from kiosk.cli._common import load_config_for, out, run_command
from kiosk.config import Config
from kiosk.i18n import t

log = logging.getLogger(__name__)


def register(subparsers, common) -> None:
    """Add the ``run`` sub-command."""
    parser = subparsers.add_parser("run", parents=[common], help=t("cli.run_help"))
    parser.add_argument("--ready-file", metavar=t("cli.metavar_file"), default=None,
                        help=t("cli.run_ready_file"))
    parser.add_argument("--console", action="store_true", help=t("cli.run_console"))
    parser.set_defaults(func=run)


def has_screen() -> bool:
    """True when a window can open: an X or Wayland display, or the Pi's KMS console."""
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or Path("/dev/dri/card0").exists() or Path("/dev/dri/card1").exists())


@run_command
def run(args) -> int:
    """Start the kiosk; a bad config stops with one line."""
    config = load_config_for(args)
    return start(config, console=args.console, ready_file=args.ready_file,
                 lang=getattr(args, "lang", None))


def start(config: Config, console: bool = False, ready_file: str | None = None,
          lang: str | None = None) -> int:
    """The touchscreen kiosk on ``config``, or the console kiosk without a screen. A missing
    database stops it (:class:`~db.errors.DatabaseMissing`) before any window opens."""
    from db.connection import database_exists
    from db.errors import DatabaseMissing

    settings = config.database
    target = settings.url if settings.on_server else config.resolve(settings.path)
    if not database_exists(target):
        raise DatabaseMissing(str(target))
    if console or not has_screen():
        if not console:
            out(t("cli.no_screen"))
        from kiosk.clock_trust import check_at_start
        from kiosk.console import run_console
        from kiosk.context import open_context

        context = open_context(config, create=False)
        check_at_start(context.clock)
        try:
            return run_console(context)
        finally:
            context.close()
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")  # Kivy logs through our handlers
    from kiosk.ui.app import run_app

    return run_app(config, ready_file=ready_file, lang=lang)
