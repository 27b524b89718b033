"""Wiring: the config's ``[[scanner]]`` tables into barcode sources from ``devices``.

The Kivy window feeds its own key events to a :class:`devices.wedge.WedgeDecoder` built by
:func:`build_wedge`; every other scanner becomes a threaded :class:`devices.source.ScanSource`
from :func:`build_sources`, normally run through a :class:`devices.hub.ScanHub`.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from devices.codes import DEFAULT_MAX_LENGTH
from devices.source import ScanSource
from devices.wedge import WedgeDecoder
from devices.settings import ScannerSettings

if TYPE_CHECKING:
    from devices.confirm import Confirmer
    from devices.pipeline import FramePipeline

log = logging.getLogger(__name__)


def build_wedge(config: ScannerSettings, max_length: int = DEFAULT_MAX_LENGTH) -> WedgeDecoder:
    """The keyboard-wedge decoder for a ``kind = "keyboard"`` scanner."""
    return WedgeDecoder(max_key_gap=config.max_key_gap_ms / 1000, min_length=config.min_length,
                        suffix=config.suffix, max_length=max_length, source="keyboard")


def build_source(config: ScannerSettings, max_length: int = DEFAULT_MAX_LENGTH,
                 keyboard_fd: int | None = None) -> ScanSource | None:
    """The source for one ``[[scanner]]`` table.

    A keyboard scanner has no source of its own (the window feeds a wedge decoder) unless
    ``keyboard_fd`` is given: then its lines are read from that descriptor (``kiosk scan-test``
    passes standard input).
    """
    pause_s = max(config.max_key_gap_ms / 1000, 0.05)
    if config.kind == "keyboard":
        if keyboard_fd is None:
            return None
        from devices.stream_source import LineStreamSource

        return LineStreamSource(keyboard_fd, min_length=config.min_length,
                                max_length=max_length)
    if config.kind == "serial":
        from devices.serial_source import SerialSource

        return SerialSource(config.port, baudrate=config.baudrate, terminator=config.terminator,
                            pause_s=pause_s, max_length=max_length)
    if config.kind == "evdev":
        from devices.evdev_source import EvdevSource

        path = config.device if isinstance(config.device, str) else ""
        return EvdevSource(path=path, name=config.name, vendor_id=config.vendor_id,
                           product_id=config.product_id, grab=config.grab,
                           suffix=config.suffix, pause_s=max(pause_s, 0.1),
                           max_length=max_length)
    if config.kind == "camera":
        from devices.camera_source import CameraSource

        return CameraSource(config.device, pipeline=build_camera_pipeline(config),
                            gone_after_s=config.gone_after_s,
                            repeat_after_s=config.repeat_after_s, max_length=max_length,
                            confirmer=build_confirmer(config))
    raise ValueError(f"unknown scanner kind {config.kind!r}")


def build_camera_pipeline(config: ScannerSettings) -> FramePipeline:
    """What a ``kind = "camera"`` scanner does to each frame: region, downscale, decoders (the
    benchmark measures exactly this, from a default ``ScannerSettings(kind="camera")``)."""
    from devices.decoders import make_decoder
    from devices.pipeline import FramePipeline

    return FramePipeline(make_decoder(config.decoder, config.symbologies), roi=config.roi,
                         max_width=config.max_width)


def build_confirmer(config: ScannerSettings) -> Confirmer:
    """The confirmation a ``kind = "camera"`` scanner applies to 1-D codes."""
    from devices.confirm import Confirmer

    return Confirmer(config.confirm_frames, config.confirm_window_s)


def build_sources(configs: Iterable[ScannerSettings], max_length: int = DEFAULT_MAX_LENGTH,
                  keyboard_fd: int | None = None) -> list[ScanSource]:
    """The sources for every ``[[scanner]]`` table (see :func:`build_source`)."""
    sources = []
    for config in configs:
        source = build_source(config, max_length, keyboard_fd)
        if source is not None:
            sources.append(source)
    return sources
