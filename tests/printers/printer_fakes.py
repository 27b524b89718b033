"""Real stand-ins for printers, shared by the printers tests: a TCP listener that speaks enough
ESC/POS (status queries), a serial printer on a pty. No mocks: the backends talk to real sockets
and ttys. (A module of its own, not conftest: test rooms each have a conftest, and only a unique
name is safe to import.)"""
from __future__ import annotations

import os
import socket
import threading
import tty

from printers.backends import PAPER_STATUS

PAPER_OK = 0x12
PAPER_END = 0x72


class FakeNetworkPrinter:
    """A printer on 127.0.0.1: collects what it is sent, answers ``DLE EOT 4``.

    ``mode``: ``ok`` (reads everything), ``paper_out`` (answers the paper query with paper end),
    ``silent`` (never answers a query), ``stall`` (accepts, never reads), ``unplug`` (reads
    ``unplug_after`` bytes then resets the connection).
    """

    def __init__(self, mode: str = "ok", unplug_after: int = 2048):
        self.mode = mode
        self.unplug_after = unplug_after
        self.received = bytearray()
        #: Each finished connection's bytes, in the order the connections were opened (one
        #: thread each: under load a later job may finish first).
        self._finished: dict[int, bytes] = {}
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if mode == "stall":
            self.server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(4)
        self.port = self.server.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections.append(conn)
            if self.mode == "stall":
                continue
            threading.Thread(target=self._client, args=(conn, len(self.connections) - 1),
                             daemon=True).start()

    @property
    def jobs(self) -> list[bytes]:
        """The bytes of every finished connection, in the order they were opened, up to the
        first one still open."""
        done = []
        while len(done) in self._finished:
            done.append(self._finished[len(done)])
        return done

    def _client(self, conn: socket.socket, index: int) -> None:
        job = bytearray()
        with conn:
            while True:
                try:
                    data = conn.recv(65536)
                except OSError:
                    break
                if not data:
                    break
                job += data
                if PAPER_STATUS in data and self.mode != "silent":
                    conn.sendall(bytes([PAPER_END if self.mode == "paper_out" else PAPER_OK]))
                if self.mode == "unplug" and len(job) >= self.unplug_after:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    break
        self.received += job
        self._finished[index] = bytes(job)

    def wait_jobs(self, count: int, timeout: float = 10.0) -> list[bytes]:
        """The first ``count`` finished connections' bytes (waits for them)."""
        done = threading.Event()

        def poll():
            while len(self.jobs) < count and not self._stop.is_set():
                self._stop.wait(0.01)
            done.set()
        threading.Thread(target=poll, daemon=True).start()
        assert done.wait(timeout), f"printer got {len(self.jobs)} jobs, expected {count}"
        return self.jobs[:count]

    def close(self) -> None:
        self._stop.set()
        self.server.close()
        for conn in self.connections:
            try:
                conn.close()
            except OSError:
                pass


class PtyPrinter:
    """A serial printer on a pseudo-terminal: the backend opens ``path`` (the pty's slave side);
    a thread reads the master side, answers paper queries, and can stop reading or hang up."""

    def __init__(self, paper: int = PAPER_OK, read: bool = True, unplug_after: int | None = None):
        self.unplug_after = unplug_after
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        self.path = os.ttyname(self.slave)
        self.paper = paper
        self.reading = threading.Event()
        if read:
            self.reading.set()
        self.received = bytearray()
        self._closed = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._closed:
            self.reading.wait(0.05)
            if self._closed:
                return
            if not self.reading.is_set():
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.received += data
            if PAPER_STATUS in data and self.paper is not None:
                os.write(self.master, bytes([self.paper]))
            if self.unplug_after is not None and len(self.received) >= self.unplug_after:
                self.hang_up()
                return

    def hang_up(self) -> None:
        """Unplug: close the master side; the slave side's writes then fail."""
        if not self._closed:
            self._closed = True
            os.close(self.master)

    def close(self) -> None:
        self.hang_up()
        os.close(self.slave)
