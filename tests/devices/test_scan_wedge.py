"""The keyboard-wedge decoder: scans told from typing by gaps, suffix and length."""
from devices.events import ScanEvent
from devices.wedge import TypedText, WedgeDecoder


def type_keys(decoder, keys, t0=0.0, gap=0.008):
    """Feed ``keys`` with ``gap`` seconds between them; return (outputs, time after)."""
    out = []
    t = t0
    for key in keys:
        out += decoder.feed(key, t)
        t += gap
    return out, t - gap


def scans(outputs):
    return [o.code for o in outputs if isinstance(o, ScanEvent)]


def typed(outputs):
    return "".join(o.text for o in outputs if isinstance(o, TypedText))


def test_a_scan_with_enter_is_one_event():
    d = WedgeDecoder()
    out, t = type_keys(d, "9786041234567\r")
    assert scans(out) == ["9786041234567"]
    assert typed(out) == ""
    assert out[0].source == "keyboard" and out[0].at == t
    assert not d.pending


def test_sixteen_ms_gaps_are_still_a_scanner():
    d = WedgeDecoder()
    out, _ = type_keys(d, "TK.00003\r", gap=0.016)
    assert scans(out) == ["TK.00003"]


def test_typing_passes_through_untouched():
    d = WedgeDecoder()
    out, t = type_keys(d, "Nam 7A\r", gap=0.15)
    out += d.poll(t + 1)
    assert scans(out) == []
    assert typed(out) == "Nam 7A\r"


def test_prefix_enter_is_swallowed():
    d = WedgeDecoder()
    out, _ = type_keys(d, "\rGV0012\r")
    assert scans(out) == ["GV0012"]
    assert typed(out) == ""


def test_a_lone_enter_from_a_person_is_passed_on_after_a_pause():
    d = WedgeDecoder()
    out = d.feed("\r", 1.0)
    assert out == []
    assert d.poll(1.01) == []
    assert typed(d.poll(1.2)) == "\r"


def test_two_glued_scans_are_two_events():
    d = WedgeDecoder()
    out, _ = type_keys(d, "TK.00003\rTK.00004\r")
    assert scans(out) == ["TK.00003", "TK.00004"]


def test_glued_scans_without_suffix_split_at_the_pause():
    d = WedgeDecoder(suffix="none")
    out, t = type_keys(d, "TK.00003")
    more, t = type_keys(d, "GV0012", t0=t + 0.2)
    out += more + d.poll(t + 0.2)
    assert scans(out) == ["TK.00003", "GV0012"]


def test_lost_suffix_pause_ends_the_code():
    d = WedgeDecoder()
    out, t = type_keys(d, "0123456789")
    assert scans(out) == []
    assert d.poll(t + 0.01) == []  # not yet a pause
    assert scans(d.poll(t + 0.1)) == ["0123456789"]


def test_short_fast_burst_is_typing():
    d = WedgeDecoder(min_length=4)
    out, _ = type_keys(d, "ab\r")
    assert scans(out) == []
    assert typed(out) == "ab\r"


def test_a_code_of_exactly_the_minimum_length_is_a_scan_and_one_shorter_is_typing():
    for min_length in (4, 6):
        d = WedgeDecoder(min_length=min_length)
        exact, t = type_keys(d, "7" * min_length + "\r")
        assert scans(exact) == ["7" * min_length] and typed(exact) == ""
        shorter, _ = type_keys(d, "7" * (min_length - 1) + "\r", t0=t + 1)
        assert scans(shorter) == [] and typed(shorter) == "7" * (min_length - 1) + "\r"
    d = WedgeDecoder(min_length=4, suffix="none")  # ended by the pause alone, the same rule
    exact, t = type_keys(d, "GV01")
    exact += d.poll(t + 0.2)
    shorter, t = type_keys(d, "GV0", t0=t + 1)
    shorter += d.poll(t + 0.2)
    assert scans(exact) == ["GV01"] and scans(shorter) == [] and typed(shorter) == "GV0"


def test_tab_suffix():
    d = WedgeDecoder(suffix="tab")
    out, _ = type_keys(d, "TK.00003\t")
    assert scans(out) == ["TK.00003"]


def test_cr_lf_after_a_scan_is_swallowed():
    d = WedgeDecoder()
    out, _ = type_keys(d, "TK.00003\r\n")
    assert scans(out) == ["TK.00003"]
    assert typed(out) == ""


def test_typing_then_scan_then_typing():
    d = WedgeDecoder()
    out, t = type_keys(d, "ab", gap=0.2)
    more, t = type_keys(d, "TK.00003\r", t0=t + 0.2)
    out += more
    more, t = type_keys(d, "cd", t0=t + 0.3, gap=0.2)
    out += more + d.poll(t + 1)
    assert scans(out) == ["TK.00003"]
    assert typed(out) == "abcd"


def test_a_line_that_never_ends_is_dropped_and_memory_stays_bounded():
    d = WedgeDecoder(max_length=64)
    t = 0.0
    for i in range(100_000):
        assert d.feed("7", t) == []
        t += 0.001
    assert len(d._keys) <= 65
    out = d.feed("\r", t)
    assert scans(out) == [] and d.dropped == 1
    out, _ = type_keys(d, "TK.00003\r", t0=t + 1)
    assert scans(out) == ["TK.00003"]


def test_control_characters_in_a_scan_are_refused():
    d = WedgeDecoder()
    out, _ = type_keys(d, "TK\x0000003\r")
    assert scans(out) == [] and d.dropped == 1


def test_named_keys_are_typing():
    d = WedgeDecoder()
    out, t = type_keys(d, ["a", "backspace", "b", "c", "\r"])
    assert scans(out) == []
    assert typed(out) == "abackspacebc\r"


def test_a_flood_of_scans_is_handled_one_by_one():
    d = WedgeDecoder()
    t, count = 0.0, 0
    for i in range(1000):
        out, t = type_keys(d, f"{i:08d}\r", t0=t, gap=0.0001)
        count += len(scans(out))
        t += 0.0001
    assert count == 1000


def test_window_key_events_to_decoder_keys():
    from devices.wedge import window_key

    assert window_key(13, None) == "\r" and window_key(271, "\r") == "\r"
    assert window_key(9, "\t") == "\t"
    assert window_key(116, "T") == "T" and window_key(46, ".") == "."
    assert window_key(304, None) is None  # shift alone
    assert window_key(282, "") is None  # F1
    d = WedgeDecoder()
    keys = [(304, None), (116, "T"), (107, "K"), (46, "."), (48, "0"), (51, "3"), (13, None)]
    out = []
    for i, (code, text) in enumerate(keys):
        key = window_key(code, text)
        if key is not None:
            out += d.feed(key, i * 0.008)
    assert scans(out) == ["TK.03"]
