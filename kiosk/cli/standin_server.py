"""``kiosk standin-server --port N``: run the stand-in provincial server (contract version 1).

For a district office trying the kiosk, and for fault tests: ``--fail-next``, ``--delay``,
``--drop-next`` and ``--reject-type`` make it misbehave from the start; ``POST /_faults``
changes that while it runs.
"""
from __future__ import annotations

import errno
import logging
import signal
import sys
import threading

from kiosk.i18n import t
from kiosk.sync.connector import ConfigurationError
from kiosk.sync.present import error_text
from kiosk.sync.token import read_token

log = logging.getLogger(__name__)


def register(subparsers, common) -> None:
    """Add ``kiosk standin-server``."""
    parser = subparsers.add_parser("standin-server", parents=[common], help=t("standin.help"),
                                   description=t("standin.help"))
    file, n = t("cli.metavar_file"), t("cli.metavar_n")
    parser.add_argument("--port", type=int, required=True, metavar=t("cli.metavar_port"),
                        help=t("standin.opt_port"))
    parser.add_argument("--host", default="127.0.0.1", metavar=t("cli.metavar_host"),
                        help=t("standin.opt_host"))
    parser.add_argument("--db", default="standin.sqlite3", metavar=file, help=t("standin.opt_db"))
    parser.add_argument("--token-file", required=True, metavar=file,
                        help=t("standin.opt_token_file"))
    parser.add_argument("--tls-cert", default=None, metavar=file, help=t("standin.opt_tls_cert"))
    parser.add_argument("--tls-key", default=None, metavar=file, help=t("standin.opt_tls_key"))
    parser.add_argument("--fail-next", type=int, default=0, metavar=n,
                        help=t("standin.opt_fail_next"))
    parser.add_argument("--fail-status", type=int, default=500, metavar=t("cli.metavar_status"),
                        help=t("standin.opt_fail_status"))
    parser.add_argument("--delay", type=float, default=0.0, metavar=t("cli.metavar_seconds"),
                        help=t("standin.opt_delay"))
    parser.add_argument("--drop-next", type=int, default=0, metavar=n,
                        help=t("standin.opt_drop_next"))
    parser.add_argument("--reject-type", action="append", default=[],
                        metavar=t("cli.metavar_type"), help=t("standin.opt_reject_type"))
    parser.set_defaults(func=run)


def run(args) -> int:
    """Serve until SIGINT/SIGTERM."""
    from kiosk.standin.faults import Faults  # the server: only for this command
    from kiosk.standin.server import StandinServer

    try:
        token = read_token(args.token_file)
    except ConfigurationError as exc:
        sys.stdout.write(error_text(exc) + "\n")
        return 2
    faults = Faults(fail_next=args.fail_next, status=args.fail_status, delay_s=args.delay,
                    drop_next=args.drop_next, reject_types=list(args.reject_type))
    try:
        server = StandinServer(args.db, token=token, host=args.host, port=args.port,
                               faults=faults, certfile=args.tls_cert, keyfile=args.tls_key)
    except OSError as exc:  # a busy port, an address not ours, a missing certificate
        log.debug("stand-in cannot start", exc_info=True)
        error = (t("standin.port_in_use") if exc.errno == errno.EADDRINUSE
                 else exc.strerror or str(exc))
        sys.stderr.write(t("standin.cannot_listen", host=args.host, port=args.port,
                           error=error) + "\n")
        return 2
    done = threading.Event()

    def on_signal(signum, frame):  # noqa: ARG001
        if not done.is_set():
            done.set()
            threading.Thread(target=server.stop, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sys.stdout.write(t("standin.listening", url=server.url, db=args.db) + "\n")
    sys.stdout.flush()
    server.serve_forever()
    done.set()
    return 0
