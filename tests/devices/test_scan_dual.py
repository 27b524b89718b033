"""The camera's default decoding (zxing-cpp, checked and completed by ZBar on bar regions) and its
confirmation, on real photos of the shared corpus and on generated labels."""
import cv2
import numpy as np
import pytest

from bench.corpus import held_still, matches, padded, photos
from bench.labels import background, label_image, place
from devices.confirm import Confirmer
from devices.decoders import PyzbarDecoder, ZxingDecoder
from devices.dual import DualDecoder
from devices.locate import find_bar_regions
from devices.pipeline import FramePipeline


@pytest.fixture(scope="module")
def corpus_photos(corpus_dir):
    return {(p.folder, p.name): p for p in photos(corpus_dir)}


@pytest.fixture(scope="module")
def corpus_dir():
    from scanhelpers import CORPUS

    if not CORPUS.exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS


def scans(pipeline, frames, confirmer=None):
    """The texts that become scans when ``frames`` are shown one after the other."""
    confirmer = confirmer or Confirmer()
    out = []
    for i, frame in enumerate(frames):
        out += [r.text for r in confirmer.feed(pipeline.process(frame), i / 15)]
    return out


def test_zbar_reads_in_the_bar_region_what_zxing_misses(corpus_photos):
    photo = corpus_photos[("upca-2", "02.webp")]
    frame = padded(photo.image, (640, 480))
    assert FramePipeline(ZxingDecoder()).process(frame) == []
    (result,) = FramePipeline(DualDecoder()).process(frame)
    assert matches(result.text, photo.expected)
    assert set(result.readers) == {"zxing", "pyzbar"} and result.evidence == "agreed"
    # the outline is where the photo is: in the middle of the frame
    xs = [x for x, _ in result.points]
    assert 160 < min(xs) < 320 < max(xs) < 480


def test_a_clean_code_is_agreed_and_reported_from_the_first_frame(corpus_photos):
    photo = corpus_photos[("upca-1", "16.webp")]
    frames = held_still(photo.image, (640, 480), 3, "clean")
    pipeline = FramePipeline(DualDecoder())
    first = pipeline.process(frames[0])
    assert [(r.evidence, matches(r.text, photo.expected)) for r in first] == [("agreed", True)]
    confirmer = Confirmer()
    assert [r.text for r in confirmer.feed(first, 0.0)] == ["0456314319671"]


def test_a_misread_isbn_with_a_valid_check_digit_is_not_a_scan(corpus_photos):
    """zxing-cpp alone reads this EAN-13 as 7034759003930 too (its check digit is valid): the
    kiosk before issue 14 turned that into a scan."""
    photo = corpus_photos[("ean13-1", "35.webp")]
    frames = held_still(photo.image, (640, 480), 5, "misread")
    before = scans(FramePipeline(ZxingDecoder()), frames, Confirmer(frames=1))
    assert "7034759003930" in before
    now = scans(FramePipeline(DualDecoder()), frames)
    assert now and all(matches(text, photo.expected) for text in now)


@pytest.mark.parametrize("name", ["1.webp", "2.webp", "6.webp"])
@pytest.mark.parametrize("motion", ["subpixel", "whole"])
def test_an_aliased_photo_that_both_decoders_misread_gives_no_wrong_scan(corpus_photos, name,
                                                                          motion):
    """Moiré makes both decoders read 9074932437075 for this UPC-A on some frames."""
    photo = corpus_photos[("upca-4", name)]
    for size in (None, (640, 480)):
        frames = held_still(photo.image, size, 5, f"alias-{name}", motion)
        got = scans(FramePipeline(DualDecoder()), frames)
        assert all(matches(text, photo.expected) for text in got), got


def test_no_false_scans_on_photos_without_a_code(corpus_photos):
    empties = [p for p in corpus_photos.values() if p.expected is None]
    assert len(empties) >= 15
    pipeline = FramePipeline(DualDecoder())
    for photo in empties:
        for size in (None, (640, 480)):
            assert scans(pipeline, held_still(photo.image, size, 3, photo.name)) == [], \
                photo.name


def test_small_codes_in_a_720p_frame_are_read_from_its_full_resolution(corpus_photos):
    photo = corpus_photos[("upca-2", "02.webp")]
    frame = padded(photo.image, (1280, 720))
    shrunk = FramePipeline(ZxingDecoder(), max_width=640)
    assert shrunk.process(frame) == []
    results = FramePipeline(DualDecoder(), max_width=640).process(frame)
    assert [matches(r.text, photo.expected) for r in results] == [True]
    xs = [x for x, _ in results[0].points]  # outlines in the full frame's pixels
    assert 500 < min(xs) < 640 < max(xs) < 780


@pytest.mark.parametrize("angle", [35, 45, 60])
@pytest.mark.parametrize("symbology,text", [("ean13", "9786041234567"), ("code128", "TK.00003")])
def test_tilted_labels_are_turned_upright(angle, symbology, text):
    rng = np.random.default_rng(3)
    gray = place(background((640, 480), rng), label_image(symbology, text, 2.4), angle, rng)
    frame = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    assert FramePipeline(ZxingDecoder()).process(frame) == []  # zxing-cpp turns by 90 only
    assert [r.text for r in FramePipeline(DualDecoder()).process(frame)] == [text]


@pytest.mark.parametrize("symbology,text", [("ean13", "9786041234567"), ("code128", "TK.00003")])
def test_labels_standing_on_end_are_found_and_turned(symbology, text):
    rng = np.random.default_rng(5)
    gray = place(background((640, 480), rng), label_image(symbology, text, 2.4), 90, rng)
    (result,) = FramePipeline(DualDecoder()).process(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
    assert result.text == text and result.evidence == "agreed"
    ys = [y for _, y in result.points]
    assert max(ys) - min(ys) > 100  # the outline stands upright in the frame too


def test_qr_codes_are_read_by_zxing_alone(corpus_photos):
    photo = corpus_photos[("qrcode-1", "17.webp")]
    (result,) = FramePipeline(DualDecoder()).process(padded(photo.image, (640, 480)))
    assert result.symbology == "qrcode" and result.readers == ("zxing",)
    # the code holds CRLF line ends; the expected file, read as text, LF: both count as one
    assert matches(result.text, photo.expected) and "\r\n" in result.text


def test_the_bar_locator_finds_the_code_and_nothing_in_a_plain_frame(corpus_photos):
    photo = corpus_photos[("upca-1", "35.webp")]
    gray = cv2.cvtColor(padded(photo.image, (640, 480)), cv2.COLOR_BGR2GRAY)
    regions = find_bar_regions(gray)
    assert regions
    best = regions[0]
    h, w = photo.image.shape[:2]
    assert abs(best.cx - 320) < w / 2 and abs(best.cy - 240) < h / 2
    assert best.upright and best.length > 0.4 * w
    assert find_bar_regions(np.full((480, 640), 128, np.uint8)) == []
    turned = find_bar_regions(np.ascontiguousarray(np.rot90(gray)))
    assert turned and not turned[0].upright


def test_zbar_rows_only_and_its_line_count():
    frame = cv2.cvtColor(
        place(background((640, 480), np.random.default_rng(1)),
              label_image("ean13", "9786041234567", 2.4), 0, np.random.default_rng(1)),
        cv2.COLOR_GRAY2BGR)
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    (reading,) = PyzbarDecoder(["ean13"], rows_only=True).read(gray)
    assert reading.code.text == "9786041234567" and reading.share > 0.9 and reading.lines > 40
    (every_other,) = PyzbarDecoder(["ean13"], rows_only=True, row_step=2).read(gray)
    assert abs(every_other.lines - reading.lines / 2) <= 2
    turned = np.ascontiguousarray(np.rot90(gray))
    assert PyzbarDecoder(["ean13"], rows_only=True).read(turned) == []
    assert [r.text for r in PyzbarDecoder(["ean13"]).decode(turned)] == ["9786041234567"]
