"""The provincial bearer token, read from its own file that only the kiosk's user may read."""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from kiosk.logs import register_secret
from kiosk.sync.connector import ConfigurationError

log = logging.getLogger(__name__)


def read_token(path: str | os.PathLike) -> str:
    """The token in ``path`` (surrounding whitespace removed).

    Raises :class:`ConfigurationError` when the file is missing, empty, or readable or writable
    by the group or by other users (``chmod 600`` fixes that). The token itself never appears in
    a message.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ConfigurationError(f"token file {path} does not exist", "token_missing",
                                 path=str(path)) from None
    except OSError as exc:
        raise ConfigurationError(f"token file {path}: cannot read: {exc.strerror}",
                                 "token_unreadable", path=str(path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigurationError(f"token file {path} is not a regular file", "token_unreadable",
                                 path=str(path))
    if info.st_mode & 0o077:
        mode = f"{stat.S_IMODE(info.st_mode):04o}"
        raise ConfigurationError(
            f"token file {path} is open to other users (mode {mode}); run: chmod 600 {path}",
            "token_insecure", path=str(path), mode=mode)
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"token file {path}: cannot read: {exc}", "token_unreadable",
                                 path=str(path)) from None
    if not token or any(ch.isspace() for ch in token):
        raise ConfigurationError(f"token file {path} must hold exactly one word", "token_empty",
                                 path=str(path))
    register_secret(token)
    return token


def token_fingerprint(path: str | os.PathLike) -> str:
    """A cheap mark of the file's version (size and modification time, never its content).

    The worker compares it to know whether staff replaced the token after a 401/403.
    """
    try:
        info = os.stat(path)
    except OSError:
        return ""
    return f"{info.st_size}:{info.st_mtime_ns}"
