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
import threading

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


class StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is when a line is logged (a test's capture, a
    redirected stream), never to a stream closed since, like the standard library's last
    resort handler. A ``sys.stderr`` that logs what is written to it (Kivy's) would send each
    line back here: a line logged while one is being written goes to the process's own stderr."""

    terminator = "\n"

    def __init__(self):
        super().__init__()
        self._writing = threading.local()

    @property
    def stream(self):
        """The current standard error (the process's own while a line is being written)."""
        return sys.__stderr__ if getattr(self._writing, "depth", 0) else sys.stderr

    def emit(self, record: logging.LogRecord) -> None:
        stream = self.stream
        self._writing.depth = getattr(self._writing, "depth", 0) + 1
        try:
            stream.write(self.format(record) + self.terminator)
            stream.flush()
        except Exception:  # noqa: BLE001 - logging must never raise
            if stream is not sys.__stderr__:
                self.handleError(record)
        finally:
            self._writing.depth -= 1


def configure(verbose: bool = False) -> None:
    """Log to stderr at WARNING (DEBUG with ``verbose``), every line redacted. A handler that a
    library's ``logging.basicConfig()`` put on import (python-escpos does) is replaced, so
    ``-v`` works whatever was imported first; other handlers (the journal's, a test's
    capture) stay."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        plain = type(handler) is logging.StreamHandler and handler.stream in (sys.stderr,
                                                                              sys.__stderr__)
        if plain or isinstance(handler, StderrHandler):
            root.removeHandler(handler)
    handler = StderrHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_FILTER)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    protect_library_loggers()


protect_library_loggers()
