"""Telling systemd the kiosk is alive (``Type=notify``, ``WatchdogSec=``), from the UI loop.

``READY=1`` goes when the home screen is first drawn; ``WATCHDOG=1`` is sent by a callback on
the Kivy clock, so a frozen screen (a UI loop stuck in a call) stops the pings and systemd
restarts the kiosk, not only when the process dies. The protocol is one datagram on the
``NOTIFY_SOCKET`` unix socket (sd_notify(3)); without that variable every call does nothing.

The kiosk runs under cage (the compositor is the unit's main process), so the unit says
``NotifyAccess=all`` and systemd's ``WATCHDOG_PID`` names cage, not us: the interval is read
from ``WATCHDOG_USEC`` alone.
"""
from __future__ import annotations

import logging
import os
import socket

log = logging.getLogger(__name__)


class Notifier:
    """sd_notify over the socket systemd names; a no-op outside systemd."""

    def __init__(self, env: dict | None = None):
        env = os.environ if env is None else env
        address = env.get("NOTIFY_SOCKET", "")
        if address.startswith("@"):
            address = "\0" + address[1:]  # an abstract socket
        self.address = address or None
        usec = env.get("WATCHDOG_USEC", "")
        self.watchdog_s = int(usec) / 1e6 if usec.isdigit() and int(usec) > 0 else None
        self._socket: socket.socket | None = None

    @property
    def enabled(self) -> bool:
        """True under systemd with a notify socket."""
        return self.address is not None

    @property
    def ping_every_s(self) -> float | None:
        """How often to send WATCHDOG=1: half the watchdog's time, as sd_watchdog_enabled(3)
        advises; None when there is no watchdog."""
        return self.watchdog_s / 2 if self.enabled and self.watchdog_s else None

    def send(self, message: str) -> bool:
        """Send one notification; False (logged once) when the socket refuses it."""
        if not self.enabled:
            return False
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._socket.sendto(message.encode(), self.address)
            return True
        except OSError as exc:
            log.warning("sd_notify %r failed: %s", message, exc)
            return False

    def ready(self, status: str = "") -> bool:
        """The kiosk is up (the home screen is drawn)."""
        return self.send("READY=1" + (f"\nSTATUS={status}" if status else ""))

    def ping(self, *_args) -> bool:
        """The UI loop is alive (scheduled on the Kivy clock; ignores Kivy's ``dt``)."""
        return self.send("WATCHDOG=1")

    def stopping(self) -> bool:
        """The kiosk is shutting down on purpose."""
        return self.send("STOPPING=1")


def attach(clock, notifier: Notifier | None = None) -> Notifier:
    """Ping the watchdog from ``clock`` (Kivy's) when systemd asks for one; returns the notifier
    so the caller can send READY=1 once the first frame is drawn."""
    notifier = notifier or Notifier()
    every = notifier.ping_every_s
    if every:
        clock.schedule_interval(notifier.ping, every)
        log.info("systemd watchdog: a ping every %.1f s from the UI loop", every)
    return notifier
