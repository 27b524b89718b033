"""Which of the camera's readings are sure enough to become scans.

A 1-D code has no error correction: a blurred or aliased EAN-13 can be misread into another number
whose check digit is valid, and a misread starting 978 would be taken for a book. 2-D codes (QR,
Data Matrix) carry Reed-Solomon error correction and are reported as read. A 1-D reading is
reported once it is confirmed:

* at once, when two decoders read the same text in the frame, each consistently (evidence
  ``agreed``);
* otherwise when the same text was read (evidence ``single``) on ``frames`` frames within
  ``window_s`` seconds: one frame of delay for a code that only one decoder reads;

and in both cases only while the decoders do not dispute it: every frame in the window in which
they read different codes at its place (evidence ``contested``, whichever texts they were) asks
for one more frame for it. A ``doubtful`` reading (ZBar alone on a few of its
lines, or both decoders struggling with the same bars) gives it nothing. A code that nobody reads
consistently is not reported at all: the reader sees no result and shows the code again, which
is better than a loan of the wrong book.

Undisputed readings of other codes in earlier frames do not count against a code: a student
shows one book after another at the same place, well within a second.
"""
from __future__ import annotations

import collections
from collections.abc import Iterable
from dataclasses import dataclass

from devices.decoders import LINEAR, Decoded

#: Frames that must show an unconfirmed 1-D code, and the window they must fall within.
CONFIRM_FRAMES = 2
CONFIRM_WINDOW_S = 1.0


@dataclass(frozen=True, slots=True)
class _Reading:
    at: float
    text: str
    box: tuple[float, float, float, float]
    support: int
    contested: bool


def _box(points) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points] or [0]
    ys = [p[1] for p in points] or [0]
    return float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys))


def _near(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """True when two outlines overlap, give or take a quarter of their size (the code moves a
    little between frames; a line-thin outline still has a size across)."""
    slack = 0.25 * max(a[2] - a[0], a[3] - a[1], b[2] - b[0], b[3] - b[1], 16)
    return (a[0] - slack <= b[2] and b[0] - slack <= a[2]
            and a[1] - slack <= b[3] and b[1] - slack <= a[3])


class Confirmer:
    """Feeds on each frame's readings (:meth:`feed`) and says which ones to report.

    ``frames`` is the number of frames an unconfirmed 1-D code needs (1 reports every reading at
    once, as the camera did before confirmation existed); ``window_s`` how close together they
    must be. Memory is bounded by the window and by ``max_readings``. Not thread-safe: one
    decode thread feeds it.
    """

    def __init__(self, frames: int = CONFIRM_FRAMES, window_s: float = CONFIRM_WINDOW_S,
                 max_readings: int = 512):
        if frames < 1:
            raise ValueError("frames must be at least 1")
        if window_s <= 0:
            raise ValueError("window_s must be positive")
        self.frames = frames
        self.window_s = window_s
        self._history: collections.deque[_Reading] = collections.deque(maxlen=max_readings)

    def feed(self, results: Iterable[Decoded], at: float) -> list[Decoded]:
        """The readings of the frame captured at ``at`` that are confirmed now."""
        while self._history and at - self._history[0].at > self.window_s:
            self._history.popleft()
        confirmed: list[Decoded] = []
        pending: list[Decoded] = []
        for r in results:
            if r.symbology not in LINEAR or self.frames == 1:
                confirmed.append(r)
                continue
            support = {"agreed": self.frames, "single": 1}.get(r.evidence, 0)
            reading = _Reading(at, r.text, _box(r.points), support, r.evidence == "contested")
            self._history.append(reading)
            pending.append((r, reading))
        confirmed += [r for r, reading in pending if self._sure(reading)]
        return confirmed

    def _sure(self, reading: _Reading) -> bool:
        support: dict[float, int] = {}  # frame -> the best support it gave (once per frame)
        against: set[float] = set()
        for h in self._history:
            if h.text == reading.text:
                support[h.at] = max(support.get(h.at, 0), h.support)
            if h.contested and (h.text == reading.text or _near(h.box, reading.box)):
                against.add(h.at)
        votes = sum(support.values())
        return votes >= self.frames + len(against)
