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

from kiosk.cli._argparse import install as install_argparse_translation
from kiosk.cli._argparse import localise_metavars
from kiosk.i18n import DEFAULT_LANG, LANGUAGES, set_language, t
from kiosk.logs import configure as configure_logging
from kiosk.private import keep_files_private

log = logging.getLogger(__name__)


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar=t("cli.metavar_file"), default=argparse.SUPPRESS,
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
    subparsers = parser.add_subparsers(dest="command", metavar=t("cli.command_metavar"),
                                       help=t("cli.command_help"))
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.register(subparsers, common)
    localise_metavars(parser)
    return parser


#: The exit status after the reader of our output went away (``kiosk find ... | head``): what
#: a shell reports for a command ended by SIGPIPE.
EXIT_BROKEN_PIPE = 141


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kiosk`` console script."""
    keep_files_private()
    argv = list(sys.argv[1:] if argv is None else argv)
    _pre_scan_language(argv)
    install_argparse_translation()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        configure_logging(verbose=getattr(args, "verbose", False))
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        return args.func(args)
    except BrokenPipeError:
        # Whoever read our output stopped (``| head``): nothing more to say, and nothing
        # flushed at exit either (Python would complain about stdout on the way out).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
