"""Barcode sources: every scanner a school may plug in, as one stream of ScanEvents.

This room imports neither ``db``, ``kiosk`` nor Kivy. The pieces:

* :class:`devices.wedge.WedgeDecoder` - keys from a window to codes and typed text;
* :class:`devices.source.ScanSource` - the interface of every threaded source
  (:mod:`devices.evdev_source`, :mod:`devices.serial_source`, :mod:`devices.camera_source`,
  :mod:`devices.stream_source`);
* :class:`devices.hub.ScanHub` - several sources into one bounded queue;
* :mod:`devices.codes` - validation and classification of codes.

Source modules are imported on use, so that importing ``devices`` stays cheap.
"""
from devices.events import ScanEvent

__all__ = ["ScanEvent"]
