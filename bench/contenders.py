"""The camera paths the benchmark compares, and one photo shown to one of them.

Each contender is a frame pipeline and the confirmation its kiosk applies. The kiosk's own paths
are built by ``kiosk.scanners`` from a ``[[scanner]] kind = "camera"`` table, exactly as the kiosk
builds them; the baselines are the issue's: ZBar with every symbology on the whole image, and
zxing-cpp with its defaults. "before" is the kiosk's camera path before issue 14 (zxing-cpp on the
configured symbologies, every reading reported at once).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from bench.corpus import matches
from devices.confirm import Confirmer
from devices.decoders import DEFAULT_SYMBOLOGIES, AllSymbologiesPyzbar, DefaultsZxing, ZxingDecoder
from devices.pipeline import FramePipeline

#: A presentation: frames a camera delivers while a code is held still (a third of a second at
#: 15 decoded frames a second, a Pi's pace), and the time between them.
FRAMES = 5
FRAME_S = 1 / 15


@dataclass(frozen=True)
class Contender:
    """A named camera path: ``pipeline`` per frame, ``confirmer()`` a fresh confirmation."""

    name: str
    pipeline: FramePipeline
    confirmer: Callable[[], Confirmer]
    baseline: bool = False


def contenders() -> list[Contender]:
    """Baselines first, the kiosk's default last."""
    from devices.settings import ScannerSettings
    from kiosk.scanners import build_camera_pipeline, build_confirmer

    def kiosk(decoder: str | None) -> tuple[FramePipeline, Callable[[], Confirmer]]:
        config = ScannerSettings(kind="camera") if decoder is None else \
            ScannerSettings(kind="camera", decoder=decoder)
        return build_camera_pipeline(config), lambda: build_confirmer(config)

    at_once = lambda: Confirmer(frames=1)  # noqa: E731 - no confirmation: every reading counts
    return [
        Contender("naive pyzbar", FramePipeline(AllSymbologiesPyzbar(), max_width=0), at_once,
                  baseline=True),
        Contender("raw zxing-cpp", FramePipeline(DefaultsZxing(), max_width=0), at_once,
                  baseline=True),
        Contender("before (zxing)", FramePipeline(ZxingDecoder(DEFAULT_SYMBOLOGIES)), at_once),
        Contender("kiosk pyzbar", *kiosk("pyzbar")),
        Contender("kiosk zxing", *kiosk("zxing")),
        Contender("kiosk default", *kiosk(None)),
    ]


@dataclass
class Outcome:
    """What one contender made of one photo's presentation."""

    read: bool = False            # the expected code was read on the first frame
    accepted: bool = False        # ... became a scan within the presentation
    wrong: set[str] = field(default_factory=set)  # other codes that became scans
    first_read: int | None = None  # frame index of the first reading of the expected code
    accepted_at: int | None = None  # frame index at which it became a scan
    ms: list[float] = field(default_factory=list)  # per frame: pipeline and confirmation,
    # CPU time of the decoding thread (the machine is shared; other processes do not count)


def present(contender: Contender, frames: list[np.ndarray], expected: str | None) -> Outcome:
    """Show ``frames`` (one held code, or none when ``expected`` is None) to ``contender``."""
    out = Outcome()
    confirmer = contender.confirmer()
    for i, frame in enumerate(frames):
        start = time.thread_time()
        results = contender.pipeline.process(frame)
        confirmed = confirmer.feed(results, i * FRAME_S)
        out.ms.append((time.thread_time() - start) * 1000)
        hit = expected is not None and any(matches(r.text, expected) for r in results)
        if hit and out.first_read is None:
            out.first_read = i
        if i == 0:
            out.read = hit
        for r in confirmed:
            if expected is not None and matches(r.text, expected):
                if out.accepted_at is None:
                    out.accepted, out.accepted_at = True, i
            else:
                out.wrong.add(r.text)
    return out
