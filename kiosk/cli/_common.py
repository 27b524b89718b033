"""What the sub-commands share: loading the config and the database with one-line errors."""
from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager

from db.connection import classify_error
from db.engine import driver_errors
from db.errors import DatabaseError, DatabaseMissing, DatabaseUnavailable
from kiosk.config import Config, ConfigError, find_config_path, load_config
from kiosk.context import KioskContext, open_context
from kiosk.i18n import LANGUAGES, set_language, t

log = logging.getLogger(__name__)


class CommandFailed(Exception):
    """Stop a command with a one-line message and an exit status."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.message = message
        self.status = status


def load_config_for(args) -> Config:
    """The config named by ``--config`` / ``KIOSK_CONFIG``; its language unless ``--lang`` (or
    ``KIOSK_LANG``) chose one."""
    try:
        config = load_config(find_config_path(getattr(args, "config", None)))
    except ConfigError as exc:
        raise CommandFailed(t("cli.config_error", error=str(exc))) from None
    if not getattr(args, "lang", None) and os.environ.get("KIOSK_LANG") not in LANGUAGES:
        set_language(config.locale.lang)
    return config


@contextmanager
def command_context(args, migrate_schema: bool = True, create: bool = False):
    """Open the kiosk context for a command; database problems become one-line messages. A
    missing database is refused unless ``create`` (``kiosk db init``)."""
    config = load_config_for(args)
    try:
        context: KioskContext = open_context(config, migrate_schema=migrate_schema,
                                             create=create)
    except DatabaseMissing as exc:
        raise CommandFailed(missing_database_message(exc, args)) from None
    except DatabaseUnavailable as exc:
        raise CommandFailed(t(f"refusal.db_{exc.reason}") + f" ({exc.detail})") from None
    except DatabaseError as exc:
        raise CommandFailed(t("cli.database_error", error=str(exc))) from None
    try:
        yield context
    finally:
        context.close()


def missing_database_message(exc: DatabaseMissing, args=None) -> str:
    """What to say when there is no database where the config points."""
    config = getattr(args, "config", None)
    init = "kiosk db init" + (f" --config {config}" if config else "")
    return t("cli.database_missing", path=exc.location, init=init)


def run_command(body):
    """Decorate a command's ``func(args)`` so CommandFailed prints one line and sets the status."""

    def wrapper(args) -> int:
        try:
            return body(args)
        except CommandFailed as exc:
            sys.stderr.write(exc.message + "\n")
            return exc.status
        except DatabaseMissing as exc:
            sys.stderr.write(missing_database_message(exc, args) + "\n")
            return 2
        except DatabaseUnavailable as exc:
            log.error("database unavailable: %s", exc)
            sys.stderr.write(t(f"refusal.db_{exc.reason}") + "\n")
            return 2
        except driver_errors() as exc:
            log.error("database error: %s", exc)
            sys.stderr.write(t(f"refusal.db_{classify_error(exc).reason}") + "\n")
            return 2

    wrapper.__doc__ = body.__doc__
    wrapper.__name__ = body.__name__
    return wrapper


def out(line: str = "") -> None:
    """Write one line of a command's output (flushed: some commands stream)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
