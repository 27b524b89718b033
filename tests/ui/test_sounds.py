"""The sound files exist and are short valid WAVs; a missing sound is never fatal."""
import wave

from kiosk import ASSETS


def test_sound_files_are_short_wavs():
    for name in ("success", "refusal"):
        with wave.open(str(ASSETS / "sounds" / f"{name}.wav")) as sound:
            seconds = sound.getnframes() / sound.getframerate()
            assert sound.getnchannels() == 1 and 0.1 < seconds < 0.6


def test_a_missing_sound_is_logged_not_raised(tmp_path, caplog):
    from kiosk.ui.sounds import KivySounds
    player = KivySounds(directory=tmp_path)
    player.play("success")
    player.play("success")
    assert "unavailable" in caplog.text
