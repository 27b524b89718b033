"""The connector for contract version 1 (docs/provincial-sync.md) over HTTP(S), stdlib only.

TLS certificates and host names are verified (the system's trust store); every request has a
timeout; the token goes in the ``Authorization`` header and nowhere else.
"""
from __future__ import annotations

import email.utils
import http.client
import json
import logging
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Sequence

from kiosk.sync.connector import (AuthError, ConfigurationError, Connector, ProtocolError,
                                  Record, RecordResult, RetryableError)
from kiosk.sync.token import read_token, token_fingerprint

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {408, 425, 429}
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}
USER_AGENT = "school-kiosk-sync/1"


def encode_batch(school_code: str, kiosk_id: str, records: Sequence[Record]) -> bytes:
    """The request body; each record's ``data`` is spliced in as the JSON text the outbox holds."""
    parts = [
        '{"id":%s,"type":%s,"occurred_at":%s,"data":%s}' % (
            json.dumps(r.id), json.dumps(r.type), json.dumps(r.occurred_at), r.data_json)
        for r in records
    ]
    head = '{"school_code":%s,"kiosk_id":%s,"records":[' % (json.dumps(school_code),
                                                            json.dumps(kiosk_id))
    return (head + ",".join(parts) + "]}").encode("utf-8")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def parse_results(body: bytes, records: Sequence[Record]) -> list[RecordResult]:
    """Read a 200 answer; raises :class:`ProtocolError` when it is not the contract's shape."""
    try:
        answer = json.loads(body)
        items = answer["results"]
        if not isinstance(items, list):
            raise TypeError("results is not a list")
        results = []
        for item in items:
            status = item["status"]
            if status not in ("accepted", "duplicate", "rejected"):
                raise ValueError(f"unknown status {status!r}")
            results.append(RecordResult(id=str(item["id"]), status=status,
                                        reason=str(item.get("reason") or "")))
    except (ValueError, TypeError, KeyError) as exc:
        raise ProtocolError(f"answer does not follow the contract: {exc}",
                            key="protocol") from None
    return results


class HttpConnector(Connector):
    """``POST {url}/v1/records`` with a bearer token; one request per batch."""

    def __init__(self, url: str, token: str, timeout_s: float,
                 ssl_context: ssl.SSLContext | None = None, token_file: str | None = None):
        """``token_file``, when given, is read again whenever it changes (staff fixed it)."""
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ConfigurationError(f"sync.url {url!r} is not an http(s) address", "bad_url",
                                     url=url)
        if parsed.scheme == "http" and parsed.hostname not in LOOPBACK_HOSTS:
            log.warning("sync.url uses plain http to %s: records and token travel unencrypted",
                        parsed.hostname)
        self.endpoint = url.rstrip("/") + "/v1/records"
        self.timeout_s = timeout_s
        self._token = token
        self._token_file = token_file
        self._token_mark = token_fingerprint(token_file) if token_file else ""
        handlers = []
        if parsed.scheme == "https":
            context = ssl_context or ssl.create_default_context()
            if context.verify_mode != ssl.CERT_REQUIRED or not context.check_hostname:
                raise ConfigurationError("TLS verification must stay on", "tls_off")
            handlers.append(urllib.request.HTTPSHandler(context=context))
        # No proxies from the environment: the token goes to the configured host only.
        handlers.append(urllib.request.ProxyHandler({}))
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:  # never show the token
        return f"HttpConnector({self.endpoint!r})"

    def credentials_mark(self) -> str:
        """The token file's size and modification time (see :func:`token_fingerprint`)."""
        return token_fingerprint(self._token_file) if self._token_file else ""

    def _current_token(self) -> str:
        if self._token_file:
            mark = token_fingerprint(self._token_file)
            if mark != self._token_mark:
                try:
                    self._token = read_token(self._token_file)
                except ConfigurationError as exc:
                    raise AuthError(exc.detail, exc.key, **exc.values) from None
                self._token_mark = mark
                log.info("token file changed: using the new token")
        return self._token

    def send(self, school_code: str, kiosk_id: str, records: Sequence[Record]
             ) -> list[RecordResult]:
        """Send one batch; see :meth:`Connector.send`."""
        token = self._current_token()
        request = urllib.request.Request(
            self.endpoint, data=encode_batch(school_code, kiosk_id, records), method="POST",
            headers={"Authorization": f"Bearer {token}",
                     "Content-Type": "application/json", "Accept": "application/json",
                     "User-Agent": USER_AGENT})
        try:
            with self._opener.open(request, timeout=self.timeout_s) as response:
                status = response.status
                body = response.read()
        except urllib.error.HTTPError as exc:
            self._raise_for_status(exc.code, exc.headers.get("Retry-After"))
            raise  # pragma: no cover - _raise_for_status always raises
        except (TimeoutError, socket.timeout) as exc:
            raise RetryableError(f"no answer within {self.timeout_s:g} s", key="timeout",
                                 seconds=f"{self.timeout_s:g}") from exc
        except urllib.error.URLError as exc:
            raise RetryableError(f"cannot reach {self.endpoint}: {exc.reason}", key="unreachable",
                                 url=self.endpoint, reason=str(exc.reason)) from exc
        except (http.client.HTTPException, ConnectionError, OSError) as exc:
            raise RetryableError(f"connection to {self.endpoint} failed: "
                                 f"{type(exc).__name__}: {exc}", key="connection_failed",
                                 url=self.endpoint, reason=type(exc).__name__) from exc
        if status != 200:
            self._raise_for_status(status, None)
        return parse_results(body, records)

    def _raise_for_status(self, status: int, retry_after: str | None) -> None:
        if status in (401, 403):
            raise AuthError(f"the provincial system refused the credentials (HTTP {status})",
                            "auth_refused", status=status)
        if status in RETRYABLE_STATUS or 500 <= status <= 599:
            raise RetryableError(f"HTTP {status}", retry_after=parse_retry_after(retry_after),
                                 key="http_status", status=status)
        raise ProtocolError(f"unexpected HTTP {status}", retry_after=parse_retry_after(retry_after),
                            key="http_unexpected", status=status)


def http_connector_from_config(sync_config, resolve=lambda p: p) -> HttpConnector:
    """An :class:`HttpConnector` from ``[sync]``; raises :class:`ConfigurationError`."""
    if not sync_config.url:
        raise ConfigurationError("sync.url is not set", "not_configured")
    if not sync_config.token_file:
        raise ConfigurationError("sync.token_file is not set", "token_not_set")
    token_file = str(resolve(sync_config.token_file))
    token = read_token(token_file)
    return HttpConnector(sync_config.url, token, sync_config.timeout_s, token_file=token_file)
