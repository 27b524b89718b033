"""Keyboard-wedge scanners in the window: Kivy's key events into ``devices``' wedge decoder.

A USB scanner types its code as fast key presses ending in Enter. :class:`WedgeInput` hands each
key press (with its monotonic time) to :class:`devices.wedge.WedgeDecoder`, which tells scans
from typing; scans go to ``on_scan``, typed text to ``on_text``. The class has no Kivy import
(tested headless); :meth:`bind_window` connects it to Kivy's window.

The window sees keys only when its loop handles input, once a frame. When a frame comes late
(a busy Pi, a long redraw), the keys a scanner typed during it are all handled at once, long
after the keys of the frame before: measured naively, that looks like the pause that ends a
code, and a scan arrives in two halves. ``frame()`` says which frame this is and how much later
than usual it came; each frame's lateness is taken off the times the decoder sees, so a late
frame never makes a pause.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from devices.wedge import ScanEvent, TypedText, WedgeDecoder, window_key

log = logging.getLogger(__name__)

_SUFFIX_KEYS = (13, 271, 9)  # Enter, keypad Enter, Tab (SDL key codes)
_BACKSPACE = 8


class WedgeInput:
    """Splits the window's key events into scanned codes and typed text."""

    def __init__(self, on_scan: Callable[[str], None], on_text: Callable[[str], None] | None = None,
                 decoder: WedgeDecoder | None = None, now: Callable[[], float] = time.monotonic,
                 frame: Callable[[], tuple[int, float]] = lambda: (0, 0.0)):
        self.on_scan = on_scan
        self.on_text = on_text or (lambda text: None)
        self._now = now
        self._frame = frame
        self._seen_frame: int | None = None
        self._shift = 0.0
        self.decoder = decoder or WedgeDecoder(source="keyboard")

    def _time(self) -> float:
        """Now, less every late frame's lateness so far: the clock the decoder measures on."""
        number, late_s = self._frame()
        if number != self._seen_frame:
            self._seen_frame = number
            self._shift += max(0.0, late_s)
        return self._now() - self._shift

    def feed_key(self, key: str, at: float | None = None) -> None:
        """One key: a character, ``"\\r"`` for Enter or ``"\\t"`` for Tab."""
        self._deliver(self.decoder.feed(key, self._time() if at is None else at))

    def poll(self, at: float | None = None) -> None:
        """Called every few tens of milliseconds: a pause ends a burst (a lost suffix, typing)."""
        self._deliver(self.decoder.poll(self._time() if at is None else at))

    def _deliver(self, outputs) -> None:
        for output in outputs:
            if isinstance(output, ScanEvent):
                log.debug("wedge scan %r", output.code)
                self.on_scan(output.code)
            elif isinstance(output, TypedText):
                self.on_text(output.text)

    # -- Kivy ---------------------------------------------------------------------------------
    # Characters come from ``on_textinput``: it carries what the key typed (Shift applied, the
    # keyboard layout honoured). ``on_key_down``'s codepoint is the unshifted key, and SDL gives
    # one for Shift itself (chr(304) = "İ"): a scanner typing "GK.00001" would arrive as
    # "İgİk.00001". Only the keys that end a scan are taken from ``on_key_down``.
    def on_key_down(self, window, key, scancode=None, codepoint=None, modifiers=None) -> bool:
        """Kivy ``Window.on_key_down`` handler: Enter / keypad Enter / Tab end a scan;
        Backspace (a person typing: no scanner sends it) goes in order with the typed keys,
        as ``"\b"``."""
        if key == _BACKSPACE:
            self.feed_key("\b")
            return True
        if key not in _SUFFIX_KEYS:
            return False
        self.feed_key(window_key(key, None))
        return True

    def on_textinput(self, window, text: str) -> bool:
        """Kivy ``Window.on_textinput`` handler: the characters a key typed."""
        for char in text:
            if char.isprintable():
                self.feed_key(char)
        return True

    def bind_window(self, window, clock=None) -> None:
        """Listen to a Kivy window's key presses and typed text; ``clock`` (Kivy's) tells how
        late each frame is."""
        if clock is not None:
            budget = 1.0 / 60  # Kivy's frame at its default maxfps
            self._frame = lambda: (clock.frames, clock.frametime - budget)
        window.bind(on_key_down=self.on_key_down, on_textinput=self.on_textinput)
