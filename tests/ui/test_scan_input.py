"""The keyboard-wedge decoder, with hand-made timings."""
from kiosk.ui.scan_input import WedgeInput


def make():
    scans, texts = [], []
    return WedgeInput(scans.append, texts.append, max_gap_s=0.04, min_length=4), scans, texts


def test_fast_burst_with_enter_is_a_scan():
    wedge, scans, texts = make()
    for i, ch in enumerate("TK.00001"):
        wedge.feed_char(ch, at=10 + i * 0.005)
    wedge.feed_enter(at=10.05)
    assert scans == ["TK.00001"] and texts == []


def test_slow_typing_is_text():
    wedge, scans, texts = make()
    for i, ch in enumerate("1234"):
        wedge.feed_char(ch, at=10 + i * 0.3)
    wedge.feed_enter(at=11.5)
    assert scans == [] and texts == ["1", "2", "3", "4", "\n"]


def test_typed_prefix_then_scan():
    wedge, scans, texts = make()
    wedge.feed_char("x", at=1.0)
    for i, ch in enumerate("GV0012"):
        wedge.feed_char(ch, at=2 + i * 0.01)
    wedge.feed_enter(at=2.07)
    assert texts == ["x"] and scans == ["GV0012"]


def test_too_short_is_not_a_scan():
    wedge, scans, texts = make()
    wedge.feed_char("1", at=1.0)
    wedge.feed_enter(at=1.01)
    assert scans == [] and texts == ["1", "\n"]


def test_poll_flushes_stale_chars_and_suffix_none_scans_on_pause():
    wedge, scans, texts = make()
    wedge.feed_char("a", at=1.0)
    wedge.poll(at=2.0)
    assert texts == ["a"]
    quiet = WedgeInput(scans.append, texts.append, max_gap_s=0.04, suffix="none")
    for i, ch in enumerate("TK.00002"):
        quiet.feed_char(ch, at=5 + i * 0.005)
    quiet.poll(at=6)
    assert scans == ["TK.00002"]


def test_kivy_handler_signature():
    wedge, scans, _ = make()
    clock = iter([0.0 + i * 0.001 for i in range(20)])
    wedge._now = lambda: next(clock)
    for ch in "0123456789":
        wedge.on_key_down(None, ord(ch), 0, ch, [])
    assert wedge.on_key_down(None, 13, 40, None, []) is True
    assert scans == ["0123456789"]
