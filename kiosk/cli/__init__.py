"""The ``kiosk`` command.

Each module in this package adds one sub-command: it defines ``register(subparsers, common)``,
which calls ``subparsers.add_parser(..., parents=[common])`` and sets ``func`` to a function
``(args) -> int`` (the exit status). Modules are found by name, so adding a command is adding a
file. Output goes through the translation catalog, Vietnamese unless ``--lang en``.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys

from kiosk.i18n import DEFAULT_LANG, LANGUAGES, set_language, t
from kiosk.private import keep_files_private

log = logging.getLogger(__name__)


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                        help=t("cli.opt_config"))
    common.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=t("cli.opt_lang"))
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help=t("cli.opt_verbose"))
    return common


def _pre_scan_language(argv: list[str]) -> None:
    """Pick the language before the parser is built, so ``--help`` itself is translated."""
    lang = os.environ.get("KIOSK_LANG")
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    set_language(lang if lang in LANGUAGES else DEFAULT_LANG)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every sub-command module registered."""
    common = _common_options()
    parser = argparse.ArgumentParser(prog="kiosk", description=t("cli.description"),
                                     parents=[common])
    subparsers = parser.add_subparsers(dest="command", metavar=t("cli.command_metavar"))
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.register(subparsers, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kiosk`` console script."""
    keep_files_private()
    argv = list(sys.argv[1:] if argv is None else argv)
    _pre_scan_language(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return args.func(args)
