"""The kiosk's files are its own: every entry point sets a umask of 077, so the database, its
WAL and shared-memory files, backups, receipts and exports are created 0600 (folders 0700)
whoever starts it: systemd (which also sets ``UMask=0077``), or a person at a shell."""
from __future__ import annotations

import os

PRIVATE_UMASK = 0o077


def keep_files_private() -> None:
    """Make every file this process creates from now on readable by its owner only."""
    os.umask(PRIVATE_UMASK)
