"""A network cable between a kiosk and its database server that a test can pull out.

:class:`CuttableLink` forwards TCP from a local port to the server, byte for byte (the real
PostgreSQL protocol passes through). :meth:`~CuttableLink.cut` drops every connection and
refuses new ones, as a switched-off server or an unplugged cable does; :meth:`~CuttableLink.join`
puts it back on the same port.
"""
from __future__ import annotations

import socket
import threading


class CuttableLink:
    """``127.0.0.1:<port>`` forwarding to ``host:port`` until cut."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = 0
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self.join()

    # -- the cable ------------------------------------------------------------------------------
    @property
    def is_cut(self) -> bool:
        """True between :meth:`cut` and :meth:`join`."""
        return self._listener is None

    def join(self) -> None:
        """Accept connections again (on the same port as before)."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Drop every connection and refuse new ones."""
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._open = self._open, []
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self) -> None:
        """Cut for good."""
        self.cut()

    # -- forwarding -----------------------------------------------------------------------------
    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    client.close()
                    server.close()
                    return
                self._open += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
