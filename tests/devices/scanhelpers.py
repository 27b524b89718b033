"""Helpers for the devices tests: waiting, generated label frames, real video files.

A uniquely named module (not ``conftest``) so that other rooms' conftest files never shadow it."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = Path(__file__).resolve().parent / "data"
CORPUS = Path(os.environ.get("ZXING_SAMPLES", "/work/shared/corpus/zxing-samples"))
if not CORPUS.exists():
    CORPUS = ROOT.parent.parent / "shared" / "corpus" / "zxing-samples"


def wait_for(predicate, timeout: float = 5.0, step: float = 0.01):
    """Poll ``predicate`` until true or ``timeout``; return its last value (not a timing test:
    the timeout only keeps a broken build from hanging)."""
    end = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < end:
        time.sleep(step)
        value = predicate()
    return value


def label_frame(symbology: str, text: str, size=(640, 480), seed: int = 3, module_px=None,
                where: str = "any"):
    """A clean BGR frame showing one label (bench.labels), optionally in a given half."""
    import numpy as np

    from bench.labels import background, label_image, place

    rng = np.random.default_rng(seed)
    gray = background(size, rng)
    px = module_px or (5.0 if symbology == "qrcode" else 2.4)
    label = label_image(symbology, text, px)
    if where == "any":
        place(gray, label, 0.0, rng)
    else:  # "left" or "right": centre the label in that half
        h, w = gray.shape
        lh, lw = label.shape
        x = (w // 4 if where == "left" else 3 * w // 4) - lw // 2
        y = h // 2 - lh // 2
        gray[y:y + lh, x:x + lw] = label
    import cv2

    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


def write_video(path: Path, frames, fps: float = 30.0) -> Path:
    """Write BGR frames to a real video file with cv2.VideoWriter (MJPG in AVI)."""
    import cv2

    frames = list(frames)
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened(), "OpenCV cannot write MJPG video"
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


BOOK, ISBN, CARD = "TK.00003", "9786041234567", "0123456789"


def blank(size=(640, 480)):
    """A cluttered frame with no code in it."""
    from bench.labels import background

    rng = np.random.default_rng(7)
    import cv2

    return cv2.cvtColor(background(size, rng), cv2.COLOR_GRAY2BGR)


def presentation_video(path, fps=30.0, hold=8):
    """Blank, book, blank, ISBN, blank, book again, blank: each label held ``hold`` frames."""
    frames = []
    for item in (None, ("code128", BOOK), None, ("ean13", ISBN), None, ("code128", BOOK), None):
        frame = blank() if item is None else label_frame(*item)
        frames += [frame] * hold
    return write_video(path, frames, fps)
