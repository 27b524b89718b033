"""The commands as staff and systemd run them: real processes, real files, real sockets."""
import os
import signal
import socket
import subprocess
import sys
import time

from tests.sync.helpers import TOKEN, StandinClient, fill_outbox, states, write_token
from tests.factories import database_toml


def _config(tmp_path, context, url, token_file) -> str:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[school]\ncode = "HY-THCS-01"\nname = "Trường THCS Thử Nghiệm"\nkiosk_id = "kiosk-1"\n'
        + database_toml(context) +
        f'[sync]\nurl = "{url}"\ntoken_file = "{token_file}"\ninterval_s = 0.2\n',
        encoding="utf-8")
    return str(path)


def _kiosk(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True,
                          timeout=60, **kwargs)


def test_sync_once_then_status(tmp_path, sync_context, standin, token_file, standin_client):
    config = _config(tmp_path, sync_context, standin.url, token_file)
    fill_outbox(sync_context.db, sync_context.clock, 5)
    before = _kiosk("sync", "--status", "--config", config)
    assert before.returncode == 0
    assert "Bản ghi đang chờ gửi: 5" in before.stdout
    once = _kiosk("sync", "--once", "--config", config)
    assert once.returncode == 0, once.stderr
    assert "Đã gửi 5 bản ghi" in once.stdout
    after = _kiosk("sync", "--status", "--lang", "en", "--config", config)
    assert "Records waiting: 0" in after.stdout
    assert standin_client.stats()["records"] == 5
    assert TOKEN not in once.stdout + once.stderr + after.stdout + after.stderr


def test_sync_once_with_wrong_token_exits_3_and_keeps_records(tmp_path, sync_context, standin,
                                                              standin_client):
    wrong = write_token(tmp_path / "wrong.token", "tok-wrong-1111")
    config = _config(tmp_path, sync_context, standin.url, wrong)
    fill_outbox(sync_context.db, sync_context.clock, 4)
    done = _kiosk("sync", "--once", "--config", config)
    assert done.returncode == 3
    assert "thông tin xác thực" in done.stdout
    assert states()["pending"] == 4
    status = _kiosk("sync", "--status", "--config", config)
    assert "Sở từ chối thông tin xác thực" in status.stdout
    assert "tok-wrong-1111" not in done.stdout + done.stderr + status.stdout + status.stderr


def test_a_wrong_url_refused_once_resumes_when_the_config_is_fixed(tmp_path, sync_context,
                                                                  standin, token_file,
                                                                  standin_client):
    """The token was right, the address was not (another server, which answers 401): fixing the
    address in the config is enough, without touching the token file."""
    from kiosk.standin.server import StandinServer

    other = StandinServer(tmp_path / "other.sqlite3", token="tok-of-another-server").start()
    try:
        config = _config(tmp_path, sync_context, other.url, token_file)
        fill_outbox(sync_context.db, sync_context.clock, 4)
        refused = _kiosk("sync", "--once", "--config", config)
        assert refused.returncode == 3 and "thông tin xác thực" in refused.stdout
        status = _kiosk("sync", "--status", "--config", config)
        assert "Sở từ chối thông tin xác thực (HTTP 401)" in status.stdout  # Vietnamese
        assert "refused the credentials" not in status.stdout
        again = _kiosk("sync", "--once", "--config", config)  # nothing changed: no knocking
        assert again.returncode == 3 and StandinClient(other.url,
                                                       "tok-of-another-server").stats()[
            "unauthorised"] == 1
    finally:
        other.stop()
    _config(tmp_path, sync_context, standin.url, token_file)  # staff fix the address
    fixed = _kiosk("sync", "--once", "--config", config)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Đã gửi 4 bản ghi" in fixed.stdout and standin_client.stats()["records"] == 4
    after = _kiosk("sync", "--status", "--config", config)
    assert "Lỗi gần nhất" not in after.stdout and "thông tin xác thực" not in after.stdout


def test_sync_service_pushes_until_sigterm(tmp_path, sync_context, standin, token_file,
                                           standin_client):
    config = _config(tmp_path, sync_context, standin.url, token_file)
    fill_outbox(sync_context.db, sync_context.clock, 20)
    process = subprocess.Popen([sys.executable, "-m", "kiosk", "sync", "--config", config],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while standin_client.stats()["records"] < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        fill_outbox(sync_context.db, sync_context.clock, 7)  # written while it runs
        while standin_client.stats()["records"] < 27 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert standin_client.stats()["records"] == 27
    assert states() == {"pending": 0, "sent": 27, "dead": 0}


def test_standin_server_command_serves_the_contract(tmp_path):
    token_file = write_token(tmp_path / "s.token")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--lang", "en", "standin-server", "--port", str(port),
         "--db", str(tmp_path / "s.sqlite3"), "--token-file", str(token_file), "--fail-next", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}" in line
        client = StandinClient(f"http://127.0.0.1:{port}")
        assert client.stats()["records"] == 0
        assert client.faults(drop_next=2)["drop_next"] == 2
        process.send_signal(signal.SIGTERM)
        process.wait(20)
    finally:
        process.kill()
    assert process.returncode == 0
    assert os.path.exists(tmp_path / "s.sqlite3")
