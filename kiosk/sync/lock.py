"""One sender at a time: an exclusive ``flock`` on a file beside the database.

The app's worker thread and a ``kiosk sync`` run by the systemd timer share the database; the
lock makes sure they never send the same records at the same time. The kernel drops the lock
when its holder dies, even by SIGKILL, so a crash never leaves a stale lock behind.
"""
from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


def lock_path_for(database_path: str | os.PathLike) -> Path:
    """The lock file that belongs to a database file."""
    return Path(f"{database_path}.sync-lock")


class SendLock:
    """A non-blocking exclusive lock; a context manager once :meth:`acquire` succeeded.

    Each instance opens the file itself, so two workers in one process exclude each other too.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock if free; False (at once) when another worker holds it."""
        if self._fd is not None:
            raise RuntimeError("lock already held by this object")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except OSError:
            os.close(fd)
            raise
        self._fd = fd
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return True

    def release(self) -> None:
        """Let go of the lock (safe to call when not held)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def __enter__(self) -> "SendLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()
