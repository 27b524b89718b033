"""Keyboard-wedge scanners: a USB scanner types its code as fast key presses ending in Enter.

:class:`WedgeInput` turns the window's key events (a character and the monotonic time it
arrived) into scans: a burst of characters, each within ``max_gap_s`` of the previous, ending in
Enter and at least ``min_length`` long. Anything slower is someone typing: it goes to
``on_text`` key by key. The class itself has no Kivy import (tested headless); :meth:`bind_window`
connects it to Kivy's window. It is the one seam to swap for the ``devices`` room's decoder.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

log = logging.getLogger(__name__)

ENTER_KEYS = (13, 271)  # Return, keypad Enter (Kivy key codes)
TAB_KEY = 9


class WedgeInput:
    """Splits key events into scanned codes and typed text."""

    def __init__(self, on_scan: Callable[[str], None], on_text: Callable[[str], None] | None = None,
                 max_gap_s: float = 0.05, min_length: int = 4, suffix: str = "enter",
                 now: Callable[[], float] = time.monotonic):
        self.on_scan = on_scan
        self.on_text = on_text or (lambda text: None)
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self.suffix = suffix
        self._now = now
        self._chars: list[str] = []
        self._last: float | None = None
        self._burst = True  # every gap so far was short

    def feed_char(self, char: str, at: float | None = None) -> None:
        """One printable character arrived."""
        at = self._now() if at is None else at
        if self._last is not None and at - self._last > self.max_gap_s:
            if self._chars:
                self._flush_as_text()
        self._chars.append(char)
        self._last = at

    def feed_enter(self, at: float | None = None) -> None:
        """Enter (or the configured suffix) arrived: a scan if the burst was fast and long."""
        at = self._now() if at is None else at
        fast = self._last is not None and at - self._last <= self.max_gap_s * 4
        code = "".join(self._chars)
        if fast and len(code) >= self.min_length:
            self._reset()
            log.debug("wedge scan %r", code)
            self.on_scan(code)
            return
        self._flush_as_text()
        self.on_text("\n")

    def poll(self, at: float | None = None) -> None:
        """Called now and then: characters left waiting too long were typed, not scanned
        (with ``suffix == 'none'`` a quiet pause ends a scan instead)."""
        at = self._now() if at is None else at
        if not self._chars or self._last is None or at - self._last <= self.max_gap_s * 4:
            return
        if self.suffix == "none" and len(self._chars) >= self.min_length:
            code = "".join(self._chars)
            self._reset()
            self.on_scan(code)
        else:
            self._flush_as_text()

    def _flush_as_text(self) -> None:
        chars = self._chars
        self._reset()
        for char in chars:
            self.on_text(char)

    def _reset(self) -> None:
        self._chars = []
        self._last = None

    # -- Kivy ---------------------------------------------------------------------------------
    def on_key_down(self, window, key, scancode=None, codepoint=None, modifiers=None) -> bool:
        """Kivy ``Window.on_key_down`` handler."""
        enter = key in ENTER_KEYS or (self.suffix == "tab" and key == TAB_KEY)
        if enter:
            self.feed_enter()
            return True
        if codepoint and len(codepoint) == 1 and codepoint.isprintable():
            if modifiers and ("ctrl" in modifiers or "alt" in modifiers):
                return False
            self.feed_char(codepoint)
            return True
        return False

    def bind_window(self, window) -> None:
        """Listen to a Kivy window's key presses."""
        window.bind(on_key_down=self.on_key_down)
