"""The one thing every barcode source produces."""
from __future__ import annotations

from dataclasses import dataclass, field
import time


@dataclass(frozen=True, slots=True)
class ScanEvent:
    """One code read by one source.

    ``code`` is already trimmed and NFC-normalised; ``symbology`` is a short name such as
    ``"code128"``, ``"ean13"`` or ``"qrcode"`` when the source knows it, else ``None``;
    ``source`` names the scanner (``"keyboard"``, ``"serial:/dev/ttyACM0"``, ``"camera:0"``);
    ``at`` is ``time.monotonic()`` when the code was complete.
    """

    code: str
    source: str = "keyboard"
    symbology: str | None = None
    at: float = field(default_factory=time.monotonic)
