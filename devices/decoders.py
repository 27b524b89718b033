"""Image barcode decoders behind one small interface, with a factory.

A :class:`Decoder` takes a grayscale ``numpy`` image (``uint8``, 2-D) and returns what it read as
:class:`Decoded` results. Two implementations: :class:`ZxingDecoder` (zxing-cpp, the default: faster
and reads more, see ``bench/bench_scan.py``) and :class:`PyzbarDecoder` (ZBar). Both release the
GIL while decoding, so they run well in a worker thread. Only the symbologies asked for are tried.

Symbology names are the project's short names: ``code128``, ``code39``, ``ean13``, ``ean8``,
``upca``, ``upce``, ``itf``, ``qrcode``, ``datamatrix``.
"""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np

log = logging.getLogger(__name__)

from devices.symbologies import DEFAULT_SYMBOLOGIES, SYMBOLOGIES  # noqa: F401 (re-exported)


#: Symbologies without error correction: a misread can pass their check, so the camera confirms
#: them (two decoders agreeing, or two frames) before they become events (``devices.confirm``).
LINEAR = frozenset(("code128", "code39", "ean13", "ean8", "upca", "upce", "itf"))


#: How sure a reading is (see :class:`Decoded`).
Evidence = Literal["agreed", "single", "doubtful", "contested"]


@dataclass(frozen=True, slots=True)
class Decoded:
    """One code found in an image: its text, symbology and outline (pixel corners, in order).

    ``readers`` names the decoders that read this text here. ``evidence`` says how sure the
    reading is: ``agreed`` (two decoders read it here, each consistently: enough to report a
    1-D code at once), ``single`` (one decoder read it: a 1-D code waits for another frame),
    ``doubtful`` (ZBar alone read it on only a few of its scan lines: never enough by itself)
    or ``contested`` (the decoders read different codes at the same place: one of them is
    wrong). ``devices.confirm`` decides on it.
    """

    text: str
    symbology: str
    points: tuple[tuple[int, int], ...]
    readers: tuple[str, ...] = ()
    evidence: Evidence = "single"


class Decoder(ABC):
    """Reads barcodes of the configured symbologies from a grayscale image."""

    name: str = "decoder"

    def __init__(self, symbologies: Iterable[str] = DEFAULT_SYMBOLOGIES):
        wanted = tuple(dict.fromkeys(s.lower() for s in symbologies))
        unknown = [s for s in wanted if s not in SYMBOLOGIES]
        if unknown:
            raise ValueError(f"unknown symbologies {unknown}; known: {', '.join(SYMBOLOGIES)}")
        if not wanted:
            raise ValueError("no symbology to decode")
        self.symbologies = wanted

    @abstractmethod
    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """Every code of the configured symbologies found in ``gray``."""

    def decode_scaled(self, gray: np.ndarray, full: np.ndarray, scale: float) -> list[Decoded]:
        """Decode ``gray``, which is ``full`` shrunk by ``scale`` (outlines in ``gray``'s
        pixels). A decoder that can use the finer picture for a second look overrides this."""
        return self.decode(gray)


class ZxingDecoder(Decoder):
    """zxing-cpp. ``try_rotate``/``try_invert``/``try_downscale`` are its retry passes; the
    defaults keep rotation (labels are shown at any angle) and drop inverted codes (none of the
    project's labels are light on dark) and the downscale pass (the pipeline already shrinks
    frames; the pass cost 15% and read nothing more in ``bench/bench_scan.py``)."""

    name = "zxing"

    def __init__(self, symbologies: Iterable[str] = DEFAULT_SYMBOLOGIES, *,
                 try_rotate: bool = True, try_invert: bool = False,
                 try_downscale: bool = False, first_only: bool = False):
        super().__init__(symbologies)
        import zxingcpp

        self._zx = zxingcpp
        f = zxingcpp.BarcodeFormat
        table = {"code128": f.Code128, "code39": f.Code39, "ean13": f.EAN13, "ean8": f.EAN8,
                 "upca": f.UPCA, "upce": f.UPCE, "itf": f.ITF, "qrcode": f.QRCode,
                 "datamatrix": f.DataMatrix}
        self._formats = [table[s] for s in self.symbologies]
        self._names = {table[s]: s for s in self.symbologies}
        self._options = dict(try_rotate=try_rotate, try_invert=try_invert,
                             try_downscale=try_downscale)
        self.first_only = first_only

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """Decode with zxing-cpp (only the first code found when ``first_only``: zxing then
        stops looking, which is several times cheaper on a frame that holds one code)."""
        gray = np.ascontiguousarray(gray)
        if self.first_only:
            found = self._zx.read_barcode(gray, formats=self._formats, **self._options)
            results = [] if found is None else [found]
        else:
            results = self._zx.read_barcodes(gray, formats=self._formats, **self._options)
        out = []
        for r in results:
            if not r.valid:
                continue
            p = r.position
            corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
            symbology = self._names.get(r.format) or _family(r.format.name)
            out.append(Decoded(r.text, symbology, tuple((c.x, c.y) for c in corners),
                               (self.name,)))
        return out


    def failures(self, gray: np.ndarray) -> int:
        """How many codes zxing-cpp found in ``gray`` but could not decode (a checksum or
        format error): scan lines across the bars that give a different code."""
        results = self._zx.read_barcodes(np.ascontiguousarray(gray), formats=self._formats,
                                         return_errors=True, **self._options)
        return sum(1 for r in results if not r.valid)


def _family(zxing_name: str) -> str:
    """Our name for a zxing sub-format (Code32 and PZN are Code 39 variants)."""
    lowered = zxing_name.lower()
    if lowered.startswith("code39") or lowered in ("code32", "pzn"):
        return "code39"
    return lowered


_EAN_FAMILY = frozenset(("ean13", "ean8", "upca", "upce"))


class ZBarReading(NamedTuple):
    """A code ZBar read, with ``lines`` of its scan lines that crossed the code (between the
    first and the last that read it) and ``read_by`` of them that gave this text."""

    code: Decoded
    read_by: int
    lines: int

    @property
    def share(self) -> float:
        """The part of the lines across the code that read this text."""
        return self.read_by / self.lines if self.lines else 0.0


class PyzbarDecoder(Decoder):
    """ZBar through pyzbar.

    ZBar scans every row and every column of the image. ``rows_only`` skips the columns (for an
    image whose bars are known to stand upright: half the cost) and ``row_step`` scans every
    n-th row only; both are ZBar's own scan-density settings, which ``pyzbar.decode`` does not
    expose, so this class drives pyzbar's ctypes wrapper the way ``pyzbar.decode`` does.
    """

    name = "pyzbar"
    _TYPES = {"CODE128": "code128", "CODE39": "code39", "EAN13": "ean13", "ISBN13": "ean13",
              "EAN8": "ean8", "UPCA": "upca", "UPCE": "upce", "I25": "itf",
              "QRCODE": "qrcode"}

    def __init__(self, symbologies: Iterable[str] = DEFAULT_SYMBOLOGIES, *,
                 rows_only: bool = False, row_step: int = 1):
        super().__init__(symbologies)
        from pyzbar import pyzbar

        if "datamatrix" in self.symbologies:
            raise ValueError("pyzbar cannot read Data Matrix; use the zxing decoder")
        if row_step < 1:
            raise ValueError("row_step must be at least 1")
        self._pyzbar = pyzbar
        zs = pyzbar.ZBarSymbol
        table = {"code128": zs.CODE128, "code39": zs.CODE39, "ean13": zs.EAN13,
                 "ean8": zs.EAN8, "upca": zs.UPCA, "upce": zs.UPCE, "itf": zs.I25,
                 "qrcode": zs.QRCODE}
        self._symbols = [table[s] for s in self.symbologies]
        self.rows_only = rows_only
        self.row_step = row_step

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """Decode with ZBar."""
        return [reading.code for reading in self.read(gray)]

    def read(self, gray: np.ndarray) -> list[ZBarReading]:
        """Like :meth:`decode`, each code with how many of ZBar's scan lines across it read it
        (nearly all of them for crisp bars; a misread is usually found on a few lines only)."""
        if not gray.flags.c_contiguous:
            gray = np.ascontiguousarray(gray)
        if gray.ndim != 2 or gray.shape[0] < 1 or gray.shape[1] < 1:
            return []
        out = []
        for kind, data, points, quality in self._scan(gray):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                log.info("pyzbar: dropped a %s code that is not UTF-8", kind)
                continue
            # the lines across a code run along its bars: the shorter side of its outline (the
            # rows, when rows_only); ZBar's quality counts the scan passes that read it
            (x0, y0), _, (x1, y1), _ = points
            rows = (y1 - y0) // self.row_step + 1
            lines = rows if self.rows_only else min(rows, x1 - x0 + 1)
            symbology = self._TYPES.get(kind, kind.lower())
            code = Decoded(text, symbology, points, (self.name,))
            passes = 2 if symbology in _EAN_FAMILY else 1  # ZBar's EAN decoder counts twice
            out.append(ZBarReading(code, min(lines, quality // passes), lines))
        return out

    def _configure(self, scanner) -> None:
        from pyzbar import wrapper as zw

        zw.zbar_image_scanner_set_config(scanner, 0, zw.ZBarConfig.CFG_ENABLE, 0)
        for symbol in self._symbols:
            zw.zbar_image_scanner_set_config(scanner, symbol, zw.ZBarConfig.CFG_ENABLE, 1)
        # ZBar's X density is the spacing of its vertical scan lines, Y of its horizontal ones
        zw.zbar_image_scanner_set_config(scanner, 0, zw.ZBarConfig.CFG_X_DENSITY,
                                         0 if self.rows_only else 1)
        zw.zbar_image_scanner_set_config(scanner, 0, zw.ZBarConfig.CFG_Y_DENSITY, self.row_step)

    def _scan(self, gray: np.ndarray) -> list[tuple[str, bytes, tuple, int]]:
        """(ZBar type name, data, outline, quality) of every symbol; the outline is the
        bounding box of a sample of ZBar's scan-line hits (pyzbar's pure-Python convex hull of
        all of them cost more than the scan of a small region), the quality ZBar's count of
        the scan passes that read it."""
        from ctypes import c_void_p, cast, string_at

        from pyzbar import wrapper as zw

        pz = self._pyzbar
        height, width = gray.shape
        pixels = gray.tobytes()
        found = []
        # a fresh scanner per image, as pyzbar.decode does: one kept between images gave other
        # outlines and line counts for the same image
        with pz._image_scanner() as scanner:
            self._configure(scanner)
            with pz._image() as image:
                zw.zbar_image_set_format(image, pz._FOURCC["L800"])
                zw.zbar_image_set_size(image, width, height)
                zw.zbar_image_set_data(image, cast(pixels, c_void_p), len(pixels), None)
                if zw.zbar_scan_image(scanner, image) < 0:
                    raise pz.PyZbarError("Unsupported image format")
                symbol = zw.zbar_image_first_symbol(image)
                while symbol:
                    data = string_at(zw.zbar_symbol_get_data(symbol),
                                     zw.zbar_symbol_get_data_length(symbol))
                    try:
                        kind = zw.ZBarSymbol(symbol.contents.type).name
                    except ValueError:
                        kind = f"type{symbol.contents.type}"
                    n = zw.zbar_symbol_get_loc_size(symbol)
                    # a sample (each point is a ctypes call): both ends of every few scan hits
                    step = max(2, n // 16 // 2 * 2)
                    some = [i for k in range(0, n, step) for i in (k, k + 1) if i < n]
                    xs = [zw.zbar_symbol_get_loc_x(symbol, i) for i in some] or [0]
                    ys = [zw.zbar_symbol_get_loc_y(symbol, i) for i in some] or [0]
                    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
                    found.append((kind, data, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)),
                                  zw.zbar_symbol_get_quality(symbol)))
                    symbol = zw.zbar_symbol_next(symbol)
        return found


class AllSymbologiesPyzbar(Decoder):
    """ZBar with every symbology it knows: the naive baseline of the benchmark."""

    name = "pyzbar-all"

    def __init__(self) -> None:
        super().__init__(DEFAULT_SYMBOLOGIES)
        from pyzbar import pyzbar

        self._pyzbar = pyzbar

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """Decode with ZBar, all symbologies."""
        out = []
        for r in self._pyzbar.decode(np.ascontiguousarray(gray)):
            text = r.data.decode("utf-8", errors="replace")
            symbology = PyzbarDecoder._TYPES.get(r.type, r.type.lower())
            out.append(Decoded(text, symbology, tuple((p.x, p.y) for p in r.polygon),
                               (self.name,)))
        return out


class DefaultsZxing(Decoder):
    """zxing-cpp with its own defaults (every format, every retry): the benchmark's raw
    zxing-cpp baseline."""

    name = "zxing-defaults"

    def __init__(self) -> None:
        super().__init__(DEFAULT_SYMBOLOGIES)
        import zxingcpp

        self._zx = zxingcpp

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """Decode with ``zxingcpp.read_barcodes(gray)``."""
        out = []
        for r in self._zx.read_barcodes(np.ascontiguousarray(gray)):
            p = r.position
            corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
            out.append(Decoded(r.text, _family(r.format.name), tuple((c.x, c.y) for c in corners),
                               (self.name,)))
        return out


def _dual(symbologies: Iterable[str] = DEFAULT_SYMBOLOGIES, **options) -> Decoder:
    from devices.dual import DualDecoder

    return DualDecoder(symbologies, **options)


#: The camera's decoders by their config name; the first is the default.
DECODERS = {"zxing+pyzbar": _dual, "zxing": ZxingDecoder, "pyzbar": PyzbarDecoder}
DEFAULT_DECODER = next(iter(DECODERS))


def make_decoder(name: str = DEFAULT_DECODER,
                 symbologies: Iterable[str] = DEFAULT_SYMBOLOGIES, **options) -> Decoder:
    """The decoder called ``name`` (``"zxing+pyzbar"``, ``"zxing"`` or ``"pyzbar"``) for
    ``symbologies``."""
    try:
        cls = DECODERS[name]
    except KeyError:
        raise ValueError(f"unknown decoder {name!r}; choose {', '.join(DECODERS)}") from None
    return cls(symbologies, **options)
