"""A fixed US keyboard map from Linux key codes to characters, shift included.

Reading the scanner's raw key codes through this map makes the host's keyboard layout irrelevant:
a scanner set to "US keyboard" types the same code on a Vietnamese, German or French desktop.
Key codes are the kernel's (``linux/input-event-codes.h``), stable across versions.
"""
from __future__ import annotations

EV_SYN, EV_KEY, EV_MSC = 0, 1, 4
KEY_UP, KEY_DOWN, KEY_REPEAT = 0, 1, 2
KEY_LEFTSHIFT, KEY_RIGHTSHIFT = 42, 54
SHIFT_KEYS = frozenset((KEY_LEFTSHIFT, KEY_RIGHTSHIFT))

_ROWS = [
    # (first key code, unshifted, shifted)
    (2, "1234567890-=", "!@#$%^&*()_+"),
    (16, "qwertyuiop[]", "QWERTYUIOP{}"),
    (30, "asdfghjkl;'`", 'ASDFGHJKL:"~'),
    (43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
]

#: key code -> (character, character with shift)
US_KEYMAP: dict[int, tuple[str, str]] = {}
for _first, _plain, _shifted in _ROWS:
    for _i, (_p, _s) in enumerate(zip(_plain, _shifted)):
        US_KEYMAP[_first + _i] = (_p, _s)
US_KEYMAP.update({
    15: ("\t", "\t"),      # KEY_TAB
    28: ("\r", "\r"),      # KEY_ENTER
    57: (" ", " "),        # KEY_SPACE
    55: ("*", "*"),        # KEY_KPASTERISK
    71: ("7", "7"), 72: ("8", "8"), 73: ("9", "9"), 74: ("-", "-"),
    75: ("4", "4"), 76: ("5", "5"), 77: ("6", "6"), 78: ("+", "+"),
    79: ("1", "1"), 80: ("2", "2"), 81: ("3", "3"), 82: ("0", "0"), 83: (".", "."),
    96: ("\r", "\r"),      # KEY_KPENTER
    98: ("/", "/"),        # KEY_KPSLASH
})


class KeyTranslator:
    """Turns key events (code, value) into characters with a US map, tracking shift.

    Only key-down events give characters; key repeats are ignored (a scanner never holds a key).
    Keys outside the map (function keys, arrows) give nothing.
    """

    def __init__(self) -> None:
        self._shift: set[int] = set()

    def key(self, code: int, value: int) -> str | None:
        """The character for one ``EV_KEY`` event, or None."""
        if code in SHIFT_KEYS:
            if value == KEY_UP:
                self._shift.discard(code)
            elif value == KEY_DOWN:
                self._shift.add(code)
            return None
        if value != KEY_DOWN:
            return None
        pair = US_KEYMAP.get(code)
        if pair is None:
            return None
        return pair[1] if self._shift else pair[0]

    def reset(self) -> None:
        """Forget held modifiers (after the device was reopened)."""
        self._shift.clear()
