"""Secrets kept in a file of their own that only the kiosk's user may read (the provincial
token, the database password): never in the config, a log line or a message."""
from __future__ import annotations

import os
import stat
from pathlib import Path


class SecretFileError(Exception):
    """The secret's file cannot be used; ``key`` says why (``missing``, ``unreadable``,
    ``insecure``, ``empty``), the message says how to fix it and never holds the secret."""

    def __init__(self, message: str, key: str, path: str, mode: str = ""):
        super().__init__(message)
        self.key = key
        self.path = path
        self.mode = mode


def read_secret(path: str | os.PathLike, what: str) -> str:
    """The one word in the file ``path`` (surrounding whitespace removed); ``what`` names it in
    messages ("token file", "database password file").

    Refuses a file that is missing, empty, holds more than one word, or is readable or writable
    by the group or by other users (``chmod 600`` fixes that).
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise SecretFileError(f"{what} {path} does not exist", "missing", str(path)) from None
    except OSError as exc:
        raise SecretFileError(f"{what} {path}: cannot read: {exc.strerror}", "unreadable",
                              str(path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise SecretFileError(f"{what} {path} is not a regular file", "unreadable", str(path))
    if info.st_mode & 0o077:
        mode = f"{stat.S_IMODE(info.st_mode):04o}"
        raise SecretFileError(
            f"{what} {path} is open to other users (mode {mode}); run: chmod 600 {path}",
            "insecure", str(path), mode)
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise SecretFileError(f"{what} {path}: cannot read: {detail}", "unreadable",
                              str(path)) from None
    if not secret or any(ch.isspace() for ch in secret):
        raise SecretFileError(f"{what} {path} must hold exactly one word", "empty", str(path))
    return secret
