"""``kiosk scan-test``: print every scan from the configured scanners, to set up and check them.

One line per scan: the time since start, the source, the symbology, the code, the latency from
the code being complete to the line being printed, and what the code is: a student's, teacher's
or staff card, a book, equipment, or unknown (looked up in the school's database when there is
one, else told by the configured code patterns). A keyboard scanner is read from standard input
(focus the terminal and scan). Stops after ``--seconds``, ``--count`` scans, end of every source
(a video file played out) or Ctrl+C.
"""
from __future__ import annotations

import argparse
import sys
import time

from db.engine import engine_of
from db.errors import DatabaseError
from db.text import printable
from devices.codes import classify
from devices.hub import ScanHub
from kiosk.cli._common import load_config_for, run_command
from kiosk.config import Config
from kiosk.i18n import t
from kiosk.scanners import build_sources
from kiosk.services import identify as ident

#: A code pattern's name -> the word for what such a code is.
_PATTERN_KINDS = {"student": "student", "teacher": "teacher", "staff": "staff",
                  "book_copy": "book", "isbn": "book", "equipment_item": "equipment"}


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
    lookup = CodeLookup(config)
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
                        symbology=event.symbology or "-", code=printable(event.code),
                        latency=f"{(printed - event.at) * 1000:.1f}",
                        what=lookup.describe(event.code)) + "\n")
            out.flush()
            if args.count and count >= args.count:
                break
    except KeyboardInterrupt:
        pass
    finally:
        hub.stop()
        lookup.close()
    out.write(t("scan.summary", count=count, seconds=f"{time.monotonic() - start:.1f}") + "\n")
    out.flush()
    return 0


class CodeLookup:
    """Says what a code is, from the school's database when it can be opened (read only: a
    scan test changes nothing), else from the config's code patterns alone."""

    def __init__(self, config: Config):
        self.config = config
        self.context = None
        try:
            from kiosk.context import open_context

            self.context = open_context(config, migrate_schema=False, create=False)
        except DatabaseError:  # no school yet, or its file is busy: the patterns still tell
            self.context = None

    def describe(self, code: str) -> str:
        """What ``code`` is, in words."""
        patterns = {"student": self.config.codes.student, "teacher": self.config.codes.teacher,
                    "staff": self.config.codes.staff, "book_copy": self.config.codes.book_copy,
                    "equipment_item": self.config.codes.equipment_item,
                    "isbn": self.config.codes.isbn}
        kind = _PATTERN_KINDS.get(classify(code, patterns) or "", "unknown")
        if self.context is None:
            return t("scan.what_by_pattern", what=t(f"scan.kind_{kind}"))
        try:
            found = ident.identify(code, self.config.codes)
        except engine_of(self.context.db).errors():  # an old schema, a damaged file
            return t("scan.what_by_pattern", what=t(f"scan.kind_{kind}"))
        record = found.record
        if found.kind == ident.PATRON:
            return t(f"scan.what_{record.kind}", name=record.name, cls=record.class_name or "-")
        if found.kind == ident.COPY:
            return t("scan.what_book", title=record.title)
        if found.kind == ident.ISBN:
            return (t("scan.what_isbn", title=record.title) if record
                    else t("scan.what_isbn_unknown"))
        if found.kind in (ident.ITEM, ident.STOCK):
            name = record.type.name if found.kind == ident.ITEM else record.name
            return t("scan.what_equipment", name=name)
        if found.kind == ident.INVALID:
            return t("scan.what_invalid")
        return (t("scan.what_unknown_like", what=t(f"scan.kind_{kind}")) if kind != "unknown"
                else t("scan.what_unknown"))

    def close(self) -> None:
        """Close the database, if it was opened."""
        if self.context is not None:
            self.context.close()
