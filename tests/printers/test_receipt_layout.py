"""Receipts as plain data, laid out at 384 and 576 dots."""
from __future__ import annotations

import dataclasses
import unicodedata
from datetime import date, datetime, timezone

import pytest
import zxingcpp

from printers import samples
from kiosk.i18n import receipt_captions
from printers.document import Bitmap, QRCode, qr_image
from printers.layout import Style, wrap
from printers.receipt import ReceiptLine
from printers.render import render_receipt, shared_due, vn_date, vn_time
from tests.printers.captioned import render

KINDS = ("borrow", "return", "equipment_slip", "day_summary")


@pytest.mark.parametrize("width", [384, 576])
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_at_both_widths_and_its_qr_decodes(kind, width):
    receipt = samples.all_receipts()[kind]
    document = render(receipt, width)
    image = document.to_image()
    assert image.mode == "1" and image.width == width
    assert all(s.image.width == width for s in document.segments if isinstance(s, Bitmap))
    assert [s.data for s in document.segments if isinstance(s, QRCode)] == [receipt.reference]
    codes = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [c.text for c in codes] == [receipt.reference]
    # Nothing clipped: the outer two columns hold no ink (text stays inside the margins).
    pixels = image.convert("L")
    for x in (0, 1, width - 2, width - 1):
        column = pixels.crop((x, 0, x + 1, image.height))
        assert column.getextrema() == (255, 255), f"ink at column {x}"


def test_receipt_text_is_nfc_and_time_must_be_aware():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    receipt = dataclasses.replace(samples.borrow_receipt(), patron_name=decomposed)
    assert receipt.patron_name == unicodedata.normalize("NFC", decomposed)
    line = ReceiptLine(unicodedata.normalize("NFD", "Tiếng Việt"))
    assert line.title == "Tiếng Việt"
    with pytest.raises(ValueError):
        dataclasses.replace(samples.borrow_receipt(), printed_at=datetime(2026, 11, 26, 8, 15))
    with pytest.raises(ValueError):
        dataclasses.replace(samples.borrow_receipt(), kind="invoice")
    with pytest.raises(ValueError):
        ReceiptLine("x", quantity=0)
    with pytest.raises(ValueError):
        dataclasses.replace(samples.borrow_receipt(), reference=" ")


def test_a_title_can_replace_the_kinds_caption():
    receipt = dataclasses.replace(samples.return_receipt(), title="PHIẾU TRẢ THIẾT BỊ")
    plain = render(samples.return_receipt(), 576).to_image()
    titled = render(receipt, 576).to_image()
    assert plain.size == titled.size and plain.tobytes() != titled.tobytes()


def test_times_are_vietnam_time_and_dates_day_first():
    late_utc = datetime(2026, 12, 31, 18, 5, tzinfo=timezone.utc)
    assert vn_time(late_utc) == "01:05 01/01/2027"
    assert vn_date(date(2026, 3, 9)) == "09/03/2026"


def test_long_titles_wrap_inside_the_line():
    style = Style(24, bold=True)
    title = samples.borrow_receipt().lines[1].title
    lines = wrap(title, style, 300)
    assert len(lines) > 1 and " ".join(lines) == title
    assert all(style.font.getlength(line) <= 300 for line in lines)
    # A "word" longer than the line is cut, not clipped.
    assert all(style.font.getlength(part) <= 100 for part in wrap("TK." + "0" * 40, style, 100))


def test_a_long_title_makes_a_taller_receipt_not_a_wider_one():
    short = samples.borrow_receipt(1)
    long = dataclasses.replace(short, lines=(dataclasses.replace(
        short.lines[0], title="Tuyển tập truyện ngắn Việt Nam " * 6),))
    a, b = render(short, 384).to_image(), render(long, 384).to_image()
    assert a.width == b.width == 384 and b.height > a.height + 80


def test_english_captions_and_missing_captions():
    receipt = samples.borrow_receipt(lang="en")
    assert receipt_captions("en")("title_borrow") == "BOOK LOAN RECEIPT"
    assert receipt_captions("vi")("title_borrow") == "PHIẾU MƯỢN SÁCH"
    assert receipt_captions("vi")("due") == "Hạn trả"
    assert receipt_captions("en")("no_such_caption") == "receipt.no_such_caption"
    assert render(receipt, 576).to_image().width == 576


def test_every_caption_exists_in_both_languages():
    import tomllib
    from kiosk.i18n import CATALOG_DIR

    keys = {}
    for lang in ("vi", "en"):
        with (CATALOG_DIR / lang / "receipt.toml").open("rb") as handle:
            keys[lang] = set(tomllib.load(handle))
    assert keys["vi"] == keys["en"]
    needed = {f"title_{k}" for k in KINDS} | {f"footer_{k}" for k in KINDS}
    assert needed <= keys["vi"]


def test_due_date_shown_once_when_shared_and_per_line_when_not():
    same = samples.borrow_receipt(3)
    mixed = dataclasses.replace(same, lines=(
        dataclasses.replace(same.lines[0], due=date(2026, 12, 1)), *same.lines[1:]))
    assert shared_due(same.lines) == date(2026, 12, 10)
    assert shared_due(mixed.lines) is None
    assert shared_due(samples.return_receipt().lines) is None
    # Mixed dates go on each item's line: no header line, so a shorter receipt.
    h_same = render(same, 576).to_image().height
    h_mixed = render(mixed, 576).to_image().height
    assert h_mixed < h_same


def test_qr_image_decodes():
    image = qr_image("TS-20261126-0043", 4)
    assert [c.text for c in zxingcpp.read_barcodes(image.convert("L"))] == ["TS-20261126-0043"]


def test_bad_width_is_refused():
    with pytest.raises(ValueError):
        render(samples.return_receipt(), 500)


def test_the_day_summary_by_class_makes_the_receipt_longer_not_wider():
    with_classes = samples.day_summary()
    without = dataclasses.replace(with_classes, summary=dataclasses.replace(
        with_classes.summary, by_class=()))
    tall, short = render(with_classes, 576).to_image(), render(without, 576).to_image()
    assert tall.width == short.width == 576
    assert tall.height > short.height + 3 * 20  # a heading and three classes
