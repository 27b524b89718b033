"""Everything the running kiosk starts beside its window, wired from the config in one place:
the print service, the provincial sync thread and the scanners (serial, evdev, camera).

The window itself reads the keyboard-wedge scanner; every other scanner runs on its own thread
into a bounded :class:`devices.hub.ScanHub` that the window drains on its clock.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from devices.hub import ScanHub
from kiosk.context import KioskContext
from kiosk.presenters.ports import DeviceState, OutboxSyncStatus, Ports, SoundPlayer
from kiosk.printing import build_printer
from kiosk.receipt_sink import PrinterReceiptSink
from kiosk.scanners import build_sources

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """The started parts; :meth:`close` stops them."""

    ports: Ports
    hub: ScanHub | None = None
    sync_thread: object | None = None
    print_service: object | None = None
    _closed: bool = field(default=False, repr=False)

    def drain_scans(self, limit: int = 10) -> list[str]:
        """Codes scanned by the threaded scanners since the last call (on the UI's clock)."""
        if self.hub is None:
            return []
        return [event.code for event in self.hub.drain(limit)]

    def preview(self):
        """The newest camera frame with codes outlined (numpy BGR), or None without a camera."""
        if self.hub is None:
            return None
        for source in self.hub.sources:
            preview = getattr(source, "preview", None)
            if preview is not None:
                return preview()
        return None

    @property
    def has_camera(self) -> bool:
        """True when a camera scanner is configured."""
        return self.hub is not None and any(hasattr(s, "preview") for s in self.hub.sources)

    def close(self) -> None:
        """Stop the scanners, the sync thread and the print service."""
        if self._closed:
            return
        self._closed = True
        if self.hub is not None:
            self.hub.stop()
        if self.sync_thread is not None:
            self.sync_thread.stop(timeout=5)
        if self.print_service is not None:
            self.print_service.close()


class LiveDevices:
    """The printer's last result and every scanner's own status, for the staff screen."""

    def __init__(self, context: KioskContext, sink: PrinterReceiptSink, hub: ScanHub | None):
        self.context = context
        self.sink = sink
        self.hub = hub

    def status(self) -> list[DeviceState]:
        """One line for the printer, one per scanner."""
        printer = self.context.config.printer
        last = self.sink.last_result
        states = [DeviceState("printer", printer.kind != "none" and (last is None or last[0]),
                              printer.kind + (f": {last[1]}" if last and not last[0] else ""))]
        for scanner in self.context.config.scanner:
            if scanner.kind == "keyboard":
                states.append(DeviceState("scanner:keyboard", True, ""))
        for name, status in (self.hub.statuses().items() if self.hub else []):
            states.append(DeviceState(f"scanner:{name}", status.state == "connected",
                                      status.state + (f": {status.detail}" if status.detail
                                                      else "")))
        return states


def start_runtime(context: KioskContext, sounds: SoundPlayer) -> Runtime:
    """Start the print service, the sync thread and the threaded scanners from the config."""
    from kiosk.sync.service import start_sync_thread

    config = context.config
    print_service = build_printer(config.printer, config.resolve)
    sink = PrinterReceiptSink(context, print_service)
    sources = build_sources(config.scanner, config.codes.max_length)
    hub = ScanHub(sources, maxsize=64) if sources else None
    if hub is not None:
        hub.start()
    sync_thread = start_sync_thread(context)
    ports = Ports(receipts=sink, sync=OutboxSyncStatus(context),
                  devices=LiveDevices(context, sink, hub), sounds=sounds)
    if sync_thread is not None and sync_thread.worker.heartbeat is not None:
        sync_thread.worker.heartbeat.devices = ports.devices.status
    log.info("started: printer %s, %d threaded scanner(s), sync %s", config.printer.kind,
             len(sources), "on" if sync_thread else "off")
    return Runtime(ports=ports, hub=hub, sync_thread=sync_thread, print_service=print_service)
