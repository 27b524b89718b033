"""The composition root: from the frozen config and the open database, build everything the
running kiosk uses, in one place: the database writer, the services, the printer, the sync
thread, the scanners, the ports and the flow. Nothing else picks a concrete class.

The window reads the keyboard-wedge scanner itself; every other scanner runs on its own thread
into a bounded :class:`devices.hub.ScanHub` that the window drains on its clock.
"""
from __future__ import annotations

import dataclasses
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from db.engine import engine_of
from db.health import HealthProbe
from db.writer import Writer
from devices.camera_source import CameraSource
from devices.hub import ScanHub
from kiosk.config import Config
from kiosk.context import KioskContext
from kiosk.database_status import LiveDatabase
from kiosk.i18n import receipt_captions
from kiosk.presenters.flow import KioskFlow, Services
from kiosk.presenters.ports import DeviceState, Ports, Printer, SoundPlayer, WriteQueue
from kiosk.printing import PrintQueue
from kiosk.scanners import build_sources
from kiosk.sync.present import OutboxSyncStatus
from kiosk.sync.service import SyncThread, start_sync_thread
from printers.backends import build_backend
from printers.service import PrintService
from printers.settings import PrinterSettings

log = logging.getLogger(__name__)


def _data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "school-kiosk"


def printer_settings(config: Config) -> PrinterSettings:
    """The configured printer, its file or folder resolved (relative to the config file; an
    empty one is the data folder's ``receipts``)."""
    settings = config.printer
    if settings.kind not in ("file", "preview"):
        return settings
    path = settings.path or str(_data_dir() / "receipts")
    return dataclasses.replace(settings, path=str(config.resolve(path)))


def build_print_service(config: Config) -> PrintService:
    """A print service (one worker thread) for the configured printer; raises
    :class:`~printers.errors.PrinterError` for settings no backend can use."""
    settings = printer_settings(config)
    return PrintService(build_backend(settings), receipt_captions,
                        width_dots=settings.width_dots, timeout_s=settings.timeout_s)


class NoSync:
    """The sync control when no provincial endpoint is configured: nothing to wake."""

    def wake(self, force: bool = False) -> None:
        """Nothing to do: records wait in the outbox for an export or a later push."""


class LiveDevices:
    """The printer's last result and every scanner's own status, for the staff screen."""

    def __init__(self, context: KioskContext, printer: PrintQueue, hub: ScanHub | None):
        self.context = context
        self.printer = printer
        self.hub = hub

    def status(self) -> list[DeviceState]:
        """One line for the printer, one per scanner."""
        kind = self.context.config.printer.kind
        last = self.printer.last_result
        states = [DeviceState("printer", kind != "none" and (last is None or last[0]),
                              last[1] if last and not last[0] else "", kind=kind)]
        for scanner in self.context.config.scanner:
            if scanner.kind == "keyboard":
                states.append(DeviceState("scanner:keyboard", True, kind="keyboard",
                                          state="connected"))
        for name, status in (self.hub.statuses().items() if self.hub else []):
            states.append(DeviceState(f"scanner:{name}", status.state == "connected",
                                      status.detail, kind=name.partition(":")[0],
                                      state=status.state))
        return states


@dataclass
class Runtime:
    """Everything the running kiosk started; :meth:`close` stops it all."""

    context: KioskContext
    writer: Writer
    print_service: PrintService | None
    printer: Printer
    ports: Ports
    flow: KioskFlow
    hub: ScanHub | None = None
    camera: CameraSource | None = None
    sync_thread: SyncThread | None = None
    #: The thread long reads (reports) run on, its own database connection.
    reader: Writer | None = None
    probe: HealthProbe | None = None
    _closed: bool = field(default=False, repr=False)

    def drain_scans(self, limit: int = 10) -> list[str]:
        """Codes scanned by the threaded scanners since the last call (on the UI's clock)."""
        if self.hub is None:
            return []
        return [event.code for event in self.hub.drain(limit)]

    def preview(self):
        """The newest camera frame with codes outlined (numpy BGR), or None without a camera."""
        return self.camera.preview() if self.camera is not None else None

    def close(self) -> None:
        """Stop the scanners, the sync thread, the database probe, the print service and the
        writer."""
        if self._closed:
            return
        self._closed = True
        if self.hub is not None:
            self.hub.stop()
        if self.sync_thread is not None:
            self.sync_thread.stop(timeout=5)
        if self.probe is not None:
            self.probe.stop()
        if self.print_service is not None:
            self.print_service.close()
        if self.reader is not None:
            self.reader.close()
        self.writer.close()


def build_runtime(context: KioskContext, *, writes_for: Callable[[Writer], WriteQueue],
                  sounds: SoundPlayer, start_devices: bool = True) -> Runtime:
    """Start the writer, the print service, the sync thread and (``start_devices``) the
    threaded scanners from the config, and the flow over them."""
    config = context.config
    writer = Writer(context.db)
    reader = Writer(context.db, name="db-reader")
    print_service = build_print_service(config)
    printer = PrintQueue(context, print_service)
    sources = build_sources(config.scanner, config.codes.max_length) if start_devices else []
    hub = ScanHub(sources, maxsize=64) if sources else None
    if hub is not None:
        hub.start()
    camera = next((s for s in sources if isinstance(s, CameraSource)), None)
    sync_thread = start_sync_thread(context)
    # On a server: a probe notices the server going and coming back while nobody scans.
    probe = engine_of(context.db).start_probe(context.db)
    ports = Ports(writes=writes_for(writer), printer=printer, sync=OutboxSyncStatus(context),
                  sync_control=sync_thread or NoSync(),
                  devices=LiveDevices(context, printer, hub), sounds=sounds,
                  database=LiveDatabase(context), reads=writes_for(reader))
    flow = KioskFlow(context, Services.for_context(context), ports)
    if sync_thread is not None and sync_thread.worker.heartbeat is not None:
        sync_thread.worker.heartbeat.devices = ports.devices.status
    log.info("started: printer %s, %d threaded scanner(s), sync %s", config.printer.kind,
             len(sources), "on" if sync_thread else "off")
    return Runtime(context=context, writer=writer, print_service=print_service,
                   printer=printer, ports=ports, flow=flow, hub=hub, camera=camera,
                   sync_thread=sync_thread, reader=reader, probe=probe)
