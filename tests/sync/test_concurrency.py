"""Two workers at once never send a record twice; a worker killed mid-batch loses nothing."""
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from kiosk.sync import worker as w
from kiosk.sync.http import HttpConnector
from kiosk.sync.service import SyncThread
from kiosk.sync.status import sync_status
from kiosk.sync.lock import SendLock, lock_path_for, send_lock_for
from tests.sync.helpers import TOKEN, fill_outbox, states
from tests.factories import database_toml


def _config_file(tmp_path, context, url, token_file, batch_size=50) -> str:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[school]\ncode = "HY-THCS-01"\nname = "Trường THCS Thử Nghiệm"\nkiosk_id = "kiosk-1"\n'
        + database_toml(context) +
        f'[sync]\nurl = "{url}"\ntoken_file = "{token_file}"\nbatch_size = {batch_size}\n'
        f'timeout_s = 30.0\n', encoding="utf-8")
    return str(path)


def _spawn_sync(config_path: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kiosk", "sync", "--once", "--config",
                             config_path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _wait_for(predicate, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _in_thread(fn):
    """``fn()`` on a thread of its own (its own database connection), its result."""
    result = []
    thread = threading.Thread(target=lambda: result.append(fn()))
    thread.start()
    thread.join()
    return result[0]


def test_lock_excludes_a_second_holder_and_frees_on_release(sync_context):
    first = send_lock_for(sync_context.db)
    second = send_lock_for(sync_context.db)
    assert first.acquire()
    assert not _in_thread(second.acquire)
    first.release()

    def take_and_give_back():
        taken = second.acquire()
        second.release()
        return taken
    assert _in_thread(take_and_give_back)


@pytest.mark.sqlite_only
def test_two_file_locks_in_one_thread_exclude_each_other(sync_context):
    path = lock_path_for(sync_context.db.database)
    first, second = SendLock(path), SendLock(path)
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


@pytest.mark.postgresql_only
def test_server_lock_is_freed_when_its_kiosk_dies(sync_context, database_section):
    """A kiosk killed while sending: the server drops its lock with its connection."""
    code = ("import sys, time; from db import open_database; from kiosk.sync.lock import "
            "send_lock_for; db = open_database(sys.argv[1]); assert send_lock_for(db).acquire();"
            " print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code, database_section["url"]],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        lock = send_lock_for(sync_context.db)
        assert not lock.acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        _wait_for(lock.acquire, what="the lock freed by the server")
        lock.release()
    finally:
        holder.kill()


def test_two_threads_never_send_the_same_record(sync_context, standin_client, token_file):
    ids = fill_outbox(sync_context.db, sync_context.clock, 200)
    standin_client.faults(delay_s=0.2)
    workers = [w.SyncWorker(sync_context, HttpConnector(sync_context.config.sync.url, TOKEN, 5))
               for _ in range(2)]
    reports = [None, None]
    start = threading.Barrier(2)

    def run(i):
        start.wait()
        reports[i] = workers[i].run_once()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    outcomes = sorted(r.outcome for r in reports)
    assert outcomes == [w.BUSY, w.DONE]
    stats = standin_client.stats(ids=True)
    assert stats["requests"] == 4
    assert set(stats["receipts_by_id"]) == set(ids)
    assert set(stats["receipts_by_id"].values()) == {1}


def test_app_worker_and_timer_process_never_send_the_same_record(tmp_path, sync_context,
                                                                  standin, standin_client,
                                                                  token_file, worker):
    ids = fill_outbox(sync_context.db, sync_context.clock, 400)
    standin_client.faults(delay_s=0.1)  # 8 batches of 50: the process sends for ~1 s
    process = _spawn_sync(_config_file(tmp_path, sync_context, standin.url, token_file))
    try:
        _wait_for(lambda: standin_client.stats()["requests"] >= 1, what="the timer's first batch")
        assert worker.run_once(force=True).outcome == w.BUSY
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert worker.run_once(force=True).outcome == w.IDLE
    stats = standin_client.stats(ids=True)
    assert stats["records"] == 400 and set(stats["receipts_by_id"]) == set(ids)
    assert set(stats["receipts_by_id"].values()) == {1}
    assert states() == {"pending": 0, "sent": 400, "dead": 0}


def test_sigkill_mid_batch_loses_nothing_and_counts_each_record_once(tmp_path, sync_context,
                                                                     standin, standin_client,
                                                                     token_file, worker):
    ids = fill_outbox(sync_context.db, sync_context.clock, 500)
    # Every batch is stored, then its answer is held back: the kill lands between the two.
    standin_client.faults(delay_s=0.5, delay_after_store=True)
    process = _spawn_sync(_config_file(tmp_path, sync_context, standin.url, token_file))
    try:
        _wait_for(lambda: standin_client.stats()["records"] >= 100, what="two stored batches")
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        process.kill()
    assert process.returncode == -signal.SIGKILL
    received = standin_client.stats()["records"]
    kiosk_sent = states()["sent"]
    assert kiosk_sent < received  # the receiver has a batch the kiosk never heard back about
    assert states()["pending"] == 500 - kiosk_sent

    standin_client.reset()
    report = worker.run_once()  # the lock died with the process
    assert report.outcome == w.DONE
    assert report.duplicates == received - kiosk_sent
    stats = standin_client.stats(ids=True)
    assert stats["records"] == 500
    assert set(stats["receipts_by_id"]) == set(ids)
    assert states() == {"pending": 0, "sent": 500, "dead": 0}


def test_worker_thread_pushes_in_the_background_and_stops(sync_context, connector,
                                                          standin_client):
    sync_thread = SyncThread(w.SyncWorker(sync_context, connector)).start()
    try:
        fill_outbox(sync_context.db, sync_context.clock, 30)
        sync_thread.wake()
        _wait_for(lambda: sync_status(sync_context.db, sync_context.clock).pending == 0,
                  what="the thread to push")
    finally:
        sync_thread.stop(timeout=10)
    assert not sync_thread.alive
    assert standin_client.stats()["records"] == 30
