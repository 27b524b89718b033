"""``kiosk update [SOURCE]``: install a new version through its own ``scripts/install``, which
takes a backup, installs the release, migrates, restarts the kiosk, checks its health and goes
back to the previous release and database when the check fails.

SOURCE is a checkout folder (pulled first when it is a git clone) or a ``.tar.gz`` of one;
by default the folder the kiosk was installed from.
"""
from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

from kiosk.cli._common import CommandFailed, out, run_command
from kiosk.i18n import t

INSTALL_SOURCE = Path("/etc/school-kiosk/install-source")


def register(subparsers, common) -> None:
    """Add ``kiosk update``."""
    parser = subparsers.add_parser("update", parents=[common], help=t("update.help"))
    parser.add_argument("source", nargs="?", metavar=t("update.source_metavar"),
                        help=t("update.source_help"))
    parser.add_argument("--no-pull", action="store_true", help=t("update.no_pull_help"))
    parser.add_argument("--root", metavar="DIR", help=t("update.root_help"))
    parser.set_defaults(func=_update)


def _checkout(folder: Path) -> Path:
    """The folder holding ``scripts/install`` (a tarball may wrap it in one more folder)."""
    for candidate in [folder, *sorted(p for p in folder.iterdir() if p.is_dir())]:
        if (candidate / "scripts" / "install").is_file():
            return candidate
    raise CommandFailed(t("update.not_a_release", path=folder))


def _pull(folder: Path) -> None:
    if not (folder / ".git").exists():
        return
    done = subprocess.run(["git", "-C", str(folder), "pull", "--ff-only", "-q"],
                          capture_output=True, text=True)
    if done.returncode:
        raise CommandFailed(t("update.pull_failed", error=done.stderr.strip()[-300:]))


@run_command
def _update(args) -> int:
    if os.geteuid() != 0:
        raise CommandFailed(t("update.need_root"))
    if args.source:
        source = Path(args.source)
    elif INSTALL_SOURCE.exists():
        source = Path(INSTALL_SOURCE.read_text().strip())
    else:
        raise CommandFailed(t("update.no_source"))
    if not source.exists():
        raise CommandFailed(t("update.not_a_release", path=source))
    with tempfile.TemporaryDirectory(prefix="kiosk-update-") as scratch:
        if source.is_file():
            try:
                with tarfile.open(source) as archive:
                    archive.extractall(scratch, filter="data")
            except (tarfile.TarError, OSError) as exc:
                raise CommandFailed(t("update.not_a_release", path=f"{source} ({exc})")) from None
            folder = _checkout(Path(scratch))
        else:
            folder = _checkout(source.resolve())
            if not args.no_pull:
                _pull(folder)
        command = [str(folder / "scripts" / "install")] + (["--root", args.root] if args.root else [])
        status = subprocess.run(command).returncode
    out(t("update.done") if status == 0 else t("update.failed", status=status))
    return 0 if status == 0 else 1
