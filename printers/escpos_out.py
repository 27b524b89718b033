"""A :class:`~printers.document.Document` as ESC/POS bytes, built on python-escpos.

Bitmaps go as ``GS v 0`` raster images, cut in bands; white rows are not sent but fed with
``ESC J n`` (n dots on the usual 203-dpi printers), and each band is only as wide as its rightmost
black dot, so a receipt of text costs a fraction of its full raster. QR codes go with the printer's
own ``GS ( k`` command: tens of bytes.
"""
from __future__ import annotations

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image

from printers.document import Bitmap, Document, qr_image

ESC = b"\x1b"
GS = b"\x1d"
INIT = ESC + b"@"
ALIGN_LEFT = ESC + b"a\x00"
ALIGN_CENTER = ESC + b"a\x01"
#: Rows in one raster command; printers with small buffers dislike much taller ones.
MAX_BAND_ROWS = 256
_INVERT = bytes(255 - b for b in range(256))


def feed_dots(dots: int) -> bytes:
    """``ESC J`` commands feeding ``dots`` dots (255 at most each)."""
    out = bytearray()
    while dots > 0:
        step = min(dots, 255)
        out += ESC + b"J" + bytes([step])
        dots -= step
    return bytes(out)


def raster(image: Image.Image, skip_blank: bool = True, max_rows: int = MAX_BAND_ROWS) -> bytes:
    """A 1-bit picture as ``GS v 0`` bands (black = printed dot).

    With ``skip_blank``, runs of white rows are fed instead of sent and every band is trimmed on
    the right to its last black byte.
    """
    image = image.convert("1") if image.mode != "1" else image
    if image.width % 8:
        padded = Image.new("1", ((image.width + 7) // 8 * 8, image.height), 1)
        padded.paste(image, (0, 0))
        image = padded
    row_bytes = image.width // 8
    data = image.tobytes().translate(_INVERT)
    rows = [data[i:i + row_bytes] for i in range(0, len(data), row_bytes)]
    out = bytearray()
    if not skip_blank:
        for start in range(0, len(rows), max_rows):
            out += _band(rows[start:start + max_rows], row_bytes)
        return bytes(out)
    lengths = [len(row.rstrip(b"\x00")) for row in rows]
    i = 0
    while i < len(rows):
        if lengths[i] == 0:
            j = i
            while j < len(rows) and lengths[j] == 0:
                j += 1
            out += feed_dots(j - i)
            i = j
            continue
        j = i
        while j < len(rows) and lengths[j] and j - i < max_rows:
            j += 1
        for start, stop in _split(lengths[i:j]):
            width = max(lengths[i + start:i + stop])
            out += _band([row[:width] for row in rows[i + start:i + stop]], width)
        i = j
    return bytes(out)


def _split(lengths: list[int]) -> list[tuple[int, int]]:
    """The cheapest cut of a run of rows into bands, each band costing its 8-byte header plus
    its height times its widest row (dynamic programming over the cut points)."""
    n = len(lengths)
    best = [0] + [0] * n
    cut = [0] * (n + 1)
    for stop in range(1, n + 1):
        widest = 0
        best[stop] = None
        for start in range(stop - 1, -1, -1):
            widest = max(widest, lengths[start])
            cost = best[start] + 8 + (stop - start) * widest
            if best[stop] is None or cost < best[stop]:
                best[stop], cut[stop] = cost, start
    bands = []
    stop = n
    while stop > 0:
        bands.append((cut[stop], stop))
        stop = cut[stop]
    return bands[::-1]


def _band(rows: list[bytes], width: int) -> bytes:
    height = len(rows)
    return (GS + b"v0\x00" + bytes([width & 0xFF, width >> 8, height & 0xFF, height >> 8])
            + b"".join(rows))


def encode_document(document: Document, skip_blank: bool = True,
                    native_qr: bool = True) -> bytes:
    """The ESC/POS bytes that print ``document``: initialise, bitmaps, QR codes, feed and cut.

    ``native_qr=False`` sends QR codes as raster pictures, for printers without ``GS ( k``.
    """
    printer = Dummy()
    printer._raw(INIT)
    for segment in document.segments:
        if isinstance(segment, Bitmap):
            printer._raw(raster(segment.image, skip_blank))
        elif not native_qr:
            code = qr_image(segment.data, segment.module_dots, border=0)
            band = Image.new("1", (document.width_dots, code.height), 1)
            band.paste(code, ((document.width_dots - code.width) // 2, 0))
            printer._raw(raster(band, skip_blank))
        else:
            printer._raw(ALIGN_CENTER)
            printer.qr(segment.data, ec=QR_ECLEVEL_M, size=segment.module_dots, native=True)
            printer._raw(ALIGN_LEFT)
    if document.cut:
        printer.cut()
    return printer.output


def decode_raster(data: bytes, width_dots: int) -> Image.Image:
    """The picture a printer would print from the raster and feed commands in ``data``.

    Only ``GS v 0``, ``ESC J``, and skips of the other commands this module writes; for tests,
    the benchmark and debugging, not a general ESC/POS interpreter.
    """
    rows: list[bytes] = []
    blank = bytes(width_dots // 8)
    i = 0
    while i < len(data):
        if data.startswith(GS + b"v0", i):
            width = data[i + 4] | data[i + 5] << 8
            height = data[i + 6] | data[i + 7] << 8
            body = data[i + 8:i + 8 + width * height]
            for r in range(height):
                rows.append(body[r * width:(r + 1) * width].ljust(width_dots // 8, b"\x00"))
            i += 8 + width * height
        elif data.startswith(ESC + b"J", i):
            rows.extend([blank] * data[i + 2])
            i += 3
        elif data.startswith(GS + b"(k", i):
            length = data[i + 3] | data[i + 4] << 8
            i += 5 + length
        elif data.startswith(ESC + b"a", i) or data.startswith(ESC + b"d", i) \
                or data.startswith(ESC + b"t", i):
            i += 3
        elif data.startswith(GS + b"V", i):
            i += 3 if data[i + 2] in (0, 1, 48, 49) else 4
        elif data.startswith(ESC + b"@", i):
            i += 2
        else:
            i += 1
    image = Image.frombytes("1", (width_dots, max(len(rows), 1)),
                            b"".join(rows).translate(_INVERT) if rows else b"\xff" * (width_dots // 8))
    return image
