"""The evdev source: US key map, replayed key traces, reopening after an unplug, UInput."""
import os
import threading
import time

import pytest

from scanhelpers import DATA, wait_for
from devices.errors import SourceUnavailable
from devices.evdev_source import EvdevSource, find_device
from devices.evdev_trace import TraceDevice, load_trace, save_trace
from devices.keymap import KEY_DOWN, KEY_LEFTSHIFT, KEY_REPEAT, KEY_UP, KeyTranslator

TRACE = DATA / "scanner_trace.json"


def test_us_map_with_shift():
    tr = KeyTranslator()
    keys = [(KEY_LEFTSHIFT, KEY_DOWN), (20, KEY_DOWN), (20, KEY_UP), (37, KEY_DOWN),
            (KEY_LEFTSHIFT, KEY_UP), (52, KEY_DOWN), (11, KEY_DOWN), (11, KEY_REPEAT),
            (KEY_LEFTSHIFT, KEY_DOWN), (12, KEY_DOWN), (KEY_LEFTSHIFT, KEY_UP), (12, KEY_DOWN),
            (28, KEY_DOWN), (96, KEY_DOWN), (79, KEY_DOWN), (59, KEY_DOWN)]
    chars = [tr.key(code, value) for code, value in keys]
    assert "".join(c for c in chars if c) == "TK.0_-\r\r1"  # F1 (59) gives nothing


def collect(source, count, timeout=10.0):
    events = []
    source.start(events.append)
    try:
        wait_for(lambda: len(events) >= count, timeout)
    finally:
        source.stop()
    return events


def test_replayed_trace_gives_the_codes():
    name, events = load_trace(TRACE)
    import json

    expected = json.loads(TRACE.read_text())["codes"]
    source = EvdevSource(name="scanner", opener=lambda: TraceDevice(events, name, speed=2.0))
    got = collect(source, len(expected))
    assert [e.code for e in got] == expected
    assert all(e.source == "evdev:scanner" and e.symbology is None for e in got)
    assert got == sorted(got, key=lambda e: e.at)
    assert source.dropped == 0


def test_trace_without_enter_ends_on_the_pause():
    name, events = load_trace(TRACE)
    no_enter = [e for e in events if not (e[2] == 1 and e[3] == 28)]  # drop Enter keys
    source = EvdevSource(name="scanner", suffix="enter", pause_s=0.1,
                         opener=lambda: TraceDevice(no_enter, name, speed=2.0))
    got = collect(source, 5)
    assert [e.code for e in got][:2] == ["TK.00003", "9786041234567"]


def test_unplug_and_replug_reopens_the_scanner(tmp_path):
    name, events = load_trace(TRACE)
    first = events[:len(events) // 5]  # TK.00003 then the unplug
    plugged = threading.Event()
    calls = []

    def opener():
        calls.append(time.monotonic())
        if len(calls) == 1:
            return TraceDevice(first, name, speed=2.0, unplug_at_end=True)
        if not plugged.is_set():
            raise SourceUnavailable("no input device matches scanner")
        return TraceDevice(events, name, speed=4.0)

    source = EvdevSource(name="scanner", opener=opener)
    got = []
    source.start(got.append)
    try:
        assert wait_for(lambda: got and source.status.state == "waiting", 5)
        assert [e.code for e in got] == ["TK.00003"]
        assert "device lost" in source.status.detail or "no input device" in source.status.detail
        time.sleep(0.7)  # unplugged for a while: several reopen attempts fail
        plugged.set()
        back = time.monotonic()
        # the requirement: reopened within 2 s after the scanner is back
        assert wait_for(lambda: source.status.state == "connected", 2.0)
        assert time.monotonic() - back < 2.0
        assert wait_for(lambda: len(got) >= 6, 10)
    finally:
        source.stop()
    assert [e.code for e in got][:3] == ["TK.00003", "TK.00003", "9786041234567"]
    assert len(calls) >= 3


def test_missing_device_is_a_waiting_status_not_a_crash():
    source = EvdevSource(name="no such scanner anywhere")
    source.start(lambda e: None)
    try:
        assert wait_for(lambda: source.status.state in ("waiting", "error"), 3)
        assert source.running
    finally:
        source.stop()
    assert source.status.state == "stopped"


def test_find_device_by_name_raises_when_absent():
    with pytest.raises(SourceUnavailable):
        find_device(name="no such scanner anywhere")


def test_trace_round_trip(tmp_path):
    name, events = load_trace(TRACE)
    save_trace(tmp_path / "t.json", name, events[:10])
    assert load_trace(tmp_path / "t.json") == (name, events[:10])


uinput_usable = os.path.exists("/dev/uinput") and os.access("/dev/uinput", os.W_OK)


@pytest.mark.skipif(not uinput_usable, reason="/dev/uinput is absent or not writable here "
                    "(no uinput kernel module in this container)")
def test_uinput_virtual_scanner():
    import evdev
    from evdev import ecodes as e

    keys = [e.KEY_LEFTSHIFT, e.KEY_T, e.KEY_K, e.KEY_DOT, e.KEY_0, e.KEY_3, e.KEY_ENTER]
    with evdev.UInput({e.EV_KEY: keys}, name="kiosk-test-scanner") as ui:
        time.sleep(0.3)  # udev makes the node
        source = EvdevSource(name="kiosk-test-scanner")
        got = []
        source.start(got.append)
        try:
            assert wait_for(lambda: source.status.state == "connected", 3)
            for key, shift in [(e.KEY_T, 1), (e.KEY_K, 1), (e.KEY_DOT, 0), (e.KEY_0, 0),
                               (e.KEY_0, 0), (e.KEY_0, 0), (e.KEY_0, 0), (e.KEY_3, 0),
                               (e.KEY_ENTER, 0)]:
                if shift:
                    ui.write(e.EV_KEY, e.KEY_LEFTSHIFT, 1)
                ui.write(e.EV_KEY, key, 1)
                ui.write(e.EV_KEY, key, 0)
                if shift:
                    ui.write(e.EV_KEY, e.KEY_LEFTSHIFT, 0)
                ui.syn()
                time.sleep(0.005)
            assert wait_for(lambda: got, 3)
        finally:
            source.stop()
        assert [ev.code for ev in got] == ["TK.00003"]


def test_no_permission_is_an_error_status_and_keeps_retrying():
    calls = []

    def opener():
        calls.append(1)
        raise PermissionError("/dev/input/event3: Permission denied")

    source = EvdevSource(name="scanner", opener=opener)
    source.retry_s = 0.05
    source.start(lambda e: None)
    try:
        assert wait_for(lambda: len(calls) >= 2, 3)
        assert source.status.state == "error"
        assert "Permission denied" in source.status.detail
    finally:
        source.stop()
