"""Validation and classification of scanned codes: check digits, ISBN, character sets.

Every code from every source passes :func:`clean_code` before it becomes a ``ScanEvent``.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from devices.errors import DeviceError

DEFAULT_MAX_LENGTH = 64
CODE39_CHARSET = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%")


class InvalidCode(DeviceError):
    """A code that must be dropped; ``reason`` is a short machine-readable word."""

    def __init__(self, reason: str, code: str = ""):
        super().__init__(f"{reason}: {code[:40]!r}")
        self.reason = reason
        self.code = code


def clean_code(raw: str, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """Trim and NFC-normalise a code; refuse empty, oversized or control-character codes."""
    if len(raw) > max_length * 4:  # refuse before doing any work on a flood
        raise InvalidCode("too_long", raw)
    code = unicodedata.normalize("NFC", raw.strip())
    if not code:
        raise InvalidCode("empty", raw)
    if len(code) > max_length:
        raise InvalidCode("too_long", code)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in code):
        raise InvalidCode("control_character", code)
    return code


def ean13_valid(code: str) -> bool:
    """True when ``code`` is 13 digits with a correct EAN-13 check digit."""
    if len(code) != 13 or not code.isascii() or not code.isdigit():
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(code[:12]))
    return (10 - total % 10) % 10 == int(code[12])


def isbn10_valid(code: str) -> bool:
    """True when ``code`` is a valid ISBN-10 (nine digits and a digit or X)."""
    code = code.upper()
    if not re.fullmatch(r"\d{9}[\dX]", code):
        return False
    total = sum((10 - i) * (10 if ch == "X" else int(ch)) for i, ch in enumerate(code))
    return total % 11 == 0


def isbn_to_13(code: str) -> str | None:
    """The ISBN-13 of a valid ISBN-10 or ISBN-13 (hyphens and spaces ignored), else None."""
    digits = re.sub(r"[-\s]", "", code).upper()
    if len(digits) == 13 and digits[:3] in ("978", "979") and ean13_valid(digits):
        return digits
    if len(digits) == 10 and isbn10_valid(digits):
        body = "978" + digits[:9]
        total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
        return body + str((10 - total % 10) % 10)
    return None


def code39_valid(code: str) -> bool:
    """True when every character of ``code`` can be printed in Code 39."""
    return bool(code) and all(ch in CODE39_CHARSET for ch in code)


def classify(code: str, patterns: Mapping[str, str]) -> str | None:
    """The first kind whose pattern matches the whole code, in the mapping's order.

    ``patterns`` maps a kind (``"student"``, ``"book_copy"``, ``"isbn"`` ...) to a regular
    expression. A code matching the ``isbn`` pattern counts only with a valid check digit.
    """
    for kind, pattern in patterns.items():
        if re.fullmatch(pattern, code):
            if kind == "isbn" and isbn_to_13(code) is None:
                continue
            return kind
    return None


#: Symbologies whose content a check must pass before a code is accepted.
def validate(raw: str, symbology: str | None = None,
             max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """Clean ``raw`` and check it against its symbology; the cleaned code or :class:`InvalidCode`.

    EAN-13 must carry a correct check digit, Code 39 must stay inside its character set.
    Sources call this on every code before it becomes a ``ScanEvent``.
    """
    code = clean_code(raw, max_length)
    if symbology == "ean13" and not ean13_valid(code):
        raise InvalidCode("bad_check_digit", code)
    if symbology == "code39" and not code39_valid(code):
        raise InvalidCode("not_code39", code)
    return code


def identify(code: str, patterns: Mapping[str, str]) -> tuple[str | None, str]:
    """The kind of ``code`` (see :func:`classify`) and its normal form.

    An ISBN comes back as its ISBN-13 (an ISBN-10 is converted); other codes are returned as given.
    """
    kind = classify(code, patterns)
    if kind == "isbn":
        return kind, isbn_to_13(code) or code
    return kind, code
