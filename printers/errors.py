"""Errors raised by printer backends.

Each error carries a short ``code`` (stable, for logs and the UI) and a ``message_key`` in the
translation catalog (``assets/i18n/<lang>/printer.toml``), so the screen can show a Vietnamese
sentence rather than a traceback.
"""


class PrinterError(Exception):
    """Base of every error raised in ``printers``."""

    code = "error"

    @property
    def message_key(self) -> str:
        """The catalog key of the sentence the screen shows for this error."""
        return f"printer.{self.code}"


class PrinterUnavailable(PrinterError):
    """No printer: not configured, not connected, or the connection was refused."""

    code = "unavailable"


class PrinterDisconnected(PrinterError):
    """The printer went away in the middle of a job (unplugged, connection reset)."""

    code = "disconnected"


class PrinterTimeout(PrinterError):
    """The printer did not take the job within the set time."""

    code = "timeout"


class PaperOut(PrinterError):
    """The printer says its paper roll is out."""

    code = "paper_out"


class PrinterConfigError(PrinterError):
    """The printer settings cannot work (unknown kind, missing device, unknown code page)."""

    code = "config"
