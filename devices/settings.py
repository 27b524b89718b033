"""The barcode sources' settings: each ``[[scanner]]`` table of the kiosk's config is read into
:class:`ScannerSettings` and checked by it (a light module: no device library imported)."""
from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import Literal

from devices.symbologies import SYMBOLOGIES


@dataclass(frozen=True)
class ScannerSettings:
    """One barcode source: a ``[[scanner]]`` table of the kiosk's config, read into this type
    and checked by :meth:`problems` (``devices`` owns its settings)."""

    kind: Literal["keyboard", "evdev", "serial", "camera"] = "keyboard"
    # serial
    port: str = ""
    baudrate: int = 9600
    terminator: str = "\r\n"
    # camera: an index, a video file path or a URL
    device: typing.Union[int, str] = 0
    # camera: zxing+pyzbar (zxing-cpp, ZBar where bars were seen), zxing or pyzbar alone
    decoder: Literal["zxing+pyzbar", "zxing", "pyzbar"] = "zxing+pyzbar"
    symbologies: list[str] = field(default_factory=lambda: ["code128", "ean13", "qrcode", "code39"])
    # evdev: a path, a device name, or USB ids
    name: str = ""
    vendor_id: int = 0
    product_id: int = 0
    # camera: region of interest (x, y, w, h as fractions of the frame; empty = whole frame),
    # frames wider than max_width pixels are shrunk before decoding (0 = never)
    roi: list[float] = field(default_factory=list)
    max_width: int = 640
    # camera de-duplication: a code is reported again once out of view this long, or (if > 0)
    # after repeat_after_s even while it stays in view
    gone_after_s: float = 1.0
    repeat_after_s: float = 0.0
    # camera: a 1-D code both decoders did not read at once waits for this many frames within
    # confirm_window_s (1 = report every reading at once); see devices.confirm
    confirm_frames: int = 2
    confirm_window_s: float = 1.0
    # evdev: take the scanner exclusively, so its keys reach no other window
    grab: bool = True
    # keyboard wedge (and evdev/serial: the pause that ends a code without its suffix)
    # Scanners type every 7-16 ms, people 100 ms and more; the gap is measured when the window
    # handles each key, so leave room for a busy Pi frame between two keys.
    max_key_gap_ms: int = 50
    min_length: int = 4
    suffix: Literal["enter", "tab", "none"] = "enter"

    def problems(self) -> list[tuple[str, str, dict]]:
        """(key, reason, values) for every value that cannot work; empty when all is well. The
        reason is a word the application turns into a sentence (``serial_needs_port``...),
        with ``values`` filled in."""
        found = []
        if self.kind == "serial" and not self.port:
            found.append(("port", "serial_needs_port", {}))
        if self.kind == "evdev" and not (isinstance(self.device, str) and self.device
                                         or self.name or self.vendor_id):
            found.append(("device", "evdev_needs_device", {}))
        roi = self.roi
        if roi and (len(roi) != 4 or not all(0 <= v <= 1 for v in roi) or roi[0] + roi[2] > 1
                    or roi[1] + roi[3] > 1 or roi[2] <= 0 or roi[3] <= 0):
            found.append(("roi", "bad_roi", {}))
        for name in self.symbologies:
            if name not in SYMBOLOGIES:
                found.append(("symbologies", "unknown_symbology",
                              {"name": repr(name), "known": ", ".join(sorted(SYMBOLOGIES))}))
        if self.max_width < 0 or self.gone_after_s < 0 or self.repeat_after_s < 0:
            found.append(("", "camera_negative", {}))
        if not 1 <= self.confirm_frames <= 10:
            found.append(("confirm_frames", "confirm_frames_range", {}))
        if not 0 < self.confirm_window_s <= 10:
            found.append(("confirm_window_s", "confirm_window_range", {}))
        return found
