"""The window's key events through the wedge decoder (the decoder itself: tests/devices)."""
from kiosk.ui.scan_input import WedgeInput


def make(**options):
    scans, texts = [], []
    wedge = WedgeInput(scans.append, texts.append, max_gap_s=0.04, min_length=4, **options)
    return wedge, scans, texts


def test_fast_burst_with_enter_is_a_scan():
    wedge, scans, texts = make()
    for i, ch in enumerate("TK.00001"):
        wedge.feed_key(ch, at=10 + i * 0.005)
    wedge.feed_key("\r", at=10.045)
    assert scans == ["TK.00001"] and texts == []


def test_slow_typing_is_text():
    wedge, scans, texts = make()
    for i, ch in enumerate("1234"):
        wedge.feed_key(ch, at=10 + i * 0.3)
    wedge.feed_key("\r", at=11.5)
    wedge.poll(at=12)
    assert scans == [] and "".join(texts) == "1234\r"


def test_typed_key_then_scan():
    wedge, scans, texts = make()
    wedge.feed_key("x", at=1.0)
    for i, ch in enumerate("GV0012"):
        wedge.feed_key(ch, at=2 + i * 0.01)
    wedge.feed_key("\r", at=2.06)
    assert texts == ["x"] and scans == ["GV0012"]


def test_lost_suffix_ends_the_scan_on_a_pause():
    wedge, scans, _ = make(suffix="none")
    for i, ch in enumerate("TK.00002"):
        wedge.feed_key(ch, at=5 + i * 0.005)
    wedge.poll(at=6)
    assert scans == ["TK.00002"]


def test_kivy_handler_maps_key_codes():
    wedge, scans, _ = make()
    clock = iter([i * 0.001 for i in range(20)])
    wedge._now = lambda: next(clock)
    for ch in "0123456789":
        assert wedge.on_key_down(None, ord(ch), 0, ch, []) is True
    assert wedge.on_key_down(None, 13, 40, None, []) is True
    assert scans == ["0123456789"]
    assert wedge.on_key_down(None, ord("c"), 0, "c", ["ctrl"]) is False
