"""The seam between the outbox worker and a provincial system.

A connector takes one batch of records and answers one :class:`RecordResult` per record, or
raises one of the typed errors below. The worker knows nothing else about the remote side, so a
connector for the province's own API (the day it is published) is one new class.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Literal, Sequence

from kiosk.errors import KioskError

#: The record types contract version 1 knows.
RECORD_TYPES = ("loan.borrowed", "loan.returned", "loan.renewed", "loan.voided",
                "loan.unvoided", "item.declared", "item.updated", "item.withdrawn")

Status = Literal["accepted", "duplicate", "rejected"]
DELIVERED = ("accepted", "duplicate")


@dataclass(frozen=True)
class Record:
    """One record as it goes over the wire: ``{"id", "type", "occurred_at", "data"}``.

    ``data`` is kept as the JSON text stored in the outbox, so a batch is never decoded and
    encoded again on its way out.
    """

    id: str
    type: str
    occurred_at: str
    data_json: str


@dataclass(frozen=True)
class RecordResult:
    """The receiver's answer for one record."""

    id: str
    status: Status
    reason: str = ""

    @property
    def delivered(self) -> bool:
        """``accepted`` and ``duplicate`` both mean the receiver has it."""
        return self.status in DELIVERED


class SyncError(KioskError):
    """Base of the errors a connector raises. ``detail`` is safe to log and show (no secrets).

    ``key`` (with ``values``), when set, names a message in the ``sync`` catalog for people.
    """

    def __init__(self, detail: str, key: str = "", **values):
        super().__init__(detail)
        self.detail = detail
        self.key = key
        self.values = values


class AuthError(SyncError):
    """The receiver refused our credentials (401/403): stop pushing until staff fix the token."""


class RetryableError(SyncError):
    """Try the same batch later: timeouts, connection errors, 408, 429, 5xx.

    ``retry_after`` is the receiver's ``Retry-After`` in seconds, when it gave one.
    """

    def __init__(self, detail: str, retry_after: float | None = None, key: str = "",
                 **values):
        super().__init__(detail, key, **values)
        self.retry_after = retry_after


class ProtocolError(RetryableError):
    """The answer did not follow the contract (bad JSON, unexpected status): retried later."""


class ConfigurationError(SyncError):
    """The connector cannot start: no URL, no token file, or a token file others can read."""


class Connector(abc.ABC):
    """Sends batches of records to one provincial system."""

    @abc.abstractmethod
    def send(self, school_code: str, kiosk_id: str, records: Sequence[Record]
             ) -> list[RecordResult]:
        """Deliver ``records`` (oldest first) and return the receiver's answer for each.

        Raises :class:`AuthError`, :class:`RetryableError` (or its :class:`ProtocolError`).
        """

    def credentials_mark(self) -> str:
        """A mark that changes when the credentials change (never the secret itself).

        After a 401/403 the worker waits until this mark changes before it pushes again.
        """
        return ""

    def close(self) -> None:
        """Release any connection held (default: nothing to release)."""
