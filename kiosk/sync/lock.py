"""One sender at a time, so two workers never send the same records at the same time.

On an SQLite file, the app's worker thread and a ``kiosk sync`` run by the systemd timer share
the file: an exclusive ``flock`` on a file beside it (:class:`SendLock`). The kernel drops the
lock when its holder dies, even by SIGKILL, so a crash never leaves a stale lock behind.

On a PostgreSQL server the workers sit on several machines, where a file lock means nothing:
:class:`ServerSendLock` is an advisory lock on the server, held by the worker's own connection.
The server drops it when that connection ends (a kiosk killed, switched off or cut off), so a
stale lock cannot outlive its holder either.
"""
from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

from db.engine import engine_of

log = logging.getLogger(__name__)

#: The name of the outbox sender's lock on a server.
SENDER = "outbox-sender"


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


class ServerSendLock:
    """The same contract as :class:`SendLock`, as a server-wide advisory lock held by the
    calling thread's connection (each worker thread has its own)."""

    def __init__(self, db, name: str = SENDER):
        self.db = db
        self.name = name
        self._held = False

    def acquire(self) -> bool:
        """Take the lock if free; False (at once) when another worker, here or on another
        kiosk, holds it."""
        if self._held:
            raise RuntimeError("lock already held by this object")
        self._held = engine_of(self.db).try_session_lock(self.db, self.name)
        return self._held

    def release(self) -> None:
        """Let go of the lock (safe to call when not held)."""
        if self._held:
            self._held = False
            engine_of(self.db).release_session_lock(self.db, self.name)

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._held

    def __enter__(self) -> "ServerSendLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def send_lock_for(db) -> SendLock | ServerSendLock:
    """A new sender lock for the database: a file lock beside an SQLite file, an advisory lock
    on a server."""
    if engine_of(db).name == "sqlite":
        return SendLock(lock_path_for(db.database))
    return ServerSendLock(db)
