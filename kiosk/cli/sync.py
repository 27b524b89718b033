"""``kiosk sync [--once] [--status] [--force] [--requeue-dead]``: the push, from the shell.

Without options it runs until stopped (SIGTERM/SIGINT), for a systemd service; ``--once`` is one
pass for a systemd timer. Exit status: 0 fine (including "retry later"), 2 not configured or the
token file is unsafe, 3 the credentials were refused.
"""
from __future__ import annotations

import logging
import math
import signal
import threading

from db.tx import write_transaction
from kiosk.cli._common import command_context, out, run_command
from kiosk.i18n import t
from kiosk.sync import worker as w
from kiosk.sync.connector import ConfigurationError
from kiosk.sync.factory import make_connector
from kiosk.sync.outbox import requeue_dead
from kiosk.sync.present import error_text, status_lines
from kiosk.sync.status import sync_status

log = logging.getLogger(__name__)

EXIT_OK, EXIT_CONFIG, EXIT_AUTH = 0, 2, 3


def register(subparsers, common) -> None:
    """Add ``kiosk sync``."""
    parser = subparsers.add_parser("sync", parents=[common], help=t("sync.help"),
                                   description=t("sync.help"))
    parser.add_argument("--once", action="store_true", help=t("sync.opt_once"))
    parser.add_argument("--status", action="store_true", help=t("sync.opt_status"))
    parser.add_argument("--force", action="store_true", help=t("sync.opt_force"))
    parser.add_argument("--requeue-dead", action="store_true", help=t("sync.opt_requeue_dead"))
    parser.set_defaults(func=run)


@run_command
def run(args) -> int:
    """Run the command; see the module docstring."""
    with command_context(args) as context:
        return _run(args, context.config, context)


def _run(args, config, context) -> int:
    if args.requeue_dead:
        with write_transaction(context.db):
            count = requeue_dead()
        out(t("sync.requeued", count=count))
        if not (args.once or args.status):
            return EXIT_OK
    if args.status:
        for line in status_lines(sync_status(context.db, context.clock), context.clock):
            out(line)
        if not args.once:
            return EXIT_OK
    if not config.sync.url:
        out(t("sync.not_configured"))
        return EXIT_CONFIG
    try:
        connector = make_connector(config)
    except ConfigurationError as exc:
        out(error_text(exc))
        return EXIT_CONFIG
    worker = w.SyncWorker(context, connector)
    from kiosk.sync.heartbeat import heartbeat_from_config

    worker.heartbeat = heartbeat_from_config(context)
    if args.once:
        return _once(worker, args.force)
    return _forever(worker)


def _once(worker: w.SyncWorker, force: bool) -> int:
    report = worker.run_once(force=force)
    seconds = math.ceil(report.retry_in_s or 0)
    messages = {
        w.IDLE: lambda: t("sync.result_idle"),
        w.DONE: lambda: t("sync.result_done", delivered=report.delivered,
                          duplicates=report.duplicates, rejected=report.rejected),
        w.BUSY: lambda: t("sync.result_busy"),
        w.WAITING: lambda: t("sync.result_waiting", error=report.error, seconds=seconds),
        w.RETRY: lambda: t("sync.result_retry", error=report.error, seconds=seconds,
                           delivered=report.delivered),
        w.STOPPED: lambda: t("sync.result_stopped", delivered=report.delivered),
        w.AUTH_FAILED: lambda: t("sync.auth_failed"),
    }
    out(messages[report.outcome]())
    return EXIT_AUTH if report.outcome == w.AUTH_FAILED else EXIT_OK


def _forever(worker: w.SyncWorker) -> int:
    stop = threading.Event()

    def on_signal(signum, frame):  # noqa: ARG001 - signal handler signature
        log.info("signal %d: stopping after the current batch", signum)
        stop.set()
        worker.wake()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    out(t("sync.worker_started"))
    worker.run_forever(stop)
    return EXIT_OK
