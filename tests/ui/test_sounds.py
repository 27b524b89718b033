"""The sounds: success and refusal are short and clearly different (measured); every spoken
prompt of the catalog is recorded, says the catalog's words, is not silent and is as long as its
words (measured with sox); both are made again byte for byte by scripts/make-sounds; a missing
sound is never fatal."""
import json
import subprocess
import sys
import tomllib
import wave
from pathlib import Path

import numpy
import pytest

from kiosk import ASSETS, PROJECT_ROOT

SOUNDS = ASSETS / "sounds"
LANGS = ("vi", "en")


def samples(path: Path) -> tuple[numpy.ndarray, int]:
    with wave.open(str(path)) as sound:
        assert sound.getnchannels() == 1 and sound.getsampwidth() == 2
        data = numpy.frombuffer(sound.readframes(sound.getnframes()), dtype="<i2")
        return data.astype(float) / 32768, sound.getframerate()


def peak_hz(x: numpy.ndarray, rate: int) -> float:
    """The strongest frequency of a stretch of sound."""
    spectrum = numpy.abs(numpy.fft.rfft(x))
    return float(numpy.fft.rfftfreq(len(x), 1 / rate)[spectrum.argmax()])


def centroid_hz(x: numpy.ndarray, rate: int) -> float:
    """Where the sound's energy sits (its brightness)."""
    spectrum = numpy.abs(numpy.fft.rfft(x))
    return float((spectrum * numpy.fft.rfftfreq(len(x), 1 / rate)).sum() / spectrum.sum())


def sox_seconds(path: Path) -> float:
    return float(subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True,
                                check=True).stdout)


def sox_stat(path: Path) -> dict[str, float]:
    """``sox FILE -n stat``: its figures by name (it writes them to stderr)."""
    done = subprocess.run(["sox", str(path), "-n", "stat"], capture_output=True, text=True,
                          check=True)
    figures = {}
    for line in done.stderr.splitlines():
        name, _, value = line.partition(":")
        try:
            figures[name.strip()] = float(value)
        except ValueError:
            pass
    return figures


def test_success_and_refusal_are_short_and_clearly_different():
    success, rate = samples(SOUNDS / "success.wav")
    refusal, _ = samples(SOUNDS / "refusal.wav")
    assert sox_seconds(SOUNDS / "success.wav") == pytest.approx(0.20, abs=0.01)
    assert sox_seconds(SOUNDS / "refusal.wav") == pytest.approx(0.34, abs=0.01)
    # Pitch: a high chime that rises against a low buzz.
    half = len(success) // 2
    assert peak_hz(success[:half], rate) == pytest.approx(880, abs=15)
    assert peak_hz(success[half:], rate) == pytest.approx(1320, abs=15)
    assert peak_hz(refusal, rate) == pytest.approx(180, abs=10)
    assert centroid_hz(success, rate) > 3 * centroid_hz(refusal, rate)
    # Rhythm: the refusal is two pulses with a gap between them; the chime has no gap.
    def gaps(x):
        frames = numpy.abs(x[: len(x) // 220 * 220]).reshape(-1, 220).max(axis=1)  # 10 ms
        quiet = frames < 0.02
        inner = quiet[numpy.argmax(~quiet): len(quiet) - numpy.argmax(~quiet[::-1])]
        return int(inner.sum())
    assert gaps(success) == 0
    assert gaps(refusal) >= 4  # at least 40 ms of silence between the two buzzes
    for name in ("success", "refusal"):
        assert sox_stat(SOUNDS / f"{name}.wav")["RMS     amplitude"] > 0.2


def _prompts(lang: str) -> dict[str, str]:
    with (ASSETS / "i18n" / lang / "speech.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_every_prompt_is_recorded_from_the_catalog_words():
    manifest = json.loads((SOUNDS / "speech" / "manifest.json").read_text(encoding="utf-8"))
    for lang in LANGS:
        assert manifest[lang] == _prompts(lang), f"{lang}: run scripts/make-sounds again"
        recorded = {path.stem for path in (SOUNDS / "speech" / lang).glob("*.wav")}
        assert recorded == set(_prompts(lang)), lang


@pytest.mark.parametrize("lang", LANGS)
def test_each_prompt_is_speech_as_long_as_its_words(lang):
    for key, text in _prompts(lang).items():
        path = SOUNDS / "speech" / lang / f"{key}.wav"
        seconds = sox_seconds(path)
        words = len(text.split())
        # A quarter second of lead-in, then about 0.2-0.6 s a word (a syllable in Vietnamese).
        assert 0.15 * words + 0.35 <= seconds <= 0.7 * words + 0.6, (path, seconds, words)
        stat = sox_stat(path)
        assert stat["Maximum amplitude"] > 0.5, path  # normalised to -3 dB: not silent
        assert stat["RMS     amplitude"] > 0.05, path
        x, rate = samples(path)
        lead = x[: int(0.2 * rate)]
        assert numpy.abs(lead).max() < 0.01, path  # room for a chime played at the same time
        # Speech sits where voices do, not in a hum or a hiss.
        assert 150 < centroid_hz(x, rate) < 3000, path


def test_make_sounds_writes_the_same_files_again(tmp_path):
    subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "make-sounds"), "--out",
                    str(tmp_path)], check=True, capture_output=True)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    kept = sorted(p.relative_to(SOUNDS) for p in SOUNDS.rglob("*") if p.is_file())
    assert made == kept
    for relative in made:
        assert (tmp_path / relative).read_bytes() == (SOUNDS / relative).read_bytes(), relative


def test_a_missing_sound_is_logged_not_raised(tmp_path, caplog):
    from kiosk.ui.sounds import KivySounds
    player = KivySounds(directory=tmp_path)
    player.play("success")
    player.play("success")
    player.play("speech/vi/greeting")
    assert "unavailable" in caplog.text
