"""Errors raised by printer backends."""


class PrinterError(Exception):
    """Base of every error raised in ``printers``."""
