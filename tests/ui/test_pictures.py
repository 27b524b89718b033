"""The pictures for children who cannot read yet are drawn again, pixel for pixel, by
scripts/make-pictures, and are real pictures (not blank, transparent around the drawing)."""
import subprocess
import sys

from PIL import Image, ImageChops

from kiosk import ASSETS, PROJECT_ROOT

NAMES = ("scan_card", "scan_book")


def test_make_pictures_draws_the_same_pictures_again(tmp_path):
    subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "make-pictures"), "--out",
                    str(tmp_path)], check=True, capture_output=True)
    for name in NAMES:
        with Image.open(ASSETS / "images" / f"{name}.png") as kept, \
                Image.open(tmp_path / f"{name}.png") as made:
            assert kept.size == made.size == (256, 256)
            assert ImageChops.difference(kept.convert("RGBA"), made.convert("RGBA")).getbbox() \
                is None, name


def test_each_picture_shows_a_barcode_under_a_red_light():
    for name in NAMES:
        with Image.open(ASSETS / "images" / f"{name}.png") as image:
            rgba = image.convert("RGBA")
            assert rgba.getpixel((2, 2))[3] == 0  # transparent corner: sits on any background
            colours = {colour[:3] for _, colour in rgba.getcolors(maxcolors=1 << 16)
                       if colour[3] == 255}
            assert (229, 57, 53) in colours  # the scanner's red light
            assert (38, 50, 56) in colours  # the bars
            assert len(colours) > 20, name
