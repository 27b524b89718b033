"""Barcode sources: every scanner a school may plug in, as one stream of ScanEvents.

This room imports neither ``db``, ``kiosk`` nor Kivy. The pieces:

* :class:`devices.wedge.WedgeDecoder` - keys from a window to codes and typed text;
* :class:`devices.source.ScanSource` - the interface of every threaded source
  (:mod:`devices.evdev_source`, :mod:`devices.serial_source`, :mod:`devices.camera_source`,
  :mod:`devices.stream_source`);
* :class:`devices.hub.ScanHub` - several sources into one bounded queue;
* :mod:`devices.decoders` + :mod:`devices.pipeline` - image decoding for the camera;
  :mod:`devices.dual` (the default: zxing-cpp, checked and completed by ZBar where
  :mod:`devices.locate` sees bars) and :mod:`devices.confirm` (a 1-D code becomes a scan once
  two decoders agree or two frames show it); see ``docs/camera.md``;
* :mod:`devices.codes` - validation and classification of codes.

How the UI uses it (the wiring from the config is ``kiosk.scanners``)::

    wedge = kiosk.scanners.build_wedge(config.scanner[0], config.codes.max_length)
    # in Window.on_key_down(window, keycode, scancode, codepoint, modifiers):
    key = devices.wedge.window_key(keycode, codepoint)   # "\\r", "\\t", a character or None
    for out in wedge.feed(key, time.monotonic()):
        ...  # ScanEvent -> presenter.on_scan(out); TypedText -> give out.text to the widget
    # from a Clock every 20-50 ms: the pause that ends a code (and releases typed keys)
    for out in wedge.poll(time.monotonic()):
        ...

    hub = ScanHub(kiosk.scanners.build_sources(config.scanner, config.codes.max_length))
    hub.start()                      # every source in its own daemon thread
    events = hub.drain(limit=10)     # from a Clock, on the UI thread; never blocks
    hub.statuses()                   # {name: SourceStatus(state, detail)} for the indicator
    camera.preview()                 # newest frame (BGR numpy) with codes outlined, or None
    hub.stop()

Source modules are imported on use, so that importing ``devices`` stays cheap.
"""
from devices.events import ScanEvent

__all__ = ["ScanEvent"]
