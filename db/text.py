"""Vietnamese text: NFC normalisation, diacritic-free search keys, alphabetical sort keys."""
from __future__ import annotations

import unicodedata

_VIETNAMESE_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {ch: i for i, ch in enumerate(_VIETNAMESE_ALPHABET)}
# Tone marks sort after the base letter: none, grave, hook, tilde, acute, dot below.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_VOWEL_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


def nfc(text: str | None) -> str:
    """``text`` trimmed, NFC-normalised, inner runs of whitespace made one space."""
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def without_invisible(text: str) -> str:
    """``text`` without invisible format characters: bidirectional overrides and isolates
    (U+202A-202E, U+2066-2069, which can make a name display backwards or hide text), marks
    and zero-width characters (U+200B-200F, U+FEFF). None belongs in a Vietnamese name."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


#: Characters shown as escapes: controls (a terminal obeys them), format characters (invisible,
#: or turning text around), surrogates, unassigned and private code points, line separators.
_UNPRINTABLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def printable(text: str, limit: int = 40) -> str:
    """``text`` safe to echo to a person: unprintable characters as ``\\x1b``-style escapes,
    and at most ``limit`` characters of it (then ``…``)."""
    shown = []
    for ch in text[:limit + 1]:
        if unicodedata.category(ch) in _UNPRINTABLE:
            code = ord(ch)
            shown.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
                         if code < 0x10000 else f"\\U{code:08x}")
        else:
            shown.append(ch)
    if len(text) > limit:
        return "".join(shown[:limit]) + "…"
    return "".join(shown)


def search_key(text: str | None) -> str:
    """Lower case without diacritics, ``đ`` as ``d``: ``"Nguyễn Đức"`` -> ``"nguyen duc"``."""
    decomposed = unicodedata.normalize("NFD", nfc(text).casefold())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d")


def sort_key(text: str | None) -> tuple:
    """A key that sorts Vietnamese words in the order of the Vietnamese alphabet.

    Letters compare first (a < ă < â < b ... d < đ), tones only break ties.
    """
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    for ch in nfc(text).casefold():
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _VOWEL_MARKS))
        rank = _LETTER_RANK.get(letter)
        letters.append((0, rank) if rank is not None else (1, ord(letter)))
        tones.append(max((_TONE_RANK.get(m, 0) for m in marks), default=0))
    return tuple(letters), tuple(tones)
