"""Book and equipment labels: every barcode decodes with real decoders (zxing-cpp and ZBar)."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
import zxingcpp
from PIL import Image
from pyzbar import pyzbar

from printers import samples
from printers.barcodes import QUIET_MODULES, code128_image, code128_modules, fit_module
from printers.escpos_out import decode_raster, encode_document
from printers.labels import BookLabel, EquipmentLabel, label_document, mm_to_dots, render_label
from printers.sheets import LAYOUTS, label_sheet_pages, write_label_sheet_pdf

ALL_LABELS = samples.book_labels() + samples.equipment_labels()


def _decode(image: Image.Image) -> tuple[list[str], list[str]]:
    gray = image.convert("L")
    by_zxing = [r.text for r in zxingcpp.read_barcodes(gray,
                                                       formats=zxingcpp.BarcodeFormat.Code128)]
    by_zbar = [r.data.decode("ascii") for r in pyzbar.decode(gray)
               if r.type == "CODE128"]
    return by_zxing, by_zbar


@pytest.mark.parametrize("code", ["TK.00003", "GK.12345", "TB.SINH6.007", "GV00123",
                                  "0123456789", "A",
                                  # python-barcode 0.16 dropped a leading "99" pair of these
                                  "9999980943", "99", "9912"])
def test_code128_images_decode(code):
    image = code128_image(code, 2, 80)
    assert image.width == (len(code128_modules(code)) + 2 * QUIET_MODULES) * 2
    assert _decode(image) == ([code], [code])


def test_code128_refuses_what_it_cannot_carry():
    for bad in ("", "Sách", "TK\n1"):
        with pytest.raises(ValueError):
            code128_modules(bad)
    with pytest.raises(ValueError):
        fit_module("TB.SINH6.007", 100)


@pytest.mark.parametrize("width", [384, 576])
@pytest.mark.parametrize("label", ALL_LABELS, ids=lambda label: label.code)
def test_thermal_labels_decode_as_printed(label, width):
    document = label_document(label, width)
    data = encode_document(document)
    printed = decode_raster(data, width)  # what the printer prints from the bytes
    assert _decode(printed) == ([label.code], [label.code])
    assert _decode(document.to_image()) == ([label.code], [label.code])


def test_label_text_is_nfc_and_long_titles_are_shortened():
    label = BookLabel("TK.00003", unicodedata.normalize("NFD", "Trường Tiểu học Lê Lợi"),
                      "895.922 NGD 2015", "Một tựa sách rất dài " * 10)
    assert label.school_name == "Trường Tiểu học Lê Lợi"
    image = render_label(label, 384, 240)
    assert image.size == (384, 240)
    assert _decode(image) == (["TK.00003"], ["TK.00003"])


@pytest.mark.parametrize("layout", ["3x8", "4x10"])
def test_sheet_pages_place_every_label_and_each_decodes(layout):
    spec = LAYOUTS[layout]
    labels = ALL_LABELS * 4  # 32 labels: two sheets of 24, or one of 40
    pages = label_sheet_pages(labels, layout, skip=1)
    assert len(pages) == -(-(len(labels) + 1) // spec.per_page)
    assert pages[0].size == (mm_to_dots(210, 300), mm_to_dots(297, 300))
    cell_w, cell_h = mm_to_dots(spec.label_width_mm, 300), mm_to_dots(spec.label_height_mm, 300)
    found = []
    for page in pages:
        for row in range(spec.rows):
            for column in range(spec.columns):
                x = mm_to_dots(spec.left_mm + column * spec.label_width_mm, 300)
                y = mm_to_dots(spec.top_mm + row * spec.label_height_mm, 300)
                zx, zb = _decode(page.crop((x, y, x + cell_w, y + cell_h)))
                assert zx == zb
                found += zx
    assert found == [label.code for label in labels]


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils' pdftoppm")
def test_pdf_sheet_decodes_after_rasterising(tmp_path):
    labels = ALL_LABELS * 3  # 24: one 3x8 sheet
    pdf = write_label_sheet_pdf(labels, "3x8", tmp_path / "labels.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-r", "300", "-gray", str(pdf), str(tmp_path / "page")],
                   check=True)
    (page_file,) = sorted(tmp_path.glob("page*.pgm"))
    with Image.open(page_file) as page:
        codes = [r.text for r in zxingcpp.read_barcodes(page,
                                                        formats=zxingcpp.BarcodeFormat.Code128)]
    assert sorted(codes) == sorted(label.code for label in labels)


def test_unknown_layout_and_empty_sheet_are_refused(tmp_path):
    with pytest.raises(ValueError):
        label_sheet_pages(ALL_LABELS, "5x13")
    with pytest.raises(ValueError):
        write_label_sheet_pdf([], "3x8", tmp_path / "empty.pdf")


def test_equipment_label_fields():
    label = EquipmentLabel("TB.CNTT.002", "Máy chiếu", "Trường THCS A")
    assert label.code == "TB.CNTT.002"
    assert _decode(render_label(label, 576, 240))[0] == ["TB.CNTT.002"]
