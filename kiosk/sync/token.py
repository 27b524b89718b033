"""The provincial bearer token, read from its own file that only the kiosk's user may read."""
from __future__ import annotations

import logging
import os

from kiosk.logs import register_secret
from kiosk.secret_file import SecretFileError, read_secret
from kiosk.sync.connector import ConfigurationError

log = logging.getLogger(__name__)


def read_token(path: str | os.PathLike) -> str:
    """The token in ``path`` (surrounding whitespace removed).

    Raises :class:`ConfigurationError` when the file is missing, empty, or readable or writable
    by the group or by other users (``chmod 600`` fixes that). The token itself never appears in
    a message.
    """
    try:
        token = read_secret(path, "token file")
    except SecretFileError as exc:
        params = {"path": exc.path, **({"mode": exc.mode} if exc.mode else {})}
        raise ConfigurationError(str(exc), f"token_{exc.key}", **params) from None
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
