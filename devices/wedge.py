"""Keyboard-wedge decoding: telling a scanner's keystrokes from a person's typing.

A USB scanner in keyboard mode types its code at 60-130 keys a second and ends it with Enter (or
Tab); a person types with gaps of 100 ms and more. :class:`WedgeDecoder` is fed ``(key, time)``
pairs by any key source and groups keys into *bursts*: keys closer together than
``max_key_gap``. A burst of at least ``min_length`` characters is a scan; anything else is handed
back untouched as :class:`TypedText`.

It copes with:

* a prefix Enter (a scanner set to send Enter before the code): an Enter immediately followed by a
  scan is swallowed;
* two scans glued together: the suffix, or a pause between them, separates them;
* a lost suffix: a pause ends the code (:meth:`WedgeDecoder.poll`, called from a clock);
* a line that never ends: a burst longer than ``max_length`` is dropped with a logged reason and
  memory stays bounded.

The decoder is a plain object with no thread and no I/O; it is not thread-safe (feed it from one
thread, like Kivy's).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal, Union

from devices.codes import DEFAULT_MAX_LENGTH, InvalidCode, validate
from devices.events import ScanEvent

log = logging.getLogger(__name__)

ENTER_KEYS = ("\r", "\n")
TAB_KEYS = ("\t",)
Suffix = Literal["enter", "tab", "none"]


@dataclass(frozen=True, slots=True)
class TypedText:
    """Keys a person typed, to be passed on to the focused widget unchanged.

    ``text`` holds the characters in order (Enter as ``"\\r"`` or ``"\\n"``, Tab as ``"\\t"``,
    other named keys as given); ``at`` is the time of the last key.
    """

    text: str
    at: float


Output = Union[ScanEvent, TypedText]


class WedgeDecoder:
    """Turns a stream of keys into whole codes and typed text.

    ``max_key_gap`` (seconds) is the longest gap inside a scan; ``min_length`` the shortest code;
    ``suffix`` which key ends a scan (``"enter"``, ``"tab"`` or ``"none"`` when only a pause does).
    """

    def __init__(self, *, max_key_gap: float = 0.040, min_length: int = 4,
                 suffix: Suffix = "enter", max_length: int = DEFAULT_MAX_LENGTH,
                 source: str = "keyboard"):
        if suffix not in ("enter", "tab", "none"):
            raise ValueError(f"suffix must be enter, tab or none, not {suffix!r}")
        self.max_key_gap = max_key_gap
        self.min_length = max(1, min_length)
        self.suffix_keys = {"enter": ENTER_KEYS, "tab": TAB_KEYS, "none": ()}[suffix]
        self.max_length = max_length
        self.source = source
        self._keys: list[str] = []  # the current burst (bounded by max_length + 1)
        self._overflow = 0  # keys of the current burst beyond max_length, not kept
        self._last_t: float | None = None  # time of the burst's last key
        self._prefix: tuple[str, float] | None = None  # a held Enter that may precede a scan
        self._after_scan_t: float | None = None  # time a scan ended on its suffix (CR LF)
        self.dropped = 0

    # -- public -------------------------------------------------------------------------------
    def feed(self, key: str, t: float) -> list[Output]:
        """Take one key pressed at time ``t`` (seconds, monotonic); return what is now complete."""
        out: list[Output] = []
        # A CR LF pair, or a doubled suffix right after a scan: swallow the second key.
        if (self._after_scan_t is not None and key in self.suffix_keys
                and t - self._after_scan_t <= self.max_key_gap and not self._keys):
            self._after_scan_t = None
            return out
        self._after_scan_t = None

        if self._keys or self._prefix:
            last = self._last_t if self._keys else self._prefix[1]
            if t - last > self.max_key_gap:
                out.extend(self._end_burst(by_pause=True))

        if key in self.suffix_keys:
            if self._keys:
                out.extend(self._end_burst(by_pause=False, suffix=key, t=t))
            elif key in ENTER_KEYS and self._prefix is None:
                self._prefix = (key, t)  # maybe a prefix Enter: decide on the next key
            else:
                out.extend(self._release_prefix())
                out.append(TypedText(key, t))
            return out

        if len(self._keys) < self.max_length + 1:
            self._keys.append(key)
        else:
            self._overflow += 1
        self._last_t = t
        return out

    def poll(self, now: float) -> list[Output]:
        """End a burst followed by a pause (lost suffix, or typing); call it every 20-50 ms."""
        last = self._last_t if self._keys else (self._prefix[1] if self._prefix else None)
        if last is not None and now - last > self.max_key_gap:
            return self._end_burst(by_pause=True)
        return []

    @property
    def pending(self) -> bool:
        """True while keys are held back waiting for the next key or a pause."""
        return bool(self._keys or self._prefix)

    # -- inside -------------------------------------------------------------------------------
    def _release_prefix(self) -> list[Output]:
        if self._prefix is None:
            return []
        key, at = self._prefix
        self._prefix = None
        return [TypedText(key, at)]

    def _end_burst(self, *, by_pause: bool, suffix: str | None = None,
                   t: float | None = None) -> list[Output]:
        keys, overflow, last_t = self._keys, self._overflow, self._last_t
        self._keys, self._overflow, self._last_t = [], 0, None
        if not keys:
            return self._release_prefix()
        text = "".join(keys)
        is_scan = (len(keys) + overflow >= self.min_length
                   and all(len(k) == 1 for k in keys)
                   and (not by_pause or self.suffix_keys == () or len(keys) > 1))
        if not is_scan:
            out = self._release_prefix()
            out.append(TypedText(text + (suffix or ""), t if suffix else last_t))
            return out
        self._prefix = None  # an Enter just before a scan was the scanner's prefix
        at = t if suffix else last_t
        if suffix:
            self._after_scan_t = t
        if overflow:
            self.dropped += 1
            log.warning("%s: dropped code: too_long: %d keys without an end",
                        self.source, len(keys) + overflow)
            return []
        try:
            code = validate(text, None, self.max_length)
        except InvalidCode as exc:
            self.dropped += 1
            log.warning("%s: dropped code: %s", self.source, exc)
            return []
        return [ScanEvent(code=code, source=self.source, symbology=None, at=at)]


#: SDL/Kivy key codes of the keys that end a scan (Kivy's ``Window.on_key_down`` ``key``).
_WINDOW_KEYS = {13: "\r", 271: "\r", 9: "\t"}


def window_key(keycode: int, text: str | None) -> str | None:
    """The key to :meth:`WedgeDecoder.feed` for a window key event, or None to ignore it.

    ``keycode`` and ``text`` are what Kivy's ``Window.on_key_down`` hands over (its ``key`` and
    ``codepoint``): Enter and keypad Enter become ``"\\r"``, Tab ``"\\t"``, a printable key its
    character; modifiers alone and other named keys give None.
    """
    if keycode in _WINDOW_KEYS:
        return _WINDOW_KEYS[keycode]
    if text and len(text) == 1 and text.isprintable():
        return text
    return None
