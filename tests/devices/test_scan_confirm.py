"""Confirmation of 1-D camera readings (devices.confirm): what becomes a scan, and when."""
import pytest

from devices.confirm import Confirmer
from devices.decoders import Decoded

BOX = ((100, 200), (300, 200), (300, 201), (100, 201))
ISBN, OTHER = "9786041234567", "9786041234574"


def reading(text=ISBN, evidence="single", symbology="ean13", points=BOX):
    return Decoded(text, symbology, points, ("zxing",), evidence)


def texts(results):
    return [r.text for r in results]


def test_two_decoders_agreeing_report_at_once():
    c = Confirmer()
    assert texts(c.feed([reading(evidence="agreed")], 0.0)) == [ISBN]


def test_one_decoder_needs_a_second_frame_within_the_window():
    c = Confirmer(frames=2, window_s=1.0)
    assert c.feed([reading()], 0.0) == []
    assert texts(c.feed([reading()], 0.07)) == [ISBN]  # one frame later
    assert texts(c.feed([reading()], 0.14)) == [ISBN]  # still confirmed while it is seen


def test_two_sightings_too_far_apart_do_not_confirm():
    c = Confirmer(frames=2, window_s=1.0)
    assert c.feed([reading()], 0.0) == []
    assert c.feed([reading()], 1.5) == []
    assert texts(c.feed([reading()], 1.6)) == [ISBN]


def test_a_frame_without_the_code_does_not_break_the_confirmation():
    c = Confirmer()
    assert c.feed([reading()], 0.0) == []
    assert c.feed([], 0.07) == []
    assert texts(c.feed([reading()], 0.14)) == [ISBN]


def test_contested_readings_are_never_reported_and_count_against():
    c = Confirmer()
    for at in (0.0, 0.07):  # the decoders disagree twice
        assert c.feed([reading(evidence="contested"), reading(OTHER, "contested")], at) == []
    # two clean frames for the same text are not enough after two disputed ones...
    assert c.feed([reading()], 0.14) == []
    assert c.feed([reading()], 0.21) == []
    assert c.feed([reading()], 0.28) == []
    # ...twice as many are
    assert texts(c.feed([reading()], 0.35)) == [ISBN]
    # and the rival never made it
    assert OTHER not in texts(c.feed([reading(OTHER)], 0.42))


def test_doubtful_readings_never_add_up():
    c = Confirmer()
    for i in range(10):
        assert c.feed([reading(evidence="doubtful")], i * 0.07) == []


def test_codes_with_error_correction_are_reported_as_read():
    c = Confirmer()
    qr = Decoded("GD-20261126-000123", "qrcode", BOX, ("zxing",))
    assert c.feed([qr], 0.0) == [qr]


def test_one_frame_reports_every_reading():
    c = Confirmer(frames=1)
    assert texts(c.feed([reading()], 0.0)) == [ISBN]


def test_a_book_after_another_at_the_same_place():
    """A student shows one book, then the next one at the same spot: both are scans."""
    c = Confirmer()
    shown = []
    for i in range(6):
        shown += texts(c.feed([reading(ISBN)], i * 0.07))
    for i in range(6, 12):
        shown += texts(c.feed([reading(OTHER)], i * 0.07))
    assert ISBN in shown and OTHER in shown
    assert shown.index(OTHER) == shown.count(ISBN) and shown.count(OTHER) == 5


def test_memory_is_bounded():
    c = Confirmer(max_readings=100)
    for i in range(10_000):
        c.feed([reading(f"{i:013d}")], i * 0.0001)
    assert len(c._history) <= 100


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        Confirmer(frames=0)
    with pytest.raises(ValueError):
        Confirmer(window_s=0)
