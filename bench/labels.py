"""Synthetic camera frames of the project's own labels, for the benchmark and the camera tests.

Bars and QR modules come from python-barcode and qrcode (independent of both decoders), are drawn
at a high resolution and shrunk into the frame, so module edges are anti-aliased as a camera would
see them. Distortions: rotation, blur, sensor noise, low contrast.
"""
from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

import cv2
import numpy as np

#: The formats of the project's labels (see the brief): (symbology, example maker).
STORES = ("GK", "TK", "NV", "TN")
CONDITIONS = ("clean", "rotation", "blur", "noise", "low_contrast")


def book_copy(rng: random.Random) -> str:
    """An accession number such as ``TK.00003``."""
    return f"{rng.choice(STORES)}.{rng.randrange(100000):05d}"


def student_card(rng: random.Random) -> str:
    """A 10-digit student card code."""
    return f"{rng.randrange(10**9, 10**10)}"


def teacher_card(rng: random.Random) -> str:
    """A teacher card such as ``GV0012``."""
    return f"GV{rng.randrange(10000):04d}"


def equipment_item(rng: random.Random) -> str:
    """An equipment item such as ``TB.KHTN6.001``."""
    subject = rng.choice(("KHTN6", "KHTN7", "TOAN8", "VATLY9", "HOA10", "TINHOC"))
    return f"TB.{subject}.{rng.randrange(1, 1000):03d}"


def isbn(rng: random.Random) -> str:
    """An ISBN-13 of a Vietnamese publisher (978604...), check digit included."""
    body = "978604" + f"{rng.randrange(10**6):06d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def transaction_ref(rng: random.Random) -> str:
    """A transaction reference as held in a receipt's QR code."""
    return f"GD-2026{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}-{rng.randrange(10**6):06d}"


MAKERS = (
    ("code128", book_copy), ("code128", student_card), ("code128", teacher_card),
    ("code128", equipment_item), ("ean13", isbn), ("qrcode", transaction_ref),
)


def modules(symbology: str, text: str) -> np.ndarray:
    """The code as a 2-D array of modules (1 = dark), quiet zone included."""
    if symbology == "qrcode":
        import qrcode

        qr = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
        qr.add_data(text)
        qr.make(fit=True)
        return np.array(qr.get_matrix(), dtype=np.uint8)
    if symbology == "code128" and text.startswith("99"):
        # python-barcode 0.16.1 drops a leading "99" pair from Code 128 (its issue #251, fixed
        # upstream by PR #263): draw those with zxing-cpp's writer instead.
        import zxingcpp

        bars = np.array(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
                        .to_image(scale=1, add_quiet_zones=False))[0]
        row = (bars < 128).astype(np.uint8)
        quiet = np.zeros(10, dtype=np.uint8)
        row = np.concatenate([quiet, row, quiet])
        return np.tile(row, (max(12, int(len(row) * 0.3)), 1))
    import barcode

    code = barcode.get(symbology if symbology != "ean13" else "ean13",
                       text[:12] if symbology == "ean13" else text)
    row = np.array([int(c) for c in "".join(code.build())], dtype=np.uint8)
    quiet = np.zeros(10, dtype=np.uint8)
    row = np.concatenate([quiet, row, quiet])
    height = max(12, int(len(row) * 0.3))
    return np.tile(row, (height, 1))


def label_image(symbology: str, text: str, module_px: float) -> np.ndarray:
    """A grayscale label (black on white) whose modules are ``module_px`` pixels wide."""
    grid = modules(symbology, text)
    big = np.where(grid > 0, 0, 255).astype(np.uint8)
    k = 8
    big = cv2.resize(big, (grid.shape[1] * k, grid.shape[0] * k),
                     interpolation=cv2.INTER_NEAREST)
    width = max(8, round(grid.shape[1] * module_px))
    height = max(8, round(grid.shape[0] * module_px))
    return cv2.resize(big, (width, height), interpolation=cv2.INTER_AREA)


def background(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A cluttered desk-like grayscale background of ``size`` (w, h)."""
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = 120 + 50 * np.sin(xx / w * rng.uniform(1, 4) + rng.uniform(0, 6)) \
        * np.cos(yy / h * rng.uniform(1, 3))
    img = base.astype(np.uint8)
    for _ in range(10):  # printed text, as on a book cover or a desk full of papers
        words = "".join(chr(int(c)) for c in rng.integers(65, 91, int(rng.integers(4, 14))))
        cv2.putText(img, words, (int(rng.integers(0, w)), int(rng.integers(10, h))),
                    cv2.FONT_HERSHEY_SIMPLEX, float(rng.uniform(0.4, 1.2)) * w / 640,
                    int(rng.integers(0, 90)), int(rng.integers(1, 3)))
    for _ in range(12):  # clutter: boxes and lines such as a desk, a hand, a book's edges
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        colour = int(rng.integers(40, 230))
        if rng.random() < 0.5:
            cv2.rectangle(img, (x, y), (x + int(rng.integers(20, w // 3)),
                                        y + int(rng.integers(20, h // 3))), colour, -1)
        else:
            cv2.line(img, (x, y), (int(rng.integers(0, w)), int(rng.integers(0, h))), colour,
                     int(rng.integers(1, 6)))
    return img


@dataclass(frozen=True)
class Sample:
    """One generated frame and what it holds."""

    frame: np.ndarray  # BGR
    symbology: str
    text: str
    condition: str


def place(frame_gray: np.ndarray, label: np.ndarray, angle: float,
          rng: np.random.Generator) -> np.ndarray:
    """Paste ``label`` rotated by ``angle`` degrees somewhere fully inside the frame."""
    h, w = frame_gray.shape
    lh, lw = label.shape
    rot = cv2.getRotationMatrix2D((lw / 2, lh / 2), angle, 1.0)
    cos, sin = abs(rot[0, 0]), abs(rot[0, 1])
    bw, bh = int(lw * cos + lh * sin) + 2, int(lw * sin + lh * cos) + 2
    rot[0, 2] += bw / 2 - lw / 2
    rot[1, 2] += bh / 2 - lh / 2
    if bw >= w or bh >= h:
        scale = min((w - 4) / bw, (h - 4) / bh)
        rot[:, :2] *= scale
        rot[:, 2] *= scale
        bw, bh = int(bw * scale), int(bh * scale)
    warped = cv2.warpAffine(label, rot, (bw, bh), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpAffine(np.full_like(label, 255), rot, (bw, bh), flags=cv2.INTER_NEAREST,
                          borderValue=0)
    x = int(rng.integers(0, w - bw + 1))
    y = int(rng.integers(0, h - bh + 1))
    roi = frame_gray[y:y + bh, x:x + bw]
    np.copyto(roi, warped, where=mask > 0)
    return frame_gray


def make_sample(symbology: str, text: str, condition: str, size: tuple[int, int],
                rng: np.random.Generator) -> Sample:
    """A frame of ``size`` (w, h) showing one label under ``condition``."""
    w, _ = size
    scale = w / 640
    if symbology == "qrcode":
        module_px = rng.uniform(3.5, 6.0) * scale
    else:
        module_px = rng.uniform(1.8, 2.8) * scale
    label = label_image(symbology, text, module_px)
    angle = 0.0
    if condition == "rotation":
        angle = float(rng.uniform(0, 360)) if symbology == "qrcode" else \
            float(rng.choice([0, 90, 180, 270]) + rng.uniform(-15, 15))
    else:
        angle = float(rng.uniform(-3, 3))
    if condition == "low_contrast":
        label = (label.astype(np.float32) * (70 / 255) + 95).astype(np.uint8)
    gray = place(background(size, rng), label, angle, rng)
    if condition == "blur":  # out of focus: a blur of 0.3-0.5 module
        gray = cv2.GaussianBlur(gray, (0, 0), float(rng.uniform(0.3, 0.5)) * module_px)
    elif condition == "low_contrast":
        gray = cv2.GaussianBlur(gray, (0, 0), 0.6)
    # every camera frame carries sensor noise: sigma 3 in good light, 12 in low light
    sigma = 12 if condition == "noise" else 3
    noisy = gray.astype(np.float32) + rng.normal(0, sigma, gray.shape).astype(np.float32)
    gray = np.clip(noisy, 0, 255).astype(np.uint8)
    return Sample(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), symbology, text, condition)


def samples(count: int, condition: str, size: tuple[int, int], seed: int = 1) -> list[Sample]:
    """``count`` frames cycling through the project's label kinds, reproducibly."""
    pyrng = random.Random(f"{seed}-{condition}-{size}")
    rng = np.random.default_rng(zlib.crc32(f"{seed}-{condition}-{size}".encode()))
    out = []
    for i in range(count):
        symbology, maker = MAKERS[i % len(MAKERS)]
        out.append(make_sample(symbology, maker(pyrng), condition, size, rng))
    return out
