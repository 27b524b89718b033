"""Telex: typing Vietnamese on a plain Latin keyboard (the on-screen keyboard's input method).

``aa``->â ``aw``->ă ``ee``->ê ``oo``->ô ``ow``->ơ ``uw``/``w``->ư ``dd``->đ; tones ``s`` (sắc)
``f`` (huyền) ``r`` (hỏi) ``x`` (ngã) ``j`` (nặng); ``z`` removes the tone; a modifier typed
twice is undone and kept as a letter (``ass`` -> ``as``). The tone sits on the right vowel and
moves as the word grows (``hoá`` + ``n`` -> ``hoán``); ``qu`` and ``gi`` count as consonants.
Placement follows the classic style of school textbooks (``hóa``, ``thủy``); ``modern=True``
gives ``hoá``, ``thuỷ``. Output is NFC. Every function works on the visible text, so editing
(backspace) and typing again compose correctly.
"""
from __future__ import annotations

import unicodedata

TONE_KEYS = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_TONE_MARKS = set(TONE_KEYS.values())
_VOWELS = set("aăâeêioôơuưy")
_CIRCUMFLEX = {"a": "â", "e": "ê", "o": "ô", "ă": "â", "ơ": "ô"}
_PLAIN = {"â": "a", "ê": "e", "ô": "o", "ă": "a", "ơ": "o", "ư": "u"}
_HORN = {"a": "ă", "o": "ơ", "u": "ư"}
_MARKED = set("ăâêôơư")


class _Char:
    """One visible character split into its letter (with its vowel mark), tone and case."""

    __slots__ = ("letter", "tone", "upper")

    def __init__(self, ch: str):
        decomposed = unicodedata.normalize("NFD", ch)
        tones = [m for m in decomposed if m in _TONE_MARKS]
        rest = "".join(m for m in decomposed if m not in _TONE_MARKS)
        letter = unicodedata.normalize("NFC", rest)
        self.letter = letter.lower()
        self.tone = tones[0] if tones else ""
        self.upper = letter != letter.lower()

    def render(self) -> str:
        text = unicodedata.normalize("NFC", self.letter + self.tone)
        return text.upper() if self.upper else text


def _cluster(chars: list[_Char]) -> list[int]:
    """Indices of the word's last run of vowels, without the u of qu and the i of gi."""
    end = None
    for i in range(len(chars) - 1, -1, -1):
        if chars[i].letter in _VOWELS:
            end = i
            break
    if end is None:
        return []
    start = end
    while start > 0 and chars[start - 1].letter in _VOWELS:
        start -= 1
    run = list(range(start, end + 1))
    if len(run) > 1 and start == 1:
        first = chars[0].letter
        if (first == "q" and chars[1].letter == "u") or (first == "g" and chars[1].letter == "i"):
            run = run[1:]
    return run


def _tone_position(chars: list[_Char], modern: bool) -> int | None:
    run = _cluster(chars)
    if not run:
        return None
    marked = [i for i in run if chars[i].letter in _MARKED]
    if marked:
        horn_o = [i for i in marked if chars[i].letter == "ơ"]
        return horn_o[0] if horn_o else marked[0]
    if run[-1] < len(chars) - 1:  # a final consonant follows: the last vowel
        return run[-1]
    if len(run) >= 3:
        return run[1]
    if len(run) == 2:
        pair = chars[run[0]].letter + chars[run[1]].letter
        if modern and pair in ("oa", "oe", "uy"):
            return run[1]
        return run[0]
    return run[0]


def _current_tone(chars: list[_Char]) -> str:
    return next((c.tone for c in chars if c.tone), "")


def _place_tone(chars: list[_Char], tone: str, modern: bool) -> bool:
    for c in chars:
        c.tone = ""
    if not tone:
        return True
    position = _tone_position(chars, modern)
    if position is None:
        return False
    chars[position].tone = tone
    return True


def _literal(key: str) -> _Char:
    return _Char(key)


def apply_key(word: str, key: str, modern: bool = False) -> str:
    """The word after one more key typed at its end (``key`` is one letter)."""
    chars = [_Char(ch) for ch in word]
    k = key.lower()
    tone = _current_tone(chars)
    if k in TONE_KEYS and _cluster(chars):
        if tone == TONE_KEYS[k]:
            _place_tone(chars, "", modern)
            chars.append(_literal(key))
        else:
            _place_tone(chars, TONE_KEYS[k], modern)
        return _render(chars)
    if k == "z" and tone:
        _place_tone(chars, "", modern)
        return _render(chars)
    if k in ("a", "e", "o") and _modify_circumflex(chars, k, key):
        pass
    elif k == "w" and _modify_horn(chars, key):
        pass
    elif k == "d" and _modify_d(chars):
        pass
    else:
        chars.append(_literal(key))
    if tone:
        _place_tone(chars, tone, modern)
    return _render(chars)


def _modify_circumflex(chars: list[_Char], k: str, key: str) -> bool:
    run = _cluster(chars)
    for i in reversed(run):
        letter = chars[i].letter
        if letter == _CIRCUMFLEX.get(k) and letter in ("â", "ê", "ô"):
            chars[i].letter = k  # typed twice: undo, and keep the key as a letter
            chars.append(_literal(key))
            return True
        if letter in (k, {"a": "ă", "o": "ơ"}.get(k)):
            chars[i].letter = _CIRCUMFLEX[letter]
            return True
    return False


def _modify_horn(chars: list[_Char], key: str) -> bool:
    run = _cluster(chars)
    letters = [chars[i].letter for i in run]
    for j in range(len(run) - 1):
        if letters[j] in ("u", "ư") and letters[j + 1] in ("o", "ơ"):
            if letters[j] == "ư" and letters[j + 1] == "ơ":
                chars[run[j]].letter, chars[run[j + 1]].letter = "u", "o"
                chars.append(_literal(key))
            else:
                chars[run[j]].letter, chars[run[j + 1]].letter = "ư", "ơ"
            return True
    for target in ("a", "o", "u"):
        for i in reversed(run):
            if chars[i].letter == target:
                chars[i].letter = _HORN[target]
                return True
    for i in reversed(run):
        if chars[i].letter in ("ă", "ơ", "ư"):
            chars[i].letter = _PLAIN[chars[i].letter]
            chars.append(_literal(key))
            return True
    if not run:
        ch = _Char("ư")
        ch.upper = key.isupper()
        chars.append(ch)
        return True
    return False


def _modify_d(chars: list[_Char]) -> bool:
    for c in chars:
        if c.letter == "đ":
            c.letter = "d"
            chars.append(_literal("d"))
            return True
    for c in chars:
        if c.letter == "d":
            c.letter = "đ"
            return True
    return False


def _render(chars: list[_Char]) -> str:
    return unicodedata.normalize("NFC", "".join(c.render() for c in chars))


def telex(keys: str, modern: bool = False) -> str:
    """Type a whole sequence of keys: ``telex("Tieengs Vieetj")`` -> ``"Tiếng Việt"``."""
    composer = TelexComposer(modern=modern)
    for key in keys:
        composer.key(key)
    return composer.text


class TelexComposer:
    """A text field's content typed key by key with Telex (the on-screen keyboard's buffer)."""

    def __init__(self, text: str = "", modern: bool = False, telex_on: bool = True):
        self.modern = modern
        self.telex_on = telex_on
        self._text = unicodedata.normalize("NFC", text)

    @property
    def text(self) -> str:
        """The text so far, NFC."""
        return self._text

    def _split(self) -> tuple[str, str]:
        i = len(self._text)
        while i > 0 and self._text[i - 1].isalpha():
            i -= 1
        return self._text[:i], self._text[i:]

    def key(self, key: str) -> str:
        """Type one key (a letter, a digit, a space or punctuation)."""
        if len(key) != 1:
            raise ValueError(f"one key at a time, not {key!r}")
        if self.telex_on and key.isascii() and key.isalpha():
            head, word = self._split()
            self._text = head + apply_key(word, key, self.modern)
        else:
            self._text = unicodedata.normalize("NFC", self._text + key)
        return self._text

    def backspace(self) -> str:
        """Delete the last visible character."""
        self._text = self._text[:-1]
        return self._text

    def clear(self) -> None:
        """Empty the field."""
        self._text = ""

    def set(self, text: str) -> None:
        """Replace the whole text (e.g. a recent lesson title picked from a list)."""
        self._text = unicodedata.normalize("NFC", text)
