"""A USB keyboard-wedge scanner read directly through Linux evdev.

The scanner is found by path (``/dev/input/by-id/...``), by name, or by USB vendor/product id,
grabbed exclusively (its keys never reach another window), and its raw key codes are mapped with a
fixed US map (:mod:`devices.keymap`), so the host's keyboard layout does not matter. When the
scanner is unplugged the source waits and reopens it as soon as it is back (checked every 0.5 s).
Reading ``/dev/input`` needs the ``input`` group or a udev rule (see ``systemd/``).
"""
from __future__ import annotations

import errno
import logging
import select
import time
from collections.abc import Callable
from typing import Protocol

from devices.codes import DEFAULT_MAX_LENGTH
from devices.errors import SourceUnavailable
from devices.events import ScanEvent
from devices.keymap import EV_KEY, KeyTranslator
from devices.source import ScanSource
from devices.wedge import Suffix, TypedText, WedgeDecoder

log = logging.getLogger(__name__)

_DIGIT_KEYS = set(range(2, 12))  # KEY_1 .. KEY_0: a node that can type a code
PERMISSION_HINT = "add the kiosk user to the 'input' group or install the scanner udev rule"


class KeyDevice(Protocol):
    """What :class:`EvdevSource` needs from an opened device (real or replayed)."""

    name: str

    def events(self, timeout: float) -> list:
        """Input events that arrived within ``timeout`` s (``evdev.InputEvent``-like objects,
        with ``type``, ``code``, ``value`` and ``timestamp()`` in wall-clock seconds).
        Raises ``OSError`` when the device is gone."""

    def close(self) -> None:
        """Release and close the device."""


class EvdevDevice:
    """An opened, grabbed ``evdev.InputDevice``."""

    def __init__(self, path: str, grab: bool = True):
        import evdev  # Linux only; imported here so the rest of devices works elsewhere

        try:
            self._dev = evdev.InputDevice(path)
        except PermissionError as exc:
            raise PermissionError(f"{path}: {exc.strerror}; {PERMISSION_HINT}") from exc
        except OSError as exc:
            raise SourceUnavailable(f"{path}: {exc.strerror}") from exc
        self.name = self._dev.name
        self.path = path
        if grab:
            try:
                self._dev.grab()
            except OSError as exc:
                self._dev.close()
                raise SourceUnavailable(f"{path}: cannot grab: {exc.strerror}") from exc

    def events(self, timeout: float) -> list:
        """Events ready within ``timeout`` seconds; ``OSError`` once unplugged."""
        ready, _, _ = select.select([self._dev.fd], [], [], timeout)
        if not ready:
            return []
        try:
            return list(self._dev.read())
        except BlockingIOError:
            return []

    def close(self) -> None:
        """Ungrab and close, ignoring a device that is already gone."""
        try:
            self._dev.ungrab()
        except OSError:
            pass
        try:
            self._dev.close()
        except OSError:
            pass


def find_device(path: str = "", name: str = "", vendor_id: int = 0, product_id: int = 0) -> str:
    """The event node of the scanner, by path, name (exact, else contained) or USB ids.

    When a scanner shows several nodes, the one that can type digits is chosen.
    Raises :class:`SourceUnavailable` when none is plugged in.
    """
    import evdev

    if path:
        return path
    matches: list[tuple[int, str]] = []
    denied = 0
    for node in evdev.list_devices():
        try:
            dev = evdev.InputDevice(node)
        except PermissionError:
            denied += 1
            continue
        except OSError:
            continue
        try:
            if vendor_id and (dev.info.vendor != vendor_id
                              or (product_id and dev.info.product != product_id)):
                continue
            if name and name != dev.name and name.lower() not in dev.name.lower():
                continue
            keys = set(dev.capabilities().get(EV_KEY, []))
            if not keys & _DIGIT_KEYS:
                continue
            matches.append((0 if name == dev.name else 1, node))
        finally:
            dev.close()
    if not matches:
        what = name or f"{vendor_id:04x}:{product_id:04x}"
        if denied:
            raise PermissionError(f"no readable input device matches {what} ({denied} not "
                                  f"readable: {PERMISSION_HINT})")
        raise SourceUnavailable(f"no input device matches {what}")
    return sorted(matches)[0][1]


class EvdevSource(ScanSource):
    """Scans from a grabbed evdev keyboard-wedge scanner.

    Every burst of keys from the scanner ending in the suffix (or a pause of ``pause_s``) is a
    code; the scanner is a dedicated device, so there is no typing to let through. ``opener``
    replaces the real device (a recorded trace in tests); it returns a :class:`KeyDevice` or
    raises :class:`SourceUnavailable`.
    """

    def __init__(self, *, path: str = "", name: str = "", vendor_id: int = 0,
                 product_id: int = 0, grab: bool = True, suffix: Suffix = "enter",
                 pause_s: float = 0.1, max_length: int = DEFAULT_MAX_LENGTH,
                 source_name: str | None = None,
                 opener: Callable[[], KeyDevice] | None = None):
        label = path or name or f"{vendor_id:04x}:{product_id:04x}"
        super().__init__(source_name or f"evdev:{label}", max_length)
        self._where = dict(path=path, name=name, vendor_id=vendor_id, product_id=product_id)
        self._grab = grab
        self._opener = opener or self._open_real
        self._suffix = suffix
        self._pause_s = pause_s

    def _open_real(self) -> KeyDevice:
        return EvdevDevice(find_device(**self._where), grab=self._grab)

    def _run(self) -> None:
        translator = KeyTranslator()
        decoder = WedgeDecoder(max_key_gap=self._pause_s, min_length=1, suffix=self._suffix,
                               max_length=self.max_length, source=self.name)
        while not self._stopping():
            try:
                device = self._opener()
            except SourceUnavailable as exc:
                self._set_status("waiting", str(exc))
                self._wait(self.retry_s)
                continue
            except PermissionError as exc:  # keep trying: the udev rule may come later
                self._set_status("error", f"no permission: {exc}")
                self._wait(self.retry_s * 4)
                continue
            self._set_status("connected", getattr(device, "name", ""))
            translator.reset()
            try:
                self._read(device, translator, decoder)
            except OSError as exc:
                reason = errno.errorcode.get(exc.errno or 0, str(exc))
                self._set_status("waiting", f"device lost ({reason})")
            finally:
                device.close()
            # a half-read code from before the unplug is not a scan
            decoder.poll(float("inf"))

    def _read(self, device: KeyDevice, translator: KeyTranslator, decoder: WedgeDecoder) -> None:
        while not self._stopping():
            events = device.events(0.02)
            offset = time.monotonic() - time.time()  # kernel stamps are wall-clock
            for event in events:
                if event.type != EV_KEY:
                    continue
                char = translator.key(event.code, event.value)
                if char is not None:
                    self._deliver(decoder.feed(char, event.timestamp() + offset))
            self._deliver(decoder.poll(time.monotonic()))

    def _deliver(self, outputs: list) -> None:
        for out in outputs:
            if isinstance(out, ScanEvent):
                self._emit(out.code, None, out.at)
            elif isinstance(out, TypedText) and out.text.strip():
                log.info("%s: ignored keys that are not a code: %r", self.name, out.text[:40])
