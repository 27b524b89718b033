"""Two decoders on one frame: zxing-cpp everywhere, ZBar where it can tell something new.

The decoders fail differently: zxing-cpp reads more Code 128 and QR and is several times faster;
ZBar reads some blurred or badly lit EAN-13/UPC-A that zxing-cpp misses, and each of them now and
then misreads an EAN-13 into another number with a valid check digit. :class:`DualDecoder` uses
both without paying for ZBar on every frame:

1. zxing-cpp reads the frame, stopping at the first code (cheap when there is one); it does not
   try the frame turned by 90 degrees (step 4 finds codes at any angle).
2. A 2-D code (QR, Data Matrix) carries error correction: it is returned as read.
3. A linear code is checked by ZBar on a thin band around the line zxing-cpp read it on (that
   symbology only, every other row). The same text read by ZBar on most of its lines is
   ``agreed``; on a few lines only it stays ``single``, or ``doubtful`` when zxing-cpp's own
   lines across the band disagree too (aliasing, smear: both decoders struggling); a different
   text makes both readings ``contested``. When ZBar reads nothing there, zxing-cpp reads the band
   again enlarged: another text makes the reading ``contested``, else it stays ``single``, to be
   confirmed on the next frame (``devices.confirm``).
4. When zxing-cpp finds nothing, :func:`devices.locate.find_bar_regions` (a fraction of a
   decoder pass) says whether and where bars are; only then, and only on those regions, ZBar reads
   the region as it is and zxing-cpp reads it enlarged (small, soft bars come out of
   zxing-cpp's binariser better at twice the size). Regions are cut from the full-resolution frame
   when the pipeline has shrunk it, and turned so that their bars stand upright.

Every choice here (bands, margins, enlargement, number of regions) was made on the training
folders of ``bench/bench_scan.py`` and is measured again on its validation folders.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import replace

import cv2
import numpy as np

from devices.decoders import (DEFAULT_SYMBOLOGIES, LINEAR, Decoded, Decoder, PyzbarDecoder,
                              ZBarReading, ZxingDecoder)
from devices.locate import BarRegion, find_bar_regions

#: Rows of the band above and below the line zxing-cpp read a linear code on.
CHECK_BAND = 10
#: ZBar reads every n-th row of the band (rows cost: ZBar takes some 20 ns a pixel) ...
CHECK_ROW_STEP = 2
#: ... and every n-th row of a region.
SEARCH_ROW_STEP = 1
#: ZBar's reading is consistent when it read the text on at least this share of its scan
#: lines across the bars, and on at least MIN_LINES of them. An aliased or smeared code is now
#: and then misread the same way by both decoders, or by ZBar on frame after frame, but on a
#: few lines only; a consistent ZBar reading that zxing-cpp shares is reported at once, an
#: inconsistent one alone never.
CONSISTENT_SHARE = 0.5
MIN_LINES = 8
#: Quiet zone added at both ends of a band or region, as a fraction of the code's length.
MARGIN = 0.15
#: Bar regions examined per frame when zxing-cpp found nothing.
REGIONS = 2
#: Enlargement of a region for zxing-cpp's second look, and the most pixels it may cost.
ZOOM = 2.0
MAX_ZOOM_PIXELS = 400_000
#: The widest full-resolution frame in which bars are looked for when the decoders saw it shrunk.
LOCATE_MAX_WIDTH = 1280
#: Regions whose bars lean more than this (degrees) from upright or flat are rotated upright
#: (generated labels at 0-90 degrees in steps of 5: at 20, Code 128 was lost without it).
TILT_DEG = 15.0

Affine = np.ndarray  # 2x3: maps a crop's pixel to the frame's


class DualDecoder(Decoder):
    """zxing-cpp, checked and completed by ZBar on the regions that look like bars."""

    name = "zxing+pyzbar"

    def __init__(self, symbologies: Iterable[str] = DEFAULT_SYMBOLOGIES, *,
                 regions: int = REGIONS, zoom: float = ZOOM):
        super().__init__(symbologies)
        # no quarter-turn pass: on a frame without a code it cost as much again, and the bar
        # locator finds a code standing on end and turns it (training folders: no read lost)
        self.first = ZxingDecoder(self.symbologies, first_only=True, try_rotate=False)
        linear = tuple(s for s in self.symbologies if s in LINEAR)
        self.linear = linear
        self.second = PyzbarDecoder(linear, rows_only=True, row_step=SEARCH_ROW_STEP) \
            if linear else None
        # the check reads only the symbology zxing-cpp found: ZBar hands every edge to each
        # symbology it looks for, so one instead of three is a third cheaper
        self.checkers = {s: PyzbarDecoder([s], rows_only=True, row_step=CHECK_ROW_STEP)
                         for s in linear}
        self.recheckers = {s: ZxingDecoder([s], try_rotate=False) for s in linear}
        self.zoomed = ZxingDecoder(linear, try_rotate=False) if linear else None
        self.regions = regions
        self.zoom = zoom

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """Every code found in ``gray`` (see the module's description)."""
        return self.decode_scaled(gray, gray, 1.0)

    def decode_scaled(self, gray: np.ndarray, full: np.ndarray, scale: float) -> list[Decoded]:
        """Decode ``gray``, a copy of ``full`` shrunk by ``scale``; regions are cut from
        ``full``. Outlines are in ``gray``'s pixels."""
        found = self.first.decode(gray)
        if not self.linear:
            return found
        if found:
            code = found[0]
            if code.symbology not in LINEAR:
                return found
            return self._check(code, full, scale)
        return self._search(gray, full, scale)

    # -- a linear code zxing-cpp read: ask ZBar about the same bars ---------------------------
    def _check(self, code: Decoded, full: np.ndarray, scale: float) -> list[Decoded]:
        pts = np.array(code.points, dtype=np.float64) / scale
        (x0, y0), (x1, y1) = pts[0], pts[1]  # zxing-cpp: top-left -> top-right = reading way
        length = math.hypot(x1 - x0, y1 - y0)
        if length < 8:
            return [code]
        region = BarRegion(cx=float(pts[:, 0].mean()), cy=float(pts[:, 1].mean()),
                           angle=_fold(math.atan2(y1 - y0, x1 - x0)), length=length,
                           height=float(np.ptp(pts @ [-(y1 - y0) / length, (x1 - x0) / length]))
                           + 2 * CHECK_BAND / scale, cells=0)
        image, to_full = _upright(full, region, pad=4)
        if image is None:
            return [code]
        checker = self.checkers.get(code.symbology)
        if checker is None:
            return [code]
        others = checker.read(image)
        same = [z for z in others if z.code.text == code.text]
        if same:
            if any(_consistent(z) for z in same):
                return [replace(code, readers=("zxing", "pyzbar"), evidence="agreed")]
            # ZBar found it on a few lines only: if zxing-cpp's own lines across the band
            # disagree too, both decoders are struggling with these bars (aliasing, smear)
            shaky = self.recheckers[code.symbology].failures(image[::CHECK_ROW_STEP]) > 0
            return [replace(code, readers=("zxing", "pyzbar"),
                            evidence="doubtful" if shaky else "single")]
        rivals = [z.code for z in others
                  if z.code.symbology in LINEAR and _can_witness(z.code, code)]
        if not rivals:
            # ZBar saw nothing here: zxing-cpp itself, on the band stretched across its bars
            # (another sampling of the same bars), must not read something else
            big = cv2.resize(image, None, fx=self.zoom, fy=1, interpolation=cv2.INTER_LINEAR)
            if any(r.text != code.text for r in self.zoomed.decode(big)):
                return [replace(code, evidence="contested")]
            return [code]
        out = [replace(code, evidence="contested")]
        out += [replace(r, points=_to_gray(r.points, to_full, scale), evidence="contested")
                for r in rivals]
        return out

    # -- nothing read: look where the bars are ------------------------------------------------
    def _search(self, gray: np.ndarray, full: np.ndarray, scale: float) -> list[Decoded]:
        out: list[Decoded] = []
        # Bars too fine to survive the shrink are still there in the full frame: look for them
        # there when it is not too large to look at (up to 720p: a few tenths of a ms more).
        if scale < 1 and full.shape[1] <= LOCATE_MAX_WIDTH:
            regions = find_bar_regions(full, limit=self.regions)
        else:
            regions = [_scaled(r, 1 / scale) for r in find_bar_regions(gray, limit=self.regions)]
        read_boxes: list[tuple[int, int, int, int]] = []  # regions whose code both decoders read
        for region in regions:
            if any(x0 <= region.cx <= x1 and y0 <= region.cy <= y1
                   for x0, y0, x1, y1 in read_boxes):
                continue  # a piece of a code already read for sure
            image, to_full = _upright(full, region, pad=8)
            if image is None:
                continue
            readings = [(z.code, _consistent(z), to_full) for z in self.second.read(image)]
            zoom = min(self.zoom, math.sqrt(MAX_ZOOM_PIXELS / max(1, image.size)))
            if zoom > 1.05:
                big = cv2.resize(image, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_LINEAR)
                shrink = np.array([[1 / zoom, 0, 0], [0, 1 / zoom, 0]])
                readings += [(r, False, _compose(to_full, shrink))
                             for r in self.zoomed.decode(big)]
            else:
                readings += [(r, False, to_full) for r in self.zoomed.decode(image)]
            found = _merge([(r, sure, _to_gray(r.points, m, scale)) for r, sure, m in readings])
            if any(r.evidence == "agreed" for r in found):
                read_boxes.append(region.box(MARGIN, 8, full.shape))
            out += found
        return _one_per_text(out)


_STRENGTH = {"agreed": 3, "single": 2, "doubtful": 1, "contested": 0}


def _one_per_text(results: list[Decoded]) -> list[Decoded]:
    """Readings of the same code from overlapping regions as one: every decoder that read it,
    the strongest evidence, unless one region disputed it."""
    merged: dict[tuple[str, str], Decoded] = {}
    for r in results:
        key = (r.text, r.symbology)
        seen = merged.get(key)
        if seen is None:
            merged[key] = r
            continue
        readers = tuple(dict.fromkeys(seen.readers + r.readers))
        if "contested" in (seen.evidence, r.evidence):
            evidence = "contested"
        else:
            evidence = max(seen.evidence, r.evidence, key=_STRENGTH.__getitem__)
        best = r if _STRENGTH[r.evidence] > _STRENGTH[seen.evidence] else seen
        merged[key] = replace(best, readers=readers, evidence=evidence)
    return list(merged.values())


def _can_witness(rival: Decoded, code: Decoded) -> bool:
    """Whether ZBar's different reading of zxing-cpp's code says one of them is wrong. ZBar does
    not implement Code 128's FNC4 (characters above 127): its reading of such a code is not a
    rival, just ZBar's limit."""
    return not (code.symbology == "code128" and not code.text.isascii())


def _consistent(reading: ZBarReading) -> bool:
    """Whether ZBar read the text on enough of its lines (see :data:`CONSISTENT_SHARE`)."""
    return reading.read_by >= MIN_LINES and reading.share >= CONSISTENT_SHARE


def _merge(readings: Sequence[tuple[Decoded, bool, tuple]]) -> list[Decoded]:
    """One region's readings (each with whether ZBar read it consistently, and its outline):
    one result per text, with every decoder that read it and the evidence they give; all
    contested when the region gave different linear texts."""
    texts: dict[tuple[str, str], tuple[list[str], list[bool], tuple]] = {}
    for r, sure, points in readings:
        readers, sures, _ = texts.setdefault((r.text, r.symbology), ([], [], points))
        readers.extend(x for x in r.readers if x not in readers)
        sures.append(sure)
    contested = sum(1 for _, sym in texts if sym in LINEAR) > 1
    out = []
    for (text, sym), (readers, sures, points) in texts.items():
        consistent = any(sures)
        if contested and sym in LINEAR:
            evidence = "contested"
        elif "zxing" in readers:
            evidence = "agreed" if len(readers) > 1 and consistent else "single"
        else:
            evidence = "single" if consistent else "doubtful"
        out.append(Decoded(text, sym, points, tuple(readers), evidence))
    return out


def _fold(angle: float) -> float:
    """An angle folded into -pi/2..pi/2 (a direction, not an orientation)."""
    while angle > math.pi / 2:
        angle -= math.pi
    while angle <= -math.pi / 2:
        angle += math.pi
    return angle


def _scaled(region: BarRegion, k: float) -> BarRegion:
    return BarRegion(region.cx * k, region.cy * k, region.angle, region.length * k,
                     region.height * k, region.cells)


def _compose(outer: Affine, inner: Affine) -> Affine:
    """The affine map ``outer(inner(p))``."""
    a = np.vstack([outer, [0, 0, 1]])
    b = np.vstack([inner, [0, 0, 1]])
    return (a @ b)[:2]


def _to_gray(points, to_full: Affine, scale: float) -> tuple[tuple[int, int], ...]:
    pts = np.array(points, dtype=np.float64).reshape(-1, 2)
    mapped = (np.hstack([pts, np.ones((len(pts), 1))]) @ to_full.T) * scale
    return tuple((int(round(x)), int(round(y))) for x, y in mapped)


def _upright(full: np.ndarray, region: BarRegion, pad: float
             ) -> tuple[np.ndarray | None, Affine]:
    """The region cut out of ``full`` with its bars standing upright, and the map from the cut
    back to ``full``. Axis-aligned cuts and quarter turns copy pixels as they are (resampling
    thin bars would blur them); only a clearly tilted region is rotated by interpolation."""
    tilt = math.degrees(abs(region.angle))
    tilt = min(tilt, abs(90 - tilt))
    if tilt <= TILT_DEG:
        x0, y0, x1, y1 = region.box(MARGIN, pad, full.shape)
        if x1 - x0 < 8 or y1 - y0 < 4:
            return None, np.zeros((2, 3))
        cut = full[y0:y1, x0:x1]
        to_full = np.array([[1.0, 0, x0], [0, 1.0, y0]])
        if region.upright:
            return np.ascontiguousarray(cut), to_full
        # a quarter turn clockwise: (u, v) in the turned cut is (v, h - 1 - u) in the cut
        h = cut.shape[0]
        turn = np.array([[0.0, 1, 0], [-1, 0, h - 1]])
        return cv2.rotate(cut, cv2.ROTATE_90_CLOCKWISE), _compose(to_full, turn)
    width = int(region.length * (1 + 2 * MARGIN) + 2 * pad)
    height = int(region.height + 2 * pad)
    if width < 8 or height < 4:
        return None, np.zeros((2, 3))
    c, s = math.cos(region.angle), math.sin(region.angle)
    to_full = np.array([[c, -s, region.cx - width / 2 * c + height / 2 * s],
                        [s, c, region.cy - width / 2 * s - height / 2 * c]])
    cut = cv2.warpAffine(full, to_full, (width, height),
                         flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                         borderMode=cv2.BORDER_REPLICATE)
    return cut, to_full
