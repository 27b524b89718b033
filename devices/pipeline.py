"""What happens to one camera frame before a decoder sees it: grayscale, region, downscale.

:class:`FramePipeline` is shared by the camera source and the benchmark, so the figures measure
exactly what the kiosk runs. Outlines come back in the coordinates of the full frame.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import cv2
import numpy as np

from devices.decoders import Decoded, Decoder

#: Frames wider than this are shrunk before decoding (0 = never). 640 keeps 1-D labels at a
#: normal reading distance readable and makes 720p cost what VGA does (bench/bench_scan.py).
DEFAULT_MAX_WIDTH = 640


class FramePipeline:
    """Prepares frames and decodes them.

    ``roi`` is ``(x, y, w, h)`` as fractions of the frame (``(0.25, 0.25, 0.5, 0.5)`` is the
    middle quarter), or empty for the whole frame; ``max_width`` shrinks wider regions first.
    """

    def __init__(self, decoder: Decoder, roi: Sequence[float] = (),
                 max_width: int = DEFAULT_MAX_WIDTH):
        if roi and (len(roi) != 4 or not all(0 <= v <= 1 for v in roi)
                    or roi[2] <= 0 or roi[3] <= 0 or roi[0] + roi[2] > 1 + 1e-9
                    or roi[1] + roi[3] > 1 + 1e-9):
            raise ValueError(f"roi must be 4 fractions x, y, w, h inside the frame, not {roi!r}")
        self.decoder = decoder
        self.roi = tuple(roi)
        self.max_width = max_width

    def roi_box(self, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
        """The region in pixels ``(x, y, w, h)`` for a frame of ``shape``."""
        height, width = shape[:2]
        if not self.roi:
            return 0, 0, width, height
        x, y, w, h = self.roi
        return (int(x * width), int(y * height), max(1, int(w * width)), max(1, int(h * height)))

    def process(self, frame: np.ndarray) -> list[Decoded]:
        """Decode one frame (BGR or grayscale, ``uint8``)."""
        x0, y0, w, h = self.roi_box(frame.shape)
        region = frame[y0:y0 + h, x0:x0 + w]
        full = region if region.ndim == 2 else cv2.cvtColor(region, cv2.COLOR_BGR2GRAY)
        gray, scale = full, 1.0
        if self.max_width and w > self.max_width:
            scale = self.max_width / w
            gray = cv2.resize(full, (self.max_width, max(1, round(h * scale))),
                              interpolation=cv2.INTER_AREA)
        results = self.decoder.decode_scaled(gray, full, scale)
        if not results or (scale == 1.0 and x0 == 0 and y0 == 0):
            return results
        return [replace(r, points=tuple((round(px / scale) + x0, round(py / scale) + y0)
                                        for px, py in r.points))
                for r in results]


def draw_outlines(frame: np.ndarray, results: Sequence[Decoded],
                  roi_box: tuple[int, int, int, int] | None = None) -> np.ndarray:
    """A BGR copy of ``frame`` with each code outlined in green (and the region in grey)."""
    image = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR) if frame.ndim == 2 else frame.copy()
    if roi_box is not None:
        x, y, w, h = roi_box
        cv2.rectangle(image, (x, y), (x + w - 1, y + h - 1), (160, 160, 160), 2)
    for r in results:
        if len(r.points) >= 2:
            pts = np.array(r.points, dtype=np.int32).reshape(-1, 1, 2)
            if len(r.points) > 4:
                pts = cv2.convexHull(pts)
            cv2.polylines(image, [pts], True, (0, 200, 0), 3)
    return image
