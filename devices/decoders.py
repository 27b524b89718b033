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

import numpy as np

log = logging.getLogger(__name__)

from devices.symbologies import DEFAULT_SYMBOLOGIES, SYMBOLOGIES  # noqa: F401 (re-exported)


@dataclass(frozen=True, slots=True)
class Decoded:
    """One code found in an image: its text, symbology and outline (pixel corners, in order)."""

    text: str
    symbology: str
    points: tuple[tuple[int, int], ...]


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


class ZxingDecoder(Decoder):
    """zxing-cpp. ``try_rotate``/``try_invert``/``try_downscale`` are its retry passes; the
    defaults keep rotation (labels are shown at any angle) and drop inverted codes (none of the
    project's labels are light on dark) and the downscale pass (the pipeline already shrinks
    frames; the pass cost 15% and read nothing more in ``bench/bench_scan.py``)."""

    name = "zxing"

    def __init__(self, symbologies: Iterable[str] = DEFAULT_SYMBOLOGIES, *,
                 try_rotate: bool = True, try_invert: bool = False,
                 try_downscale: bool = False):
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

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """Decode with zxing-cpp."""
        results = self._zx.read_barcodes(np.ascontiguousarray(gray), formats=self._formats,
                                         **self._options)
        out = []
        for r in results:
            if not r.valid:
                continue
            p = r.position
            corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
            symbology = self._names.get(r.format) or _family(r.format.name)
            out.append(Decoded(r.text, symbology, tuple((c.x, c.y) for c in corners)))
        return out


def _family(zxing_name: str) -> str:
    """Our name for a zxing sub-format (Code32 and PZN are Code 39 variants)."""
    lowered = zxing_name.lower()
    if lowered.startswith("code39") or lowered in ("code32", "pzn"):
        return "code39"
    return lowered


class PyzbarDecoder(Decoder):
    """ZBar through pyzbar."""

    name = "pyzbar"
    _TYPES = {"CODE128": "code128", "CODE39": "code39", "EAN13": "ean13", "ISBN13": "ean13",
              "EAN8": "ean8", "UPCA": "upca", "UPCE": "upce", "I25": "itf",
              "QRCODE": "qrcode"}

    def __init__(self, symbologies: Iterable[str] = DEFAULT_SYMBOLOGIES):
        super().__init__(symbologies)
        from pyzbar import pyzbar

        if "datamatrix" in self.symbologies:
            raise ValueError("pyzbar cannot read Data Matrix; use the zxing decoder")
        self._pyzbar = pyzbar
        zs = pyzbar.ZBarSymbol
        table = {"code128": zs.CODE128, "code39": zs.CODE39, "ean13": zs.EAN13,
                 "ean8": zs.EAN8, "upca": zs.UPCA, "upce": zs.UPCE, "itf": zs.I25,
                 "qrcode": zs.QRCODE}
        self._symbols = [table[s] for s in self.symbologies]

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """Decode with ZBar."""
        if not gray.flags.c_contiguous:
            gray = np.ascontiguousarray(gray)
        out = []
        for r in self._pyzbar.decode(gray, symbols=self._symbols):
            try:
                text = r.data.decode("utf-8")
            except UnicodeDecodeError:
                log.info("pyzbar: dropped a %s code that is not UTF-8", r.type)
                continue
            points = tuple((pt.x, pt.y) for pt in r.polygon)
            out.append(Decoded(text, self._TYPES.get(r.type, r.type.lower()), points))
        return out


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
            out.append(Decoded(text, symbology, tuple((p.x, p.y) for p in r.polygon)))
        return out


DECODERS = {"zxing": ZxingDecoder, "pyzbar": PyzbarDecoder}


def make_decoder(name: str = "zxing", symbologies: Iterable[str] = DEFAULT_SYMBOLOGIES,
                 **options) -> Decoder:
    """The decoder called ``name`` (``"zxing"`` or ``"pyzbar"``) for ``symbologies``."""
    try:
        cls = DECODERS[name]
    except KeyError:
        raise ValueError(f"unknown decoder {name!r}; choose {', '.join(DECODERS)}") from None
    return cls(symbologies, **options)
