"""Decoders on real photos (zxing-samples) and on generated project labels."""
from pathlib import Path

import cv2
import numpy as np
import pytest

from scanhelpers import label_frame
from devices.decoders import PyzbarDecoder, ZxingDecoder, make_decoder
from devices.pipeline import FramePipeline, draw_outlines


def read_image(path: Path) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:  # OpenCV refuses some tiny WebP files
        from PIL import Image

        with Image.open(path) as pil:
            image = np.array(pil.convert("L"))
    return image


@pytest.mark.parametrize("name", ["zxing", "pyzbar"])
@pytest.mark.parametrize("sample,symbology", [
    ("code128-1/1.png", "code128"), ("ean13-1/4.webp", "ean13"), ("qrcode-1/1.webp", "qrcode"),
    ("code39-1/1.png", "code39"),
])
def test_real_photos(corpus, name, sample, symbology):
    path = corpus / sample
    expected = path.with_suffix(".txt").read_text(encoding="utf-8").strip()
    results = make_decoder(name).decode(read_image(path))
    assert [(r.text, r.symbology) for r in results] == [(expected, symbology)]
    assert len(results[0].points) >= 4


@pytest.mark.parametrize("name", ["zxing", "pyzbar"])
def test_no_false_reads_on_the_falsepositives_folder(corpus, name):
    decoder = make_decoder(name)
    images = sorted(p for p in (corpus / "falsepositives-1").iterdir()
                    if p.suffix in (".png", ".webp", ".jpg"))
    assert len(images) >= 15
    found = {p.name: [r.text for r in decoder.decode(read_image(p))] for p in images}
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("cls", [ZxingDecoder, PyzbarDecoder])
@pytest.mark.parametrize("symbology,text", [
    ("code128", "TK.00003"), ("code128", "0123456789"), ("code128", "TB.KHTN6.001"),
    ("ean13", "9786041234567"), ("qrcode", "GD-20261126-000123"),
])
def test_generated_labels(cls, symbology, text):
    results = FramePipeline(cls()).process(label_frame(symbology, text))
    assert [(r.text, r.symbology) for r in results] == [(text, symbology)]


@pytest.mark.parametrize("cls", [ZxingDecoder, PyzbarDecoder])
def test_only_configured_symbologies(cls):
    frame = label_frame("code128", "TK.00003")
    assert FramePipeline(cls(["ean13", "qrcode"])).process(frame) == []


def test_unknown_symbology_and_decoder_are_refused():
    with pytest.raises(ValueError):
        ZxingDecoder(["code128", "morse"])
    with pytest.raises(ValueError):
        make_decoder("opencv")
    with pytest.raises(ValueError):
        PyzbarDecoder(["datamatrix"])


@pytest.mark.parametrize("cls", [ZxingDecoder, PyzbarDecoder])
def test_region_of_interest_and_downscale_keep_full_frame_outlines(cls):
    frame = label_frame("code128", "TK.00003", size=(1280, 720), module_px=4.0, where="right")
    right = FramePipeline(cls(), roi=(0.5, 0.0, 0.5, 1.0), max_width=320)
    left = FramePipeline(cls(), roi=(0.0, 0.0, 0.5, 1.0), max_width=320)
    assert left.process(frame) == []
    (result,) = right.process(frame)
    xs = [x for x, _ in result.points]
    ys = [y for _, y in result.points]
    # the label is centred at x = 960, y = 360 in the full frame
    assert 700 < min(xs) < 960 < max(xs) < 1230
    assert min(ys) <= 380 and max(ys) >= 340


def test_roi_must_lie_inside_the_frame():
    with pytest.raises(ValueError):
        FramePipeline(ZxingDecoder(), roi=(0.5, 0.5, 0.6, 0.2))


def test_outline_is_drawn_on_a_copy():
    frame = label_frame("qrcode", "GD-1", size=(640, 480))
    (result,) = FramePipeline(ZxingDecoder()).process(frame)
    preview = draw_outlines(frame, [result])
    x, y = result.points[0]
    assert tuple(preview[y, x]) == (0, 200, 0)
    assert not np.array_equal(preview, frame)
    assert tuple(frame[y, x]) != (0, 200, 0)
