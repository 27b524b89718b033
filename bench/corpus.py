"""The real barcode photos of ``../shared/corpus/zxing-samples``, as the camera benchmark uses
them: loading, expected texts, the training/validation split, frames of a camera's size, and a
few frames of the same photo as a camera would deliver them while the code is held still.

Split: whole folders, chosen before any tuning so that each side holds EAN-13/UPC-A photos of
different sources and sizes. Every threshold of ``devices.locate`` and ``devices.dual`` was tuned
on the training folders only; the validation folders (and the code-free photos) only measure.
Folders that are in neither list (a held-out corpus pointed to with ``ZXING_SAMPLES``) count as
validation.
"""
from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    """The photo folder: ``$ZXING_SAMPLES``, else the shared corpus beside the checkout."""
    if os.environ.get("ZXING_SAMPLES"):
        return Path(os.environ["ZXING_SAMPLES"])
    for candidate in (ROOT.parent.parent / "shared" / "corpus" / "zxing-samples",
                      Path("/work/shared/corpus/zxing-samples")):
        if candidate.exists():
            return candidate
    return Path("/work/shared/corpus/zxing-samples")


TRAINING = ("upca-1", "upca-2", "upca-4", "code128-1", "qrcode-1")
VALIDATION = ("ean13-1", "upca-3", "upca-5", "code39-1", "ean8-1")
#: Code 32 and PZN are pharmacy variants of Code 39 whose expected text is not the bars' content.
SKIP = ("code32-", "pzn-")
IMAGE_SUFFIXES = (".png", ".webp", ".jpg", ".jpeg")


@dataclass(frozen=True)
class Photo:
    """One photo: its folder, file name, pixels (BGR) and expected text (None: holds no code)."""

    folder: str
    name: str
    image: np.ndarray
    expected: str | None

    @property
    def split(self) -> str:
        """``training`` or ``validation``."""
        return "training" if self.folder in TRAINING else "validation"

    @property
    def symbology(self) -> str:
        """The folder's symbology (``ean13`` for UPC-A: the same bars, read as 13 digits)."""
        kind = self.folder.split("-")[0]
        return {"upca": "ean13", "falsepositives": "none"}.get(kind, kind)


def normalise(text: str) -> str:
    """Line endings as LF (the expected files of QR codes say CRLF, some decoders LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def matches(read: str, expected: str) -> bool:
    """True when a decoded text is the expected one (line endings aside; a UPC-A's 12 digits
    match the 13 with a leading 0 that an EAN-13 reader reports)."""
    read, expected = _upc_as_ean(normalise(read).strip()), _upc_as_ean(normalise(expected).strip())
    return read == expected


def _upc_as_ean(text: str) -> str:
    return "0" + text if len(text) == 12 and text.isdigit() else text


def read_image(path: Path) -> np.ndarray | None:
    """A BGR image (OpenCV refuses some tiny WebP files; Pillow reads them)."""
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        try:
            from PIL import Image

            with Image.open(path) as pil:
                image = cv2.cvtColor(np.array(pil.convert("RGB")), cv2.COLOR_RGB2BGR)
        except OSError:
            return None
    return image


def photos(folder: Path | None = None) -> list[Photo]:
    """Every readable photo of the corpus, folder by folder."""
    base = folder or corpus_dir()
    out = []
    for sub in sorted(p for p in base.iterdir() if p.is_dir()):
        for path in sorted(sub.iterdir()):
            if path.suffix.lower() not in IMAGE_SUFFIXES or path.name.startswith(SKIP):
                continue
            image = read_image(path)
            if image is None:
                continue
            expected = None
            if not sub.name.startswith("falsepositives"):
                txt = path.with_suffix(".txt")
                if not txt.exists():
                    continue
                expected = txt.read_text(encoding="utf-8")
            out.append(Photo(sub.name, path.name, image, expected))
    return out


def padded(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The photo in the middle of a ``size`` (w, h) frame, shrunk to fit if larger; the rest is
    filled with the colour of the photo's border, as if the camera saw more of the same
    background."""
    width, height = size
    h, w = image.shape[:2]
    scale = min(1.0, width / w, height / h)
    if scale < 1:
        image = cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))),
                           interpolation=cv2.INTER_AREA)
        h, w = image.shape[:2]
    border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    frame = np.empty((height, width, 3), np.uint8)
    frame[:] = np.median(border, axis=0).astype(np.uint8)
    y, x = (height - h) // 2, (width - w) // 2
    frame[y:y + h, x:x + w] = image
    return frame


MOTION = os.environ.get("HELD_STILL", "subpixel")
NOISE_SIGMA = 2.0  # sensor noise of a lit room


def held_still(image: np.ndarray, size: tuple[int, int] | None, count: int, seed: str,
               motion: str = MOTION) -> list[np.ndarray]:
    """``count`` frames of a photo held in front of a camera, at its own size (``size`` None)
    or padded into a ``size`` (w, h) frame: the first is the photo itself; each other one has
    the photo moved by up to a pixel either way (``motion="subpixel"``: by interpolation, which
    also softens it a little; ``"whole"``: by whole pixels, the same sampling every time) and
    its own sensor noise (sigma 2) over the whole frame. Reproducible from ``seed``."""
    rng = np.random.default_rng(zlib.crc32(seed.encode()))
    h, w = image.shape[:2]
    out = [image if size is None else padded(image, size)]
    for i in range(count - 1):
        shift = rng.uniform(-1, 1, 2)
        if motion == "whole":
            shift = np.round(shift)
        matrix = np.array([[1, 0, shift[0]], [0, 1, shift[1]]], dtype=np.float64)
        moved = cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
        frame = moved if size is None else padded(moved, size)
        up, down = _noise(frame.shape, i)
        out.append(cv2.subtract(cv2.add(frame, up), down))  # saturating, as a sensor is
    return out


_NOISE: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}


def _noise(shape: tuple[int, ...], i: int) -> tuple[np.ndarray, np.ndarray]:
    """The i-th of a few fixed noise fields for frames of ``shape``, as what it adds and what it
    takes away (drawing fresh noise for every frame cost more than decoding it)."""
    key = (shape, i % 4)
    if key not in _NOISE:
        rng = np.random.default_rng(1000 + i % 4)
        noise = np.round(rng.normal(0, NOISE_SIGMA, shape))
        _NOISE[key] = (np.clip(noise, 0, 255).astype(np.uint8),
                       np.clip(-noise, 0, 255).astype(np.uint8))
    return _NOISE[key]
