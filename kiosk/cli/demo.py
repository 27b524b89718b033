"""``kiosk demo [--prepare DIR]``: the demo school, ready to try without any hardware.

``--prepare DIR`` writes the demo's config and database into DIR and exits, so the other
commands can be tried on it (``kiosk --config DIR/kiosk.toml ...``). Without it, the demo is
prepared once in the user's data folder and the kiosk starts on it.
"""
from __future__ import annotations

import logging
from pathlib import Path

from db.errors import DatabaseError
from kiosk.cli._common import out as say
from kiosk.config import ConfigError
from kiosk.demo import DemoError, demo_dir, demo_pin, is_prepared, prepare_demo
from kiosk.i18n import t
from kiosk.imports.errors import ImportFileError

log = logging.getLogger(__name__)


def register(subparsers, common) -> None:
    """Add the ``demo`` sub-command."""
    parser = subparsers.add_parser("demo", parents=[common], help=t("demo.cli_help"),
                                   description=t("demo.cli_help"))
    parser.add_argument("--prepare", metavar=t("demo.cli_dir_metavar"), default=None,
                        help=t("demo.cli_prepare"))
    parser.add_argument("--console", action="store_true", help=t("cli.run_console"))
    parser.set_defaults(func=run)


def run(args) -> int:
    """Prepare the demo (and start the kiosk unless ``--prepare`` was given)."""
    target = Path(args.prepare) if args.prepare else demo_dir()
    if args.prepare or not is_prepared(target):
        try:
            config_path = prepare_demo(target)
        except (DemoError, ImportFileError, ConfigError, DatabaseError, OSError) as exc:
            log.debug("demo preparation failed", exc_info=True)
            say(t("demo.failed", error=str(exc)))
            return 2
        say(t("demo.prepared", path=str(config_path)))
        say(t("demo.staff_pin", pin=demo_pin()))
    else:
        config_path = target / "kiosk.toml"
    if args.prepare:
        say(t("demo.try_it", path=str(config_path)))
        return 0
    return start_kiosk(config_path, console=args.console)


def start_kiosk(config_path: Path, console: bool = False) -> int:
    """Start the kiosk on ``config_path``: the touchscreen, or the console without a screen."""
    from kiosk.cli.run import start
    from kiosk.config import load_config

    return start(load_config(config_path), console=console)
