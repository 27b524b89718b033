"""Keyboard-wedge scanners in the window: Kivy's key events into ``devices``' wedge decoder.

A USB scanner types its code as fast key presses ending in Enter. :class:`WedgeInput` hands each
key press (with its monotonic time) to :class:`devices.wedge.WedgeDecoder`, which tells scans
from typing; scans go to ``on_scan``, typed text to ``on_text``. The class has no Kivy import
(tested headless); :meth:`bind_window` connects it to Kivy's window.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from devices.wedge import ScanEvent, TypedText, WedgeDecoder, window_key

log = logging.getLogger(__name__)


class WedgeInput:
    """Splits the window's key events into scanned codes and typed text."""

    def __init__(self, on_scan: Callable[[str], None], on_text: Callable[[str], None] | None = None,
                 max_gap_s: float = 0.04, min_length: int = 4, suffix: str = "enter",
                 max_length: int = 64, now: Callable[[], float] = time.monotonic):
        self.on_scan = on_scan
        self.on_text = on_text or (lambda text: None)
        self._now = now
        self.decoder = WedgeDecoder(max_key_gap=max_gap_s, min_length=min_length, suffix=suffix,
                                    max_length=max_length, source="keyboard")

    def feed_key(self, key: str, at: float | None = None) -> None:
        """One key: a character, ``"\\r"`` for Enter or ``"\\t"`` for Tab."""
        self._deliver(self.decoder.feed(key, self._now() if at is None else at))

    def poll(self, at: float | None = None) -> None:
        """Called every few tens of milliseconds: a pause ends a burst (a lost suffix, typing)."""
        self._deliver(self.decoder.poll(self._now() if at is None else at))

    def _deliver(self, outputs) -> None:
        for output in outputs:
            if isinstance(output, ScanEvent):
                log.debug("wedge scan %r", output.code)
                self.on_scan(output.code)
            elif isinstance(output, TypedText):
                self.on_text(output.text)

    # -- Kivy ---------------------------------------------------------------------------------
    def on_key_down(self, window, key, scancode=None, codepoint=None, modifiers=None) -> bool:
        """Kivy ``Window.on_key_down`` handler; True when the key was taken."""
        if modifiers and ("ctrl" in modifiers or "alt" in modifiers):
            return False
        mapped = window_key(key, codepoint)
        if mapped is None:
            return False
        self.feed_key(mapped)
        return True

    def bind_window(self, window) -> None:
        """Listen to a Kivy window's key presses."""
        window.bind(on_key_down=self.on_key_down)
