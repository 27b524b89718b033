"""Errors raised by the database layer."""


class DatabaseError(Exception):
    """Base of every error raised in ``db``."""


class DatabaseUnavailable(DatabaseError):
    """The file cannot be opened or written: corrupt, locked, read-only, or the disk is full.

    ``reason`` is one of ``corrupt``, ``locked``, ``read_only``, ``disk_full``, ``unreadable``.
    """

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class DatabaseMissing(DatabaseError):
    """There is no database where the config says (a mistyped ``database.path``, or a school
    not set up yet): refused rather than started on a new, empty one."""

    def __init__(self, location: str):
        super().__init__(f"no database at {location}")
        self.location = location


class SchemaTooNew(DatabaseError):
    """The file was written by a newer version of the kiosk than this one."""


class IncompleteAction(DatabaseError):
    """An action tried to commit without its journal entry or its provincial record: a bug,
    refused so that nothing is ever recorded without its trace."""


class WriterClosed(DatabaseError):
    """The writer was asked to write after it was closed."""
