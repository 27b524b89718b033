"""Where a 1-D barcode may be in a frame: a cheap look before the expensive decoders.

Bars make a patch of strong gradients that all point the same way (across the bars); print,
edges and texture point every way. :func:`find_bar_regions` measures that on a coarse grid: the
gradient structure tensor (sums of gx², gy², gx·gy) over cells of ``cell`` pixels, computed on a
half-size copy of the frame. Cells whose gradients are strong and point one way are joined into
regions; each region gives its centre, the direction across its bars, its length across the bars
and its height along them. It costs a few tenths of a millisecond on a 640x480 frame, about a
tenth of one decoder pass, so it can run on every frame and decide when a second decoder is worth
running, and on which part of the frame (``devices.dual``).

The thresholds were chosen on the benchmark's training folders (``bench/bench_scan.py``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

#: Cell size in pixels of the frame given (the tensor is summed over cells of this size).
CELL = 16
#: A cell counts as "bars" when its gradients are this aligned (0 = any direction, 1 = one) ...
MIN_ALIGNMENT = 0.6
#: ... and this strong (mean squared Sobel response on the half-size image).
MIN_ENERGY = 300.0
#: A region must cover at least this many cells and be this long across its bars (pixels).
MIN_CELLS = 3
MIN_LENGTH = 48


@dataclass(frozen=True, slots=True)
class BarRegion:
    """A patch of parallel bars: centre ``(cx, cy)``, ``angle`` of the direction across the bars
    (radians, -pi/2..pi/2, 0 = vertical bars), ``length`` across and ``height`` along the bars (in
    pixels of the frame), and ``cells``, how many grid cells it covers (its strength)."""

    cx: float
    cy: float
    angle: float
    length: float
    height: float
    cells: int

    @property
    def upright(self) -> bool:
        """True when the bars stand closer to vertical than to horizontal."""
        return abs(self.angle) <= math.pi / 4

    def box(self, margin: float, pad: float, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
        """The axis-aligned box ``(x0, y0, x1, y1)`` around the region, clipped to ``shape``,
        with ``margin`` (a fraction of the length) added at both ends of the bars for the quiet
        zones and ``pad`` pixels all round."""
        c, s = abs(math.cos(self.angle)), abs(math.sin(self.angle))
        length = self.length * (1 + 2 * margin) + 2 * pad
        height = self.height + 2 * pad
        half_w = (length * c + height * s) / 2
        half_h = (length * s + height * c) / 2
        h, w = shape[:2]
        return (max(0, int(self.cx - half_w)), max(0, int(self.cy - half_h)),
                min(w, int(math.ceil(self.cx + half_w))), min(h, int(math.ceil(self.cy + half_h))))


def find_bar_regions(gray: np.ndarray, limit: int = 3, cell: int = CELL,
                     min_alignment: float = MIN_ALIGNMENT, min_energy: float = MIN_ENERGY,
                     min_cells: int = MIN_CELLS, min_length: float = MIN_LENGTH,
                     min_coherence: float = 0.0, min_fill: float = 0.0,
                     ) -> list[BarRegion]:
    """Up to ``limit`` regions of ``gray`` (``uint8``, 2-D) that look like 1-D barcodes,
    strongest first."""
    h, w = gray.shape[:2]
    step = cell // 2  # cell size on the half-size image
    grid_w, grid_h = (w // 2) // step, (h // 2) // step
    if grid_w < 2 or grid_h < 1:
        return []
    half = cv2.resize(gray, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    gx, gy = cv2.spatialGradient(half)
    gx = gx[:grid_h * step, :grid_w * step].astype(np.float32)
    gy = gy[:grid_h * step, :grid_w * step].astype(np.float32)
    size = (grid_w, grid_h)
    jxx = cv2.blur(cv2.resize(gx * gx, size, interpolation=cv2.INTER_AREA), (3, 3))
    jyy = cv2.blur(cv2.resize(gy * gy, size, interpolation=cv2.INTER_AREA), (3, 3))
    jxy = cv2.blur(cv2.resize(gx * gy, size, interpolation=cv2.INTER_AREA), (3, 3))
    energy = jxx + jyy
    diff = jxx - jyy
    aligned = diff * diff + 4 * jxy * jxy > (min_alignment * energy) ** 2
    mask = (aligned & (energy > min_energy)).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    regions = []
    for i in range(1, count):
        x, y, bw, bh, cells = (int(v) for v in stats[i])
        if cells < min_cells:
            continue
        window = (slice(y, y + bh), slice(x, x + bw))
        inside = labels[window] == i
        sxx, syy = float(jxx[window][inside].sum()), float(jyy[window][inside].sum())
        sxy = float(jxy[window][inside].sum())
        if math.hypot(sxx - syy, 2 * sxy) < min_coherence * (sxx + syy):
            continue  # its parts point different ways: the outline of a box, not bars
        angle = 0.5 * math.atan2(2 * sxy, sxx - syy)
        ys, xs = np.nonzero(inside)
        xs = (xs + x + 0.5) * cell
        ys = (ys + y + 0.5) * cell
        c, s = math.cos(angle), math.sin(angle)
        across = xs * c + ys * s
        along = ys * c - xs * s
        length = float(across.max() - across.min()) + cell
        height = float(along.max() - along.min()) + cell
        if length < min_length or cells * cell * cell < min_fill * length * height:
            continue
        mid_across = (across.max() + across.min()) / 2
        mid_along = (along.max() + along.min()) / 2
        regions.append(BarRegion(cx=float(mid_across * c - mid_along * s),
                                 cy=float(mid_across * s + mid_along * c), angle=angle,
                                 length=length, height=height,
                                 cells=cells))
    regions.sort(key=lambda r: -r.cells)
    return regions[:limit]
