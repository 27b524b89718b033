"""``kiosk run``: start the touchscreen kiosk with the config from --config or KIOSK_CONFIG."""
from __future__ import annotations

import logging

from kiosk.config import ConfigError
from kiosk.i18n import t

log = logging.getLogger(__name__)


def register(subparsers, common) -> None:
    """Add the ``run`` sub-command."""
    parser = subparsers.add_parser("run", parents=[common], help=t("cli.run_help"))
    parser.add_argument("--ready-file", metavar="PATH", default=None,
                        help=t("cli.run_ready_file"))
    parser.set_defaults(func=run)


def run(args) -> int:
    """Start the Kivy app; a bad config stops with one line."""
    import os
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")  # Kivy logs through our handlers
    from kiosk.ui.app import run_app
    try:
        return run_app(getattr(args, "config", None), ready_file=args.ready_file,
                       lang=getattr(args, "lang", None))
    except ConfigError as exc:
        log.error("%s", exc)
        return 2
