"""Helpers the sub-commands share (a leading underscore: not a sub-command itself)."""
from __future__ import annotations

import sys

from kiosk.config import Config, find_config_path, load_config
from kiosk.context import KioskContext, open_context


def load_from_args(args) -> Config:
    """The config named by ``--config`` or ``KIOSK_CONFIG`` (raises ``ConfigError``)."""
    return load_config(find_config_path(getattr(args, "config", None)))


def context_from_args(args) -> KioskContext:
    """Open the configured database (migrated) for a command."""
    return open_context(load_from_args(args))


def say(line: str = "") -> None:
    """Write one line of (already translated) output."""
    sys.stdout.write(line + "\n")
