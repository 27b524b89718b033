"""Credentials: a refused token stops the push and keeps everything; the token file is guarded."""
import logging
import os
import subprocess
import sys

import pytest

from db.models import Outbox, SyncState
from kiosk.config import config_from_dict
from kiosk.sync import worker as w
from kiosk.sync.connector import ConfigurationError
from kiosk.sync.factory import make_connector
from kiosk.sync.http import HttpConnector
from kiosk.sync.status import sync_status
from kiosk.sync.token import read_token
from tests.sync.conftest import sync_section
from tests.sync.helpers import TOKEN, fill_outbox, states, write_token


def test_wrong_token_stops_pushing_and_keeps_everything(sync_context, standin_client, tmp_path,
                                                        caplog):
    caplog.set_level(logging.DEBUG)
    wrong = write_token(tmp_path / "wrong.token", "tok-wrong-0000")
    connector = HttpConnector(sync_context.config.sync.url, "tok-wrong-0000", timeout_s=2,
                              token_file=str(wrong))
    worker = w.SyncWorker(sync_context, connector)
    fill_outbox(sync_context.db, sync_context.clock, 70)

    refused = worker.run_once()
    assert refused.outcome == w.AUTH_FAILED
    assert states() == {"pending": 70, "sent": 0, "dead": 0}
    status = sync_status(sync_context.db, sync_context.clock)
    assert status.auth_failed and status.failing and status.pending == 70
    assert standin_client.stats()["unauthorised"] == 1

    # It stays stopped, even past any back-off, without knocking again...
    sync_context.clock.advance(hours=2)
    assert worker.run_once().outcome == w.AUTH_FAILED
    assert standin_client.stats()["unauthorised"] == 1

    # ... until staff put the right token in the file.
    write_token(wrong, TOKEN)
    os.utime(wrong, ns=(1, 1))  # a different mark even within one clock tick
    resumed = worker.run_once()
    assert resumed.outcome == w.DONE and resumed.accepted == 70
    assert sync_status(sync_context.db, sync_context.clock).auth_failed is False
    assert standin_client.stats()["records"] == 70

    for secret in ("tok-wrong-0000", TOKEN):
        assert secret not in caplog.text
        assert not Outbox.select().where(Outbox.last_error.contains(secret)).exists()
        assert not SyncState.select().where(SyncState.value.contains(secret)).exists()
    assert "tok-" not in repr(connector)


def test_staff_retry_after_a_refusal_knocks_again_and_a_success_clears_the_error(
        sync_context, standin_client, tmp_path):
    wrong = write_token(tmp_path / "wrong.token", "tok-wrong-2222")
    connector = HttpConnector(sync_context.config.sync.url, "tok-wrong-2222", timeout_s=2,
                              token_file=str(wrong))
    worker = w.SyncWorker(sync_context, connector)
    fill_outbox(sync_context.db, sync_context.clock, 3)
    assert worker.run_once().outcome == w.AUTH_FAILED
    status = sync_status(sync_context.db, sync_context.clock)
    assert status.last_error == "Sở từ chối thông tin xác thực (HTTP 401). Hãy kiểm tra tệp mã " \
                                "truy cập và địa chỉ gửi (sync.url)."
    assert worker.run_once().outcome == w.AUTH_FAILED  # not pressed: no knock
    assert standin_client.stats()["unauthorised"] == 1
    assert worker.run_once(force=True).outcome == w.AUTH_FAILED  # staff pressed "Gửi ngay"
    assert standin_client.stats()["unauthorised"] == 2

    write_token(wrong, TOKEN)
    os.utime(wrong, ns=(1, 1))
    report = worker.run_once()
    assert report.outcome == w.DONE and report.accepted == 3
    cleared = sync_status(sync_context.db, sync_context.clock)
    assert not cleared.failing and cleared.last_error == "" and not cleared.auth_failed


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644])
def test_token_file_open_to_others_is_refused(tmp_path, mode):
    path = write_token(tmp_path / "t.token", mode=mode)
    with pytest.raises(ConfigurationError) as caught:
        read_token(path)
    assert caught.value.key == "token_insecure"
    assert "chmod 600" in caught.value.detail
    assert TOKEN not in caught.value.detail


def test_token_file_600_is_read_and_missing_or_empty_refused(tmp_path):
    assert read_token(write_token(tmp_path / "ok.token", mode=0o600)) == TOKEN
    with pytest.raises(ConfigurationError, match="does not exist"):
        read_token(tmp_path / "absent.token")
    with pytest.raises(ConfigurationError, match="exactly one word"):
        read_token(write_token(tmp_path / "empty.token", token="  "))


def test_connector_factory_refuses_an_unsafe_token_file(tmp_path):
    path = write_token(tmp_path / "t.token", mode=0o644)
    config = config_from_dict({"school": {"code": "X", "name": "Y"},
                               "sync": sync_section("https://example.invalid", path)})
    with pytest.raises(ConfigurationError):
        make_connector(config)


def test_kiosk_sync_refuses_to_start_with_an_unsafe_token_file(tmp_path, standin):
    path = write_token(tmp_path / "t.token", mode=0o644)
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[school]\ncode = "HY-1"\nname = "Trường"\n[database]\npath = "{tmp_path}/k.sqlite3"\n'
        f'[sync]\nurl = "{standin.url}"\ntoken_file = "{path}"\n', encoding="utf-8")
    subprocess.run([sys.executable, "-m", "kiosk", "db", "init", "--config", str(config)],
                   check=True, capture_output=True, timeout=60)
    done = subprocess.run([sys.executable, "-m", "kiosk", "sync", "--once", "--config",
                           str(config)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "chmod 600" in done.stdout
    assert TOKEN not in done.stdout + done.stderr


def test_tls_verification_cannot_be_turned_off():
    import ssl
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with pytest.raises(ConfigurationError, match="TLS"):
        HttpConnector("https://127.0.0.1:1", TOKEN, 1.0, ssl_context=context)


def test_a_tls_context_that_skips_the_host_name_is_refused():
    """Certificates still checked, but any host's would do: as good as no TLS for the token."""
    import ssl
    context = ssl.create_default_context()
    context.check_hostname = False
    assert context.verify_mode == ssl.CERT_REQUIRED
    with pytest.raises(ConfigurationError) as caught:
        HttpConnector("https://so-gd.example", TOKEN, 1.0, ssl_context=context)
    assert caught.value.key == "tls_off"
    HttpConnector("https://so-gd.example", TOKEN, 1.0,
                  ssl_context=ssl.create_default_context())  # the default one is accepted
