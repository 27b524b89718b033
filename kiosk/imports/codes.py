"""Lists and ranges of codes in one cell: ``TK.00001``, ``TK.00001, TK.00002``, ``TK.00001-TK.00005``."""
from __future__ import annotations

import re

from db.text import nfc

#: The most codes one range may stand for (a typo must not declare a million copies).
MAX_RANGE = 5000

_SEPARATORS = re.compile(r"[;,\n]+")
_NUMBERED = re.compile(r"^(.*?)(\d+)$")
_BAD_CHARS = re.compile(r"\s")


class CodeListError(ValueError):
    """A cell of codes that cannot be read; ``reason`` is a row-error reason code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def expand_codes(cell: str, max_length: int = 64) -> list[str]:
    """Every code a cell stands for, in order, without repeats.

    Parts are separated by ``,`` or ``;``. A part ``A-B`` is a range when both ends end in
    digits of the same width and share their prefix (``TK.00001-TK.00005`` or ``TK.00001-00005``);
    otherwise it is one code that happens to hold a hyphen.
    """
    codes: list[str] = []
    seen: set[str] = set()
    for part in _SEPARATORS.split(nfc(cell)):
        part = part.strip()
        if not part:
            continue
        for code in _expand_part(part):
            if not code or len(code) > max_length or _BAD_CHARS.search(code):
                raise CodeListError("bad_code", code)
            if code not in seen:
                seen.add(code)
                codes.append(code)
    return codes


def _expand_part(part: str) -> list[str]:
    if "-" in part:
        left, _, right = part.rpartition("-")
        left, right = left.strip(), right.strip()
        start, end = _NUMBERED.match(left), _NUMBERED.match(right)
        if left and start and end and end.group(1) in ("", start.group(1)):
            prefix, first, last = start.group(1), start.group(2), end.group(2)
            if end.group(1) and len(first) != len(last):
                raise CodeListError("bad_range", part)
            low, high = int(first), int(last)
            if high < low:
                raise CodeListError("bad_range", part)
            if high - low + 1 > MAX_RANGE:
                raise CodeListError("range_too_long", part)
            return [f"{prefix}{n:0{len(first)}d}" for n in range(low, high + 1)]
    return [part]
