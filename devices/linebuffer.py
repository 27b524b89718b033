"""Splitting a byte stream into lines with bounded memory.

Used by the serial source: bytes arrive in any chunks, lines end with a terminator, and a sender
that never ends its line (or floods binary) must not make the buffer grow without bound.
"""
from __future__ import annotations

import re

from devices.codes import DEFAULT_MAX_LENGTH

#: (line, None) for a complete line, or (None, reason) for a dropped one.
Line = tuple[str | None, str | None]


class LineBuffer:
    """Bytes in, decoded lines out.

    A terminator made only of CR and LF characters (``"\\r\\n"``, ``"\\r"``, ``"\\n"``) accepts any
    of CR, LF or CR LF; any other terminator must match exactly; an empty one never matches (only
    :meth:`flush` ends a line). A line longer than ``4 * max_length`` bytes is dropped as
    ``too_long`` and its remaining bytes are skipped up to the next terminator; bytes that are not
    UTF-8 drop the line as ``not_text``.
    """

    def __init__(self, terminator: str = "\r\n", max_length: int = DEFAULT_MAX_LENGTH):
        term = terminator.encode("utf-8")
        if term and set(term) <= {0x0D, 0x0A}:
            self._split = re.compile(rb"\r\n|\r|\n")
        elif term:
            self._split = re.compile(re.escape(term))
        else:
            self._split = None
        self.limit = max(16, 4 * max_length)
        self._buf = bytearray()
        self._skipping = False  # inside an overlong line, waiting for its end

    @property
    def pending(self) -> bool:
        """True when bytes of an unfinished line are held."""
        return bool(self._buf) or self._skipping

    def clear(self) -> None:
        """Forget any unfinished line (after a reconnect)."""
        self._buf.clear()
        self._skipping = False

    def feed(self, data: bytes) -> list[Line]:
        """Add bytes; return the lines they complete."""
        out: list[Line] = []
        self._buf += data
        if self._split is not None:
            start = 0
            for match in self._split.finditer(self._buf):
                out.append(self._finish(bytes(self._buf[start:match.start()])))
                start = match.end()
            if start:
                del self._buf[:start]
            # a lone CR at the end may be the first half of CR LF: handled, the LF then makes
            # an empty line that callers ignore
        if len(self._buf) > self.limit:
            if not self._skipping:
                out.append((None, f"too_long: more than {self.limit} bytes without an end"))
            self._skipping = True
            self._buf.clear()
        return out

    def flush(self) -> list[Line]:
        """End the unfinished line (a pause after its last byte)."""
        if not self.pending:
            return []
        line = bytes(self._buf)
        self._buf.clear()
        return [self._finish(line)]

    def _finish(self, raw: bytes) -> Line:
        if self._skipping:
            self._skipping = False
            return "", None  # the tail of an overlong line, already reported
        try:
            return raw.decode("utf-8"), None
        except UnicodeDecodeError:
            return None, f"not_text: {raw[:20]!r}"
