"""The hub: several sources into one bounded queue, statuses, a flood."""
import os
import threading

from scanhelpers import wait_for
from devices.events import ScanEvent
from devices.hub import ScanHub
from devices.source import ScanSource
from devices.stream_source import LineStreamSource


class Flood(ScanSource):
    """A source that emits codes as fast as it can (a stuck trigger), through _emit."""

    def __init__(self, count):
        super().__init__("flood")
        self.count = count

    def _run(self):
        self._set_status("connected")
        for i in range(self.count):
            if self._stopping():
                return
            self._emit(f"{i:08d}")
        self._emit("\x00" * 10_000)  # garbage at the end
        self._set_status("ended")


def test_flood_is_bounded_and_keeps_the_newest(caplog):
    source = Flood(10_000)
    hub = ScanHub([source], maxsize=50)
    hub.start()
    try:
        assert wait_for(lambda: source.status.state == "ended")
    finally:
        hub.stop()
    events = hub.drain()
    assert len(events) == 50
    assert hub.dropped == 10_000 - 50
    assert events[-1].code == "00009999"
    assert source.dropped == 1
    assert caplog.text.count("scan queue full") == 1  # one line for the burst, not 9950


def test_two_sources_into_one_stream():
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    a = LineStreamSource(r1, source_name="a")
    b = LineStreamSource(r2, source_name="b", min_length=4)
    hub = ScanHub([a, b])
    with hub:
        assert wait_for(lambda: all(s.state == "connected" for s in hub.statuses().values()))
        os.write(w1, b"TK.00003\n")
        first = hub.get(5)
        os.write(w2, b"abc\nGV0012\n")  # "abc" is shorter than min_length
        second = hub.get(5)
        os.close(w1)
        assert wait_for(lambda: hub.statuses()["a"].state == "ended")
    for fd in (r1, r2, w2):
        os.close(fd)
    assert (first.code, first.source) == ("TK.00003", "a")
    assert (second.code, second.source) == ("GV0012", "b")
    assert hub.get(0.01) is None


def test_a_broken_consumer_does_not_stop_the_source():
    calls = []

    def on_scan(event):
        calls.append(event)
        raise RuntimeError("UI bug")

    source = Flood(3)
    source.start(on_scan)
    assert wait_for(lambda: source.status.state == "ended")
    source.stop()
    assert [e.code for e in calls] == ["00000000", "00000001", "00000002"]


def test_get_blocks_until_an_event_arrives():
    hub = ScanHub([])
    timer = threading.Timer(0.05, hub.put, args=(ScanEvent("TK.00003"),))
    timer.start()
    assert hub.get(5).code == "TK.00003"
    timer.join()


class Garbage(ScanSource):
    """A source whose every code is refused (a scanner spewing control characters)."""

    def _run(self):
        for i in range(5000):
            self._emit(f"\x1b[{i}m")
        self._set_status("ended")


def test_refused_codes_are_counted_but_logged_sparingly(caplog):
    source = Garbage("garbage")
    source.start(lambda e: None)
    assert wait_for(lambda: source.status.state == "ended")
    source.stop()
    assert source.dropped == 5000
    assert len(source.drop_reasons) == 20
    assert 1 <= caplog.text.count("dropped code") <= 3
