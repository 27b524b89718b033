"""The serial source over real pty pairs and pyserial's loop://, and its line buffer."""
import os
import tty

import pytest
import serial

from scanhelpers import wait_for
from devices.hub import ScanHub
from devices.linebuffer import LineBuffer
from devices.serial_source import SerialSource


@pytest.fixture
def pty_pair():
    """(master fd, slave path): the test is the scanner on the master side."""
    master, slave = os.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)
    yield master, path
    for fd in (master, slave):
        try:
            os.close(fd)
        except OSError:
            pass


def started(source, events):
    source.start(events.append)
    assert wait_for(lambda: source.status.state == "connected", 5), source.status
    return source


def test_pty_scans(pty_pair):
    master, path = pty_pair
    events = []
    source = started(SerialSource(path, baudrate=9600), events)
    try:
        os.write(master, b"TK.00003\r\n9786041234567\r")
        os.write(master, b"\nGV00")
        os.write(master, b"12\n")
        assert wait_for(lambda: len(events) >= 3)
    finally:
        source.stop()
    assert [e.code for e in events] == ["TK.00003", "9786041234567", "GV0012"]
    assert all(e.source == f"serial:{path}" for e in events)


def test_pty_garbage_binary_and_endless_lines_are_dropped(pty_pair, caplog):
    master, path = pty_pair
    events = []
    source = started(SerialSource(path, max_length=64), events)
    try:
        os.write(master, b"\x00\x01\xff\xfe\x80garbage\r\n")  # not UTF-8
        os.write(master, b"AB\x07CD\r\n")  # a control character
        for _ in range(40):  # 40 KB of a line that never ends
            os.write(master, b"9" * 1024)
        os.write(master, b"\r\nTK.00003\r\n")
        assert wait_for(lambda: events)
        assert wait_for(lambda: source.dropped >= 3)
        assert len(source._buffer._buf) <= source._buffer.limit
    finally:
        source.stop()
    assert [e.code for e in events] == ["TK.00003"]
    reasons = " ".join(source.drop_reasons)
    assert "not_text" in reasons and "control_character" in reasons and "too_long" in reasons
    assert "dropped line: not_text" in caplog.text  # logged, at most once a second


def test_pty_unplug_and_replug(tmp_path):
    link = tmp_path / "ttyScanner"
    master, slave = os.openpty()
    link.symlink_to(os.ttyname(slave))
    os.close(slave)
    events = []
    source = started(SerialSource(str(link)), events)
    try:
        os.write(master, b"TK.00001\r\n")
        assert wait_for(lambda: len(events) == 1)
        os.close(master)  # unplugged: the reader gets an error
        link.unlink()
        assert wait_for(lambda: source.status.state == "waiting", 5)
        master, slave = os.openpty()  # plugged back: a new tty behind the same name
        link.symlink_to(os.ttyname(slave))
        os.close(slave)
        assert wait_for(lambda: source.status.state == "connected", 2.0)
        os.write(master, b"TK.00002\r\n")
        assert wait_for(lambda: len(events) == 2)
    finally:
        source.stop()
        os.close(master)
    assert [e.code for e in events] == ["TK.00001", "TK.00002"]


def test_loop_url():
    port = serial.serial_for_url("loop://", timeout=0.05)
    events = []
    source = started(SerialSource("loop://", port_factory=lambda *a, **k: port), events)
    try:
        port.write(b"TB.KHTN6.001\r\n")
        assert wait_for(lambda: events)
    finally:
        source.stop()
    assert events[0].code == "TB.KHTN6.001" and events[0].source == "serial:loop://"


def test_loop_url_opened_by_the_source_itself():
    events = []
    source = started(SerialSource("loop://", baudrate=115200), events)
    source.stop()
    assert source.status.state == "stopped"


def test_a_thousand_scans_into_a_bounded_hub(pty_pair):
    master, path = pty_pair
    source = SerialSource(path, baudrate=115200)
    hub = ScanHub([source], maxsize=64)
    hub.start()
    try:
        assert wait_for(lambda: source.status.state == "connected")
        payload = b"".join(f"{i:010d}\r\n".encode() for i in range(1000))
        os.write(master, payload)
        assert wait_for(lambda: hub.dropped + len(hub._queue) >= 1000, 10)
        assert len(hub._queue) <= 64
        drained = hub.drain()
    finally:
        hub.stop()
    assert hub.dropped == 1000 - len(drained)
    assert drained[-1].code == "0000000999"  # the newest kept, oldest dropped


def test_missing_port_waits_and_retries():
    source = SerialSource("/dev/does-not-exist-ttyACM9")
    source.start(lambda e: None)
    try:
        assert wait_for(lambda: source.status.state == "waiting", 3)
        assert source.running
    finally:
        source.stop()


def test_linebuffer_accepts_cr_lf_or_crlf_and_exact_terminators():
    buf = LineBuffer("\r\n")
    assert buf.feed(b"A1\rB2\nC3\r\nD4") == [("A1", None), ("B2", None), ("C3", None)]
    assert buf.flush() == [("D4", None)]
    exact = LineBuffer(";")
    assert exact.feed(b"A1;B2\r;") == [("A1", None), ("B2\r", None)]
    none = LineBuffer("")
    assert none.feed(b"ABC\r\n") == []
    assert none.flush() == [("ABC\r\n", None)]


def test_linebuffer_bounded_on_endless_input():
    buf = LineBuffer("\n", max_length=16)
    dropped = []
    for _ in range(1000):
        dropped += buf.feed(b"x" * 100)
        assert len(buf._buf) <= buf.limit
    assert len([d for d in dropped if d[0] is None]) == 1
    assert buf.feed(b"tail\nOK\n") == [("", None), ("OK", None)]
