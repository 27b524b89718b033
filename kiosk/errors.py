"""Errors raised by the kiosk application. Domain refusals are results, not errors."""


class KioskError(Exception):
    """Base of every error raised in ``kiosk``."""
