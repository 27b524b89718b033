"""Why a whole file cannot be imported (a bad row is a :class:`RowError`, not an exception)."""
from __future__ import annotations

from kiosk.errors import KioskError


class ImportFileError(KioskError):
    """The file cannot be imported at all; nothing was changed.

    ``reason`` names a message ``imports.file.<reason>`` in the catalog; ``values`` fill it.
    """

    def __init__(self, reason: str, **values):
        super().__init__(f"{reason}: {values}" if values else reason)
        self.reason = reason
        self.values = values

    @property
    def message_key(self) -> str:
        """The translation key of the one-line message for people."""
        return f"imports.file.{self.reason}"
