"""One event per presentation of a code to the camera.

A code held under the camera is decoded in frame after frame; :class:`Deduplicator` lets the first
sighting through and then stays quiet until the code has left the view (not seen for
``gone_after_s``) or, when ``repeat_after_s`` is above zero, until that long has passed since it
was last reported. Decoders miss a code now and then while it is in view; ``gone_after_s`` bridges
those gaps. Memory is bounded: codes gone from view are forgotten.
"""
from __future__ import annotations


class Deduplicator:
    """Decides which sightings of codes become events."""

    def __init__(self, gone_after_s: float = 1.0, repeat_after_s: float = 0.0,
                 max_codes: int = 256):
        self.gone_after_s = gone_after_s
        self.repeat_after_s = repeat_after_s
        self.max_codes = max_codes
        self._last_seen: dict[str, float] = {}
        self._last_sent: dict[str, float] = {}

    def seen(self, code: str, now: float) -> bool:
        """Record a sighting of ``code`` at ``now``; True when it should become an event."""
        last_seen = self._last_seen.get(code)
        present = last_seen is not None and now - last_seen <= self.gone_after_s
        due = (self.repeat_after_s > 0
               and now - self._last_sent.get(code, float("-inf")) >= self.repeat_after_s)
        self._last_seen[code] = now
        if present and not due:
            return False
        self._last_sent[code] = now
        if len(self._last_seen) > self.max_codes:
            self.forget(now)
        return True

    def still_there(self, code: str, now: float) -> None:
        """Note that ``code`` is still in view (a sighting that is not to be reported, such as
        an unconfirmed reading), so that it is not reported again as a new presentation."""
        if code in self._last_seen:
            self._last_seen[code] = now

    def forget(self, now: float) -> None:
        """Drop codes that have left the view (called by :meth:`seen` when many are held)."""
        keep = max(self.gone_after_s, self.repeat_after_s)
        for code in [c for c, t in self._last_seen.items() if now - t > keep]:
            self._last_seen.pop(code, None)
            self._last_sent.pop(code, None)
        while len(self._last_seen) > self.max_codes:  # a flood of distinct codes
            oldest = min(self._last_seen, key=self._last_seen.__getitem__)
            self._last_seen.pop(oldest)
            self._last_sent.pop(oldest, None)
