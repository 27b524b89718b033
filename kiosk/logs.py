"""Logging for every entry point: one stderr handler, ``-v`` for DEBUG, and no secret in any line.

Secrets are kept out of logs twice over: the code never logs them, and every line that reaches
a handler set up here, or comes from the database driver's logger (peewee logs each statement
with its parameters at DEBUG), passes :class:`RedactSecrets` first. It masks staff PIN hashes
(``scrypt$...``, ``hmac-scrypt$...``), bearer tokens and any secret registered with
:func:`register_secret` (the provincial token, once read).
"""
from __future__ import annotations

import logging
import re
import sys

#: A staff PIN hash in any of the forms the kiosk stores, and an Authorization header's token.
_PATTERNS = (re.compile(r"(?:hmac-)?scrypt\$[^\s'\",)\]}]+"),
             re.compile(r"(?i)(bearer\s+)[^\s'\",)\]}]+"))
MASK = "***"
#: Loggers of libraries that may put a secret into a line (SQL parameters).
_LIBRARY_LOGGERS = ("peewee",)

_secrets: set[str] = set()


def register_secret(value: str) -> None:
    """Never let ``value`` (a token read from its file) appear in a log line."""
    if value and len(value) >= 6:
        _secrets.add(value)


def redact(text: str) -> str:
    """``text`` with every PIN hash, bearer token and registered secret masked."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    text = _PATTERNS[0].sub(MASK, text)
    return _PATTERNS[1].sub(lambda m: m.group(1) + MASK, text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message (and its traceback text) with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: A003 - logging's name
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a badly formatted record is logged as it is
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


_FILTER = RedactSecrets()


def protect_library_loggers() -> None:
    """Put the filter on the libraries' own loggers, so their lines are clean for every handler
    (a test's capture, the journal), not only for the ones :func:`configure` sets up."""
    for name in _LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def configure(verbose: bool = False, stream=None) -> None:
    """Log to stderr at WARNING (DEBUG with ``verbose``), replacing any handler a library set up
    on import (python-escpos calls ``logging.basicConfig()``), every line redacted."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=stream or sys.stderr, force=True)
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
    protect_library_loggers()


protect_library_loggers()
