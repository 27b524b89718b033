"""Identifiers made on the kiosk: time-ordered, globally unique, stable."""
from __future__ import annotations

import os
import time
import uuid


def uuid7() -> str:
    """A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def short_ref(prefix: str = "GD") -> str:
    """A transaction reference a person can read off a receipt, e.g. ``GD-7F3A9C21``."""
    return f"{prefix}-{os.urandom(4).hex().upper()}"
