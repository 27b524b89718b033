"""Success and refusal sounds and spoken prompts through Kivy's SoundLoader; a sound that
cannot load is logged once and then stays silent, never fatal. One prompt speaks at a time: a
new one stops the one still speaking (a chime may sound over it: prompts begin with a quarter
second of silence)."""
from __future__ import annotations

import logging

from kiosk import ASSETS

log = logging.getLogger(__name__)

SOUNDS_DIR = ASSETS / "sounds"


SPEECH = "speech/"


class KivySounds:
    """Plays ``assets/sounds/<name>.wav`` (``speech/<lang>/<key>`` for a prompt)."""

    def __init__(self, directory=SOUNDS_DIR):
        self.directory = directory
        self._sounds: dict[str, object | None] = {}
        self._speaking = None

    def _load(self, name: str):
        if name not in self._sounds:
            sound = None
            path = self.directory / f"{name}.wav"
            try:
                from kivy.core.audio import SoundLoader
                if path.exists():
                    sound = SoundLoader.load(str(path))
            except Exception:  # noqa: BLE001 - no audio device must not stop the kiosk
                log.exception("sound %s failed to load", name)
            if sound is None:
                log.warning("sound %s unavailable (no audio provider or file)", name)
            self._sounds[name] = sound
        return self._sounds[name]

    def play(self, name: str) -> None:
        """Play one sound; errors are logged."""
        sound = self._load(name)
        if sound is None:
            return
        try:
            if name.startswith(SPEECH):
                if self._speaking is not None and self._speaking is not sound:
                    self._speaking.stop()
                self._speaking = sound
            sound.stop()
            sound.play()
        except Exception:  # noqa: BLE001
            log.exception("sound %s failed to play", name)
