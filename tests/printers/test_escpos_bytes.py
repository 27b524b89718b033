"""Byte-level tests of the ESC/POS output, against python-escpos's Dummy printer."""
from __future__ import annotations

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image, ImageChops

from printers import samples
from printers.document import Bitmap, Document, QRCode
from printers.escpos_out import (ALIGN_CENTER, ALIGN_LEFT, INIT, decode_raster,
                                 encode_document, feed_dots, raster)
from tests.printers.captioned import render


def _image(width: int, height: int, black: list[tuple[int, int]]) -> Image.Image:
    image = Image.new("1", (width, height), 1)
    for xy in black:
        image.putpixel(xy, 0)
    return image


def test_raster_sends_black_rows_trimmed_and_feeds_white_ones():
    image = _image(24, 4, [(0, 1), (9, 2)])
    # row 0 white: fed; rows 1-2 one band, 2 bytes wide (the last black dot is in byte 2);
    # row 3 white: fed.
    expected = (b"\x1bJ\x01"
                + b"\x1dv0\x00" + bytes([2, 0, 2, 0]) + b"\x80\x00" + b"\x00\x40"
                + b"\x1bJ\x01")
    assert raster(image) == expected


def test_raster_without_skipping_sends_every_row_full_width():
    image = _image(16, 2, [(15, 0)])
    assert raster(image, skip_blank=False) == (b"\x1dv0\x00" + bytes([2, 0, 2, 0])
                                               + b"\x00\x01\x00\x00")


def test_raster_pads_odd_widths_with_white():
    image = _image(10, 1, [(9, 0)])
    assert raster(image, skip_blank=False) == b"\x1dv0\x00" + bytes([2, 0, 1, 0]) + b"\x00\x40"


def test_long_white_runs_feed_in_steps_of_255():
    assert feed_dots(300) == b"\x1bJ\xff" + b"\x1bJ\x2d"
    assert feed_dots(0) == b""


def test_trimmed_raster_prints_exactly_the_rendered_receipt():
    """Decoding the bands and feeds gives back the bitmap pixel for pixel."""
    for width in (384, 576):
        document = render(samples.borrow_receipt(), width)
        for segment in document.segments:
            if isinstance(segment, Bitmap):
                printed = decode_raster(raster(segment.image), width)
                assert printed.size == segment.image.size
                assert ImageChops.difference(printed.convert("L"),
                                             segment.image.convert("L")).getbbox() is None


def test_document_bytes_init_bitmaps_native_qr_and_cut():
    bitmap = _image(576, 3, [(0, 0)])
    document = Document(576, (Bitmap(bitmap), QRCode("MS-1", 6)), cut=True)
    expected = Dummy()
    expected._raw(INIT)
    expected._raw(raster(bitmap))
    expected._raw(ALIGN_CENTER)
    expected.qr("MS-1", ec=QR_ECLEVEL_M, size=6, native=True)
    expected._raw(ALIGN_LEFT)
    expected.cut()
    data = encode_document(document)
    assert data == expected.output
    assert data.startswith(b"\x1b@")
    assert b"\x1d(k\x07\x001P0MS-1" in data  # the QR's data, stored with GS ( k
    assert data.endswith(b"\x1dV\x00")


def test_label_documents_are_not_cut_when_asked():
    document = Document(384, (Bitmap(_image(384, 2, [(1, 1)])),), cut=False)
    assert not encode_document(document).endswith(b"\x1dV\x00")


def test_receipt_bytes_carry_the_reference_in_the_native_qr_command():
    receipt = samples.return_receipt()
    data = encode_document(render(receipt, 384))
    assert b"\x1d(k" in data and receipt.reference.encode() in data
    # The QR is not sent as a picture: far fewer bytes than the QR's raster would be.
    assert data.count(b"\x1dv0") >= 10


def test_five_item_borrow_receipt_at_576_dots_fits_24_kb():
    data = encode_document(render(samples.borrow_receipt(5), 576))
    assert len(data) <= 24 * 1024


def test_qr_as_a_picture_for_printers_without_the_qr_command():
    import zxingcpp

    receipt = samples.return_receipt()
    document = render(receipt, 384)
    data = encode_document(document, native_qr=False)
    assert b"\x1d(k" not in data
    printed = decode_raster(data, 384)
    codes = zxingcpp.read_barcodes(printed.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [c.text for c in codes] == [receipt.reference]
    assert len(data) - len(encode_document(document)) < 4096
