"""Code 128 drawn dot-exact: every bar a whole number of dots, so thermal heads and laser
printers print it crisply and scanners read it."""
from __future__ import annotations

import zxingcpp
from PIL import Image, ImageDraw

#: Quiet zone on each side, in modules (the Code 128 standard asks for at least 10).
QUIET_MODULES = 10


def code128_modules(data: str) -> str:
    """The bars of ``data`` in Code 128 as a string of ``1`` (bar) and ``0`` (space) modules,
    quiet zones excluded. zxing-cpp's encoder picks code sets B/C and the check symbol
    (python-barcode 0.16 drops a leading "99" pair, so a card 9999980943 would read 99980943)."""
    if not data or not data.isascii() or not data.isprintable():
        raise ValueError(f"Code 128 here takes printable ASCII, not {data!r}")
    symbol = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.Code128)
    image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))
    first_row = image.tobytes()[:image.shape[1]]
    return "".join("1" if value < 128 else "0" for value in first_row)


def code128_width(data: str, module: int) -> int:
    """Width in dots of ``data`` at ``module`` dots a module, quiet zones included."""
    return (len(code128_modules(data)) + 2 * QUIET_MODULES) * module


def fit_module(data: str, width: int, largest: int = 4) -> int:
    """The widest whole-dot module (at most ``largest``) with which ``data`` fits in ``width``;
    raises ValueError when even one dot a module does not fit."""
    for module in range(largest, 0, -1):
        if code128_width(data, module) <= width:
            return module
    raise ValueError(f"{data!r} does not fit in {width} dots as Code 128")


def code128_image(data: str, module: int, height: int) -> Image.Image:
    """``data`` as a Code 128 picture (mode ``"1"``), quiet zones included."""
    modules = code128_modules(data)
    image = Image.new("1", ((len(modules) + 2 * QUIET_MODULES) * module, height), 1)
    draw = ImageDraw.Draw(image)
    x = QUIET_MODULES * module
    run_start = None
    for i, bit in enumerate(modules + "0"):
        if bit == "1" and run_start is None:
            run_start = i
        elif bit == "0" and run_start is not None:
            draw.rectangle((x + run_start * module, 0, x + i * module - 1, height - 1), fill=0)
            run_start = None
    return image
