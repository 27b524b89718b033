"""Every letter of the Vietnamese alphabet, both cases, with every tone, renders with the
bundled font: a real glyph (not the font's empty box), and a tone mark that shows."""
from __future__ import annotations

import unicodedata

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageOps

from printers.fonts import BOLD, FONT_DIR, REGULAR, font

LETTERS = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
VOWELS = "a ă â e ê i o ô ơ u ư y".split()
# none, grave (huyền), acute (sắc), hook above (hỏi), tilde (ngã), dot below (nặng)
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def _all_letters() -> list[str]:
    out = []
    for letter in LETTERS:
        forms = [letter + tone for tone in TONES] if letter in VOWELS else [letter]
        for form in forms:
            composed = unicodedata.normalize("NFC", form)
            assert len(composed) == 1, f"{form!r} has no precomposed letter"
            out += [composed, composed.upper()]
    return out


def _picture(ch: str, bold: bool) -> Image.Image:
    image = Image.new("L", (64, 64), 255)
    draw = ImageDraw.Draw(image)
    draw.text((8, 48), ch, font=font(40, bold), fill=0, anchor="ls")
    return image


def test_the_alphabet_is_complete():
    letters = _all_letters()
    assert len(letters) == 2 * (len(LETTERS) - len(VOWELS) + 6 * len(VOWELS)) == 178
    assert "Ỹ" in letters and "ự" in letters and "Đ" in letters


@pytest.mark.parametrize("bold", [False, True])
def test_every_vietnamese_letter_has_a_glyph_and_its_tone_shows(bold):
    missing_glyph = _picture("\U0010FFFD", bold)  # a private-use code point: the .notdef box
    f = font(40, bold)
    for ch in _all_letters():
        picture = _picture(ch, bold)
        assert ImageOps.invert(picture).getbbox() is not None, f"{ch!r} draws nothing"
        assert ImageChops.difference(picture, missing_glyph).getbbox() is not None, \
            f"{ch!r} ({unicodedata.name(ch)}) renders as the missing-glyph box"
        assert f.getmask(ch).getbbox() is not None, ch
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch:
            assert ImageChops.difference(picture, _picture(base, bold)).getbbox() is not None, \
                f"{ch!r} looks like {base!r}: its marks do not show"


def test_the_font_and_its_licence_are_bundled():
    assert REGULAR.is_file() and BOLD.is_file()
    assert REGULAR.parent == FONT_DIR
    licence = (FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream" in licence
