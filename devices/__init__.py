"""Barcode sources: every scanner a school may plug in, as one stream of ScanEvents.

This room imports neither ``db``, ``kiosk`` nor Kivy.
"""
from devices.events import ScanEvent

__all__ = ["ScanEvent"]
