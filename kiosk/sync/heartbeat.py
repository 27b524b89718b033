"""The heartbeat (contract v1.1, docs/provincial-sync.md): every few minutes the kiosk tells
the receiver its version, its queue (records waiting, the oldest, rejected ones), its last
successful push, its own clock (the receiver measures the offset) and its printer and
scanners, so the district sees a kiosk that is down, out of paper or days behind.

A receiver that speaks contract v1 only (the stand-in) answers 404: the kiosk then stops
sending heartbeats for an hour. A heartbeat never raises and never touches the outbox.
"""
from __future__ import annotations

import json
import logging
import ssl
import time
import urllib.error
import urllib.request
from datetime import timedelta
from importlib import metadata
from typing import Callable, Sequence

from kiosk.context import KioskContext
from kiosk.i18n import load_catalog
from kiosk.sync.connector import ConfigurationError
from kiosk.sync.status import sync_status
from kiosk.sync.token import read_token

log = logging.getLogger(__name__)

#: Seconds between heartbeats (the hub calls a kiosk late after 20 minutes without one).
INTERVAL_S = 300.0
#: After a 404/405 (a v1-only receiver), seconds before trying again.
UNSUPPORTED_PAUSE_S = 3600.0


def kiosk_version() -> str:
    """The installed kiosk's version."""
    try:
        return metadata.version("school-kiosk")
    except metadata.PackageNotFoundError:
        return "0"


def _printer_status(config, states: Sequence) -> dict:
    if config.printer.kind == "none":
        return {"status": "none", "paper_out": False, "detail": ""}
    printer = next((s for s in states if s.name == "printer"), None)
    if printer is None or printer.ok:
        return {"status": "ok", "paper_out": False, "detail": ""}
    paper = {load_catalog(lang).get("printer.paper_out", "\0") for lang in ("vi", "en")}
    out = any(message in printer.detail for message in paper)
    return {"status": "paper_out" if out else "error", "paper_out": out,
            "detail": printer.detail[:200]}


def heartbeat_body(context: KioskContext, devices: Callable[[], Sequence] | None = None) -> dict:
    """What one heartbeat says (read in one short transaction)."""
    now = context.clock.now()
    status = sync_status(context.db, context.clock, dead_limit=0)
    oldest = (now - timedelta(seconds=status.oldest_pending_age_s)
              if status.oldest_pending_age_s is not None else None)
    states = list(devices()) if devices else []
    scanners = [{"name": s.name.split(":", 1)[-1], "status": "connected" if s.ok else "error",
                 "detail": s.detail[:200]} for s in states if s.name.startswith("scanner")]
    return {
        "school_code": context.config.school.code,
        "kiosk_id": context.kiosk_id,
        "sent_at": now.isoformat(timespec="seconds"),
        "version": kiosk_version(),
        "queue": {"pending": status.pending, "dead": status.dead_count,
                  "oldest_pending_at": oldest.isoformat(timespec="seconds") if oldest else None},
        "last_push_at": (status.last_success_at.isoformat(timespec="seconds")
                         if status.last_success_at else None),
        "devices": {"printer": _printer_status(context.config, states), "scanners": scanners},
    }


class HeartbeatSender:
    """Sends a heartbeat when one is due: ``maybe_send()`` after every sync pass."""

    def __init__(self, context: KioskContext, url: str, token_file: str, timeout_s: float,
                 devices: Callable[[], Sequence] | None = None, interval_s: float = INTERVAL_S):
        self.context = context
        self.endpoint = url.rstrip("/") + "/v1/heartbeat"
        self.token_file = token_file
        self.timeout_s = timeout_s
        #: Returns the devices' states (``DeviceState``s); the runtime sets it when it has them.
        self.devices = devices
        self.interval_s = interval_s
        self._next_at = 0.0
        handlers = [urllib.request.ProxyHandler({})]
        if self.endpoint.startswith("https:"):
            handlers.append(urllib.request.HTTPSHandler(context=ssl.create_default_context()))
        self._opener = urllib.request.build_opener(*handlers)
        #: The receiver's last answer (its measured clock offset), for the logs and tests.
        self.last_answer: dict | None = None

    def maybe_send(self, force: bool = False) -> bool:
        """Send if due (or ``force``); True when the receiver took it."""
        now = time.monotonic()
        if not force and now < self._next_at:
            return False
        self._next_at = now + self.interval_s
        try:
            return self._send()
        except Exception as exc:  # noqa: BLE001 - a heartbeat must never break the sync
            log.debug("heartbeat not sent: %s", exc)
            return False

    def _send(self) -> bool:
        token = read_token(self.token_file)
        body = json.dumps(heartbeat_body(self.context, self.devices)).encode("utf-8")
        request = urllib.request.Request(
            self.endpoint, data=body, method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                     "Accept": "application/json", "User-Agent": "school-kiosk-sync/1.1"})
        try:
            with self._opener.open(request, timeout=self.timeout_s) as response:
                self.last_answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 405):
                self._next_at = time.monotonic() + UNSUPPORTED_PAUSE_S
                log.debug("receiver has no heartbeat endpoint (HTTP %d)", exc.code)
            else:
                log.debug("heartbeat refused: HTTP %d", exc.code)
            return False
        offset = (self.last_answer or {}).get("clock_offset_s")
        if isinstance(offset, (int, float)) and abs(offset) > 120:
            log.warning("this kiosk's clock is %.0f s off the receiver's", offset)
        return True


def heartbeat_from_config(context: KioskContext) -> HeartbeatSender | None:
    """A sender for the configured receiver (None when the push is not configured)."""
    sync = context.config.sync
    if not sync.url or not sync.token_file or sync.connector != "http":
        return None
    try:
        read_token(str(context.config.resolve(sync.token_file)))
    except ConfigurationError:
        return None
    return HeartbeatSender(context, sync.url, str(context.config.resolve(sync.token_file)),
                           sync.timeout_s)
