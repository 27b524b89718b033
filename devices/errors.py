"""Errors raised by barcode sources."""


class DeviceError(Exception):
    """Base of every error raised in ``devices``."""


class SourceUnavailable(DeviceError):
    """The scanner cannot be opened now (unplugged, no permission, no such device)."""
