"""Fixtures for the printers tests: fake printers on real transports (see printer_fakes)."""
from __future__ import annotations

import socket

import pytest

from printer_fakes import FakeNetworkPrinter, PtyPrinter


@pytest.fixture
def net_printer():
    """Make fake network printers: ``net_printer(mode)``; all closed after the test."""
    made: list[FakeNetworkPrinter] = []

    def make(mode: str = "ok", **kwargs) -> FakeNetworkPrinter:
        printer = FakeNetworkPrinter(mode, **kwargs)
        made.append(printer)
        return printer
    yield make
    for printer in made:
        printer.close()


@pytest.fixture
def closed_port() -> int:
    """A local TCP port with nothing listening on it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def pty_printer():
    """Make serial printers on ptys: ``pty_printer(paper=..., read=...)``."""
    made: list[PtyPrinter] = []

    def make(**kwargs) -> PtyPrinter:
        printer = PtyPrinter(**kwargs)
        made.append(printer)
        return printer
    yield make
    for printer in made:
        printer.close()
