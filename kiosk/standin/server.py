"""The stand-in provincial server: ``POST /v1/records`` (contract version 1) plus test endpoints.

- ``POST /v1/records``: bearer token checked, records stored once by id (a second receipt is
  ``duplicate``), malformed records ``rejected`` with a reason.
- ``POST /_faults`` (JSON knobs of :class:`~kiosk.standin.faults.Faults`), ``DELETE /_faults``.
- ``GET /_stats`` (``?ids=1`` adds receipts per record id).

The test endpoints listen on the same (loopback) address; they need the token too.
"""
from __future__ import annotations

import hmac
import json
import logging
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kiosk.standin.faults import FaultPlan, Faults
from kiosk.standin.store import RecordStore

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    server_version = "standin-provincial/1"

    def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler's signature
        log.debug("%s %s", self.address_string(), format % args)

    # -- helpers ----------------------------------------------------------------------------
    def _json(self, status: int, payload: dict, headers: dict | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        expected = f"Bearer {self.server.token}"
        return hmac.compare_digest(header.encode(), expected.encode())

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise ValueError("body too large")
        raw = self.rfile.read(length)
        return json.loads(raw or b"{}")

    def _drop(self) -> None:
        """Hang up without a word (what a dropped connection looks like to the client)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # -- routes -----------------------------------------------------------------------------
    def do_GET(self):  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        if url.path != "/_stats":
            return self._json(404, {"error": "not found"})
        if not self._authorised():
            return self._json(401, {"error": "unauthorised"})
        with_ids = parse_qs(url.query).get("ids", ["0"])[0] == "1"
        self._json(200, self.server.store.stats(with_ids=with_ids))

    def do_DELETE(self):  # noqa: N802
        if self.path != "/_faults":
            return self._json(404, {"error": "not found"})
        if not self._authorised():
            return self._json(401, {"error": "unauthorised"})
        self.server.faults.reset()
        self._json(200, self.server.faults.snapshot())

    def do_POST(self):  # noqa: N802
        path = urlsplit(self.path).path
        if path == "/_faults":
            return self._post_faults()
        if path == "/v1/records":
            return self._post_records()
        self._json(404, {"error": "not found"})

    def _post_faults(self):
        if not self._authorised():
            return self._json(401, {"error": "unauthorised"})
        try:
            faults = self.server.faults.update(self._body())
        except (ValueError, TypeError) as exc:
            return self._json(400, {"error": str(exc)})
        self._json(200, faults.__dict__)

    def _post_records(self):
        if not self._authorised():
            self.server.store.bump("unauthorised")
            return self._json(401, {"error": "unauthorised"})
        try:
            body = self._body()
        except (ValueError, UnicodeDecodeError) as exc:
            return self._json(400, {"error": f"body is not JSON: {exc}"})
        action = self.server.faults.next()
        if action["drop"]:
            return self._drop()
        if action["delay"] and not action["delay_after_store"]:
            if self.server.stopping.wait(action["delay"]):
                return self._drop()
        if action["fail"] is not None:
            status, retry_after = action["fail"]
            headers = {"Retry-After": retry_after} if retry_after else None
            return self._json(status, {"error": "fault injected"}, headers)
        if (not isinstance(body, dict) or not isinstance(body.get("records"), list)
                or not isinstance(body.get("school_code"), str)
                or not isinstance(body.get("kiosk_id"), str)):
            return self._json(400, {"error": "body must hold school_code, kiosk_id, records"})
        reject_types, reject_ids = set(action["reject_types"]), set(action["reject_ids"])

        def reject(record: dict) -> str:
            if record.get("type") in reject_types:
                return f"type {record.get('type')} refused (fault injected)"
            if record.get("id") in reject_ids:
                return "record refused (fault injected)"
            return ""

        results = self.server.store.receive(body["school_code"], body["kiosk_id"],
                                            body["records"], reject)
        if action["drop_after_store"]:
            return self._drop()
        if action["delay"] and action["delay_after_store"]:
            if self.server.stopping.wait(action["delay"]):
                return self._drop()
        self._json(200, {"results": results})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, store: RecordStore, token: str, faults: FaultPlan):
        self.store = store
        self.token = token
        self.faults = faults
        self.stopping = threading.Event()
        super().__init__(address, _Handler)


class StandinServer:
    """A running stand-in: start it (in a thread), read ``url``, stop it."""

    def __init__(self, db_path: str | Path, token: str, host: str = "127.0.0.1", port: int = 0,
                 faults: Faults | None = None, certfile: str | None = None,
                 keyfile: str | None = None):
        """``certfile`` (and ``keyfile``) make it speak HTTPS, e.g. to test verification."""
        if not token:
            raise ValueError("the stand-in needs a token")
        self.store = RecordStore(db_path)
        self.faults = FaultPlan(faults)
        try:
            self._server = _Server((host, port), self.store, token, self.faults)
        except OSError:  # the port is taken, or the address is not this machine's
            self.store.close()
            raise
        self._tls = bool(certfile)
        if certfile:
            try:
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.load_cert_chain(certfile, keyfile)
                self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            except OSError:
                self._server.server_close()
                self.store.close()
                raise
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port it listens on (useful after asking for port 0)."""
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """The base URL a kiosk's ``sync.url`` points at."""
        host = self._server.server_address[0]
        return f"{'https' if self._tls else 'http'}://{host}:{self.port}"

    def start(self) -> "StandinServer":
        """Serve on a background thread; returns self."""
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="standin",
                                        daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on this thread until :meth:`stop` is called from another."""
        self._server.serve_forever()

    def stop(self) -> None:
        """Stop serving, cut delayed answers short, close the file."""
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)
        self.store.close()

    def __enter__(self) -> "StandinServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
