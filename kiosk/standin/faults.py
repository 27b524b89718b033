"""Scripted misbehaviour for the stand-in server, set by options or ``POST /_faults``."""
from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field, fields


@dataclass
class Faults:
    """What the next requests to ``/v1/records`` suffer. Counters count down per request."""

    #: Answer the next N requests with ``status`` (and ``Retry-After`` when ``retry_after``).
    fail_next: int = 0
    status: int = 500
    retry_after: str = ""
    #: Wait ``delay_s`` before answering the next ``delay_next`` requests (-1: every request).
    delay_s: float = 0.0
    delay_next: int = -1
    #: Store the batch before the delay (the answer is late, but the records arrived).
    delay_after_store: bool = False
    #: Close the connection without an answer for the next N requests, before storing them.
    drop_next: int = 0
    #: Store the next N batches, then close the connection without an answer.
    drop_after_store_next: int = 0
    #: Reject records of these types, or with these ids.
    reject_types: list[str] = field(default_factory=list)
    reject_ids: list[str] = field(default_factory=list)


class FaultPlan:
    """Thread-safe holder of the :class:`Faults`; each request takes its share in ``next()``."""

    def __init__(self, faults: Faults | None = None):
        self._faults = faults or Faults()
        self._lock = threading.Lock()

    def update(self, changes: dict) -> Faults:
        """Change some knobs (unknown names raise ``ValueError``); returns the new state."""
        names = {f.name for f in fields(Faults)}
        unknown = set(changes) - names
        if unknown:
            raise ValueError(f"unknown fault knobs: {sorted(unknown)}")
        with self._lock:
            current = asdict(self._faults)
            current.update(changes)
            self._faults = Faults(**current)
            return Faults(**asdict(self._faults))

    def reset(self) -> None:
        """Behave again."""
        with self._lock:
            self._faults = Faults()

    def snapshot(self) -> dict:
        """The knobs as a dict."""
        with self._lock:
            return asdict(self._faults)

    def next(self) -> dict:
        """What happens to this request: ``fail`` (status, retry_after), ``drop``,
        ``drop_after_store``, ``delay`` (seconds, before/after storing) and the reject lists."""
        with self._lock:
            f = self._faults
            action = {"fail": None, "drop": False, "drop_after_store": False, "delay": 0.0,
                      "delay_after_store": f.delay_after_store,
                      "reject_types": list(f.reject_types), "reject_ids": list(f.reject_ids)}
            if f.delay_s > 0 and f.delay_next != 0:
                action["delay"] = f.delay_s
                if f.delay_next > 0:
                    f.delay_next -= 1
            if f.drop_next > 0:
                f.drop_next -= 1
                action["drop"] = True
            elif f.fail_next > 0:
                f.fail_next -= 1
                action["fail"] = (f.status, f.retry_after)
            elif f.drop_after_store_next > 0:
                f.drop_after_store_next -= 1
                action["drop_after_store"] = True
            return action
