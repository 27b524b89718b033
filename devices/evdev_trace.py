"""Recorded evdev traces: record a real scanner's key events to JSON and replay them.

A trace is ``{"name": ..., "events": [[sec, usec, type, code, value], ...]}``, the fields of the
kernel's ``input_event``. :func:`record` captures one from a plugged-in scanner (a technician's
tool: ``python -m devices.evdev_trace /dev/input/eventN out.json``); :class:`TraceDevice` plays one
back with its original timing through the same code path as a real device, and can act out an
unplug at the end.
"""
from __future__ import annotations

import errno
import json
import sys
import threading
import time
from pathlib import Path


def load_trace(path: str | Path) -> tuple[str, list[tuple[int, int, int, int, int]]]:
    """The device name and the events of a trace file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data.get("name", "trace"), [tuple(int(x) for x in e) for e in data["events"]]


def save_trace(path: str | Path, name: str, events) -> None:
    """Write events (``evdev.InputEvent`` objects or 5-tuples) as a trace file."""
    rows = [[e.sec, e.usec, e.type, e.code, e.value] if hasattr(e, "sec") else list(e)
            for e in events]
    Path(path).write_text(json.dumps({"name": name, "events": rows}), encoding="utf-8")


def record(device_path: str, seconds: float) -> tuple[str, list]:
    """Grab a real device and collect its events for ``seconds`` (press the trigger meanwhile)."""
    import evdev
    import select

    dev = evdev.InputDevice(device_path)
    dev.grab()
    events = []
    end = time.monotonic() + seconds
    try:
        while (left := end - time.monotonic()) > 0:
            if select.select([dev.fd], [], [], left)[0]:
                events.extend(dev.read())
    finally:
        dev.ungrab()
        dev.close()
    return dev.name, events


class TraceDevice:
    """Replays a trace in real time as a :class:`devices.evdev_source.KeyDevice`.

    Events keep their relative timing (``speed`` > 1 plays faster) and are re-stamped to the
    current wall clock, as a live device's would be. With ``unplug_at_end`` the device raises
    ``OSError(ENODEV)`` after the last event, as a read from an unplugged scanner does.
    """

    def __init__(self, events, name: str = "trace", speed: float = 1.0,
                 unplug_at_end: bool = False):
        import evdev

        self.name = name
        self._input_event = evdev.InputEvent
        self._events = list(events)
        self._speed = speed
        self._unplug = unplug_at_end
        self._i = 0
        self._closed = threading.Event()
        first = self._events[0] if self._events else (0, 0, 0, 0, 0)
        self._t0_trace = first[0] + first[1] / 1e6
        self._t0_wall = time.time()

    def due(self, i: int) -> float:
        """The wall-clock time at which event ``i`` of the trace is delivered."""
        sec, usec = self._events[i][0], self._events[i][1]
        return self._t0_wall + (sec + usec / 1e6 - self._t0_trace) / self._speed

    def events(self, timeout: float) -> list:
        """The events whose time has come within ``timeout`` seconds."""
        if self._closed.is_set():
            raise OSError(errno.EBADF, "closed")
        if self._i >= len(self._events):
            if self._unplug:
                raise OSError(errno.ENODEV, "No such device")
            time.sleep(timeout)
            return []
        wait = self.due(self._i) - time.time()
        if wait > 0:
            time.sleep(min(wait, timeout))
        now = time.time()
        out = []
        while self._i < len(self._events) and self.due(self._i) <= now:
            _, _, etype, code, value = self._events[self._i]
            due = self.due(self._i)
            sec = int(due)
            out.append(self._input_event(sec, int(round((due - sec) * 1e6)), etype, code, value))
            self._i += 1
        return out

    def close(self) -> None:
        """Stop the replay."""
        self._closed.set()


def main(argv: list[str] | None = None) -> int:
    """``python -m devices.evdev_trace DEVICE OUT.json [SECONDS]``: record a trace."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        sys.stderr.write("usage: python -m devices.evdev_trace /dev/input/eventN out.json [10]\n")
        return 2
    name, events = record(args[0], float(args[2]) if len(args) > 2 else 10.0)
    save_trace(args[1], name, events)
    sys.stderr.write(f"{len(events)} events from {name!r} written to {args[1]}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
