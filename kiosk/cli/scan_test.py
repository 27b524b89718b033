"""``kiosk scan-test``: print every scan from the configured scanners, to set up and check them.

One line per scan: the time since start, the source, the symbology, the code and the latency
from the code being complete to the line being printed. A keyboard scanner is read from standard
input (focus the terminal and scan). Stops after ``--seconds``, ``--count`` scans, end of every
source (a video file played out) or Ctrl+C.
"""
from __future__ import annotations

import argparse
import sys
import time

from devices.hub import ScanHub
from kiosk.cli._common import load_config_for, run_command
from kiosk.i18n import t
from kiosk.scanners import build_sources


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add the ``scan-test`` sub-command."""
    parser = subparsers.add_parser("scan-test", parents=[common], help=t("scan.help"),
                                   description=t("scan.description"))
    parser.add_argument("--seconds", type=float, default=0.0, metavar=t("cli.metavar_n"),
                        help=t("scan.opt_seconds"))
    parser.add_argument("--count", type=int, default=0, metavar=t("cli.metavar_n"),
                        help=t("scan.opt_count"))
    parser.set_defaults(func=run)


def _stdin_fd() -> int | None:
    try:
        return sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return None


@run_command
def run(args) -> int:
    """Run the scanners and print scans until a limit is reached."""
    out = sys.stdout
    config = load_config_for(args)
    sources = build_sources(config.scanner, config.codes.max_length, keyboard_fd=_stdin_fd())
    if not sources:
        out.write(t("scan.no_sources") + "\n")
        return 2
    hub = ScanHub(sources, maxsize=256)
    start = time.monotonic()
    deadline = start + args.seconds if args.seconds > 0 else None
    count = 0
    for source in sources:
        out.write(t("scan.source", source=source.name) + "\n")
    out.write(t("scan.waiting") + "\n")
    out.flush()
    last_status = {}
    hub.start()
    try:
        while True:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            statuses = hub.statuses()
            for name, status in statuses.items():
                if last_status.get(name) != status.state:
                    last_status[name] = status.state
                    out.write(t("scan.status", source=name, state=t(f"scan.state_{status.state}"),
                                detail=status.detail) + "\n")
                    out.flush()
            timeout = 0.2 if deadline is None else max(0.0, min(0.2, deadline - now))
            event = hub.get(timeout)
            if event is None:
                if all(s.state in ("ended", "error") for s in hub.statuses().values()):
                    break
                continue
            printed = time.monotonic()
            count += 1
            out.write(t("scan.line", seconds=f"{event.at - start:8.3f}", source=event.source,
                        symbology=event.symbology or "-", code=event.code,
                        latency=f"{(printed - event.at) * 1000:.1f}") + "\n")
            out.flush()
            if args.count and count >= args.count:
                break
    except KeyboardInterrupt:
        pass
    finally:
        hub.stop()
    out.write(t("scan.summary", count=count, seconds=f"{time.monotonic() - start:.1f}") + "\n")
    out.flush()
    return 0
