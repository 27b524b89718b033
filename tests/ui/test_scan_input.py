"""The window's key events through the wedge decoder (the decoder itself: tests/devices)."""
from devices.wedge import WedgeDecoder
from kiosk.ui.scan_input import WedgeInput


def make(**options):
    scans, texts = [], []
    options.setdefault("min_length", 4)
    decoder = WedgeDecoder(max_key_gap=0.04, source="keyboard", **options)
    wedge = WedgeInput(scans.append, texts.append, decoder=decoder)
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


def test_kivy_handlers_take_text_from_textinput_and_the_suffix_from_key_down():
    # What SDL sends for a scanner typing "GK.1" then Enter: key downs with unshifted
    # codepoints (and one for Shift itself), and the typed text separately.
    wedge, scans, _ = make(min_length=2)
    clock = iter([i * 0.001 for i in range(40)])
    wedge._now = lambda: next(clock)
    for char in "GK.1":
        if char.isupper():
            assert wedge.on_key_down(None, 304, 225, "\u0130", []) is False  # Shift
        assert wedge.on_key_down(None, ord(char.lower()), 0, char.lower(),
                                 ["shift"] if char.isupper() else []) is False
        assert wedge.on_textinput(None, char) is True
    assert wedge.on_key_down(None, 13, 40, None, []) is True
    assert scans == ["GK.1"]


def test_a_late_frame_does_not_split_a_scan():
    """A scanner types every 8 ms; the window's loop stalls 90 ms in the middle of the code and
    then handles the keys typed meanwhile all at once. Without the lateness taken off, the
    90 ms look like the pause that ends a code: "GK.0" and "0001" would arrive apart."""
    from kiosk.ui.scan_input import WedgeInput
    from devices.wedge import WedgeDecoder

    scans, typed = [], []
    clock = {"now": 100.0, "frame": 1, "late": 0.0}
    wedge = WedgeInput(scans.append, typed.append,
                       decoder=WedgeDecoder(max_key_gap=0.05, min_length=4),
                       now=lambda: clock["now"],
                       frame=lambda: (clock["frame"], clock["late"]))
    for key in "GK.0":
        wedge.feed_key(key)
        clock["now"] += 0.008
    clock["now"] += 0.09  # the stall
    clock["frame"], clock["late"] = 2, 0.09 - 1 / 60
    wedge.poll()  # the clock's poll runs first in the late frame
    for key in "0001\r":
        wedge.feed_key(key)
    assert scans == ["GK.00001"] and typed == []
    # The same stall with no lateness known (a decoder measuring plain handling time) splits.
    scans.clear()
    plain = WedgeInput(scans.append, typed.append,
                       decoder=WedgeDecoder(max_key_gap=0.05, min_length=4),
                       now=lambda: clock["now"])
    clock["now"] = 200.0
    for key in "GK.0":
        plain.feed_key(key)
        clock["now"] += 0.008
    clock["now"] += 0.09
    plain.poll()
    for key in "0001\r":
        plain.feed_key(key)
    assert scans != ["GK.00001"]


class _Window:
    """What ``on_key_down`` is handed as the window (unused by the handler)."""


def test_a_usb_keyboard_backspace_arrives_in_order_with_the_typed_keys():
    clock = [10.0]
    scans, texts = [], []
    wedge = WedgeInput(scans.append, texts.append,
                       decoder=WedgeDecoder(max_key_gap=0.04, min_length=4),
                       now=lambda: clock[0])
    for ch in "Bai":
        wedge.on_textinput(_Window(), ch)
        clock[0] += 0.25
        wedge.poll()
    assert wedge.on_key_down(_Window(), 8) is True  # Backspace
    clock[0] += 0.25
    wedge.poll()
    wedge.on_textinput(_Window(), "f")
    clock[0] += 0.25
    wedge.poll()
    assert "".join(texts) == "Bai\bf" and scans == []
    # a scanner's burst between typed keys is still one scan
    for ch in "TB.KHTN6.001":
        wedge.on_textinput(_Window(), ch)
        clock[0] += 0.004
    wedge.on_key_down(_Window(), 13)
    assert scans == ["TB.KHTN6.001"] and "".join(texts) == "Bai\bf"
