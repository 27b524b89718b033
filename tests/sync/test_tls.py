"""TLS verification is on: a certificate the kiosk does not trust is refused, a trusted one works."""
import shutil
import ssl
import subprocess

import pytest

from kiosk.standin.server import StandinServer
from kiosk.sync.connector import RetryableError
from kiosk.sync.http import HttpConnector
from kiosk.sync.outbox import pending_batch
from tests.sync.helpers import TOKEN, fill_outbox

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


@pytest.fixture
def tls_standin(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True,
                   timeout=60)
    server = StandinServer(tmp_path / "tls.sqlite3", TOKEN, certfile=str(cert),
                           keyfile=str(key)).start()
    yield server, cert
    server.stop()


def test_untrusted_certificate_is_refused(context, tls_standin):
    server, _ = tls_standin
    fill_outbox(context.db, context.clock, 3)
    connector = HttpConnector(server.url, TOKEN, timeout_s=5)
    with pytest.raises(RetryableError, match="CERTIFICATE_VERIFY_FAILED"):
        connector.send("HY-1", "kiosk-1", pending_batch(3))
    assert server.store.stats()["records"] == 0


def test_trusted_certificate_is_accepted(context, tls_standin):
    server, cert = tls_standin
    fill_outbox(context.db, context.clock, 3)
    trusted = ssl.create_default_context(cafile=str(cert))
    connector = HttpConnector(server.url, TOKEN, timeout_s=5, ssl_context=trusted)
    results = connector.send("HY-1", "kiosk-1", pending_batch(3))
    assert [r.status for r in results] == ["accepted"] * 3
