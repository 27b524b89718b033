"""Building small schools in a real database for tests (no mocks: real peewee on a real SQLite
file, or on a real PostgreSQL server)."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from db.models import Copy, EquipmentItem, EquipmentType, Patron, Title
from kiosk.clock import Clock
from kiosk.config import config_from_dict
from kiosk.context import KioskContext, open_context
from kiosk.services.staff import hash_pin


class FrozenClock(Clock):
    """A clock that stands still until moved: tests decide what 'now' is."""

    def __init__(self, moment: datetime):
        super().__init__(now_fn=lambda: self.moment)
        self.moment = moment

    def advance(self, **delta) -> None:
        """Move time forward."""
        from datetime import timedelta
        self.moment += timedelta(**delta)


# Thursday 26/11/2026, 09:00 in Vietnam.
DEFAULT_NOW = datetime(2026, 11, 26, 2, 0, tzinfo=timezone.utc)


def make_context(tmp_path: Path, now: datetime = DEFAULT_NOW, **sections) -> KioskContext:
    """A context on a fresh database file under ``tmp_path`` (or the ``database`` section
    given, e.g. the ``database_section`` fixture's, for either engine)."""
    raw = {"school": {"code": "HY-THCS-01", "name": "Trường THCS Thử Nghiệm", "kiosk_id": "kiosk-1"},
           "database": {"path": str(tmp_path / "kiosk.sqlite3")}}
    raw.update(sections)
    return open_context(config_from_dict(raw), clock=FrozenClock(now))


def database_toml(context_or_section) -> str:
    """The ``[database]`` table of a config file for a context's database, or for a
    ``database_section`` (either engine)."""
    if isinstance(context_or_section, dict):
        section = context_or_section
    else:
        settings = context_or_section.config.database
        section = ({"url": settings.url} if settings.on_server
                   else {"path": str(context_or_section.config.resolve(settings.path))})
    lines = "".join(f'{key} = "{value}"\n' for key, value in section.items())
    return f"[database]\n{lines}"


def reconfigure(context: KioskContext, section: str, **values) -> None:
    """Give the running context a config with some values of one section changed (the config
    itself is frozen, as at a school)."""
    import dataclasses
    changed = dataclasses.replace(getattr(context.config, section), **values)
    context.config = dataclasses.replace(context.config, **{section: changed})


def seed_small_school(now: datetime = DEFAULT_NOW) -> None:
    """Two students, a teacher, a staff member, books and equipment."""
    stamp = now.replace(tzinfo=None)
    Patron.create(kind="student", code="0123456789", name="Nguyễn Văn An", search_key="nguyen van an",
                  class_name="6A1", grade=6, updated_at=stamp)
    Patron.create(kind="student", code="0123456790", name="Trần Thị Bình",
                  search_key="tran thi binh", class_name="6A2", grade=6, updated_at=stamp)
    Patron.create(kind="student", code="0123456791", name="Lê Văn Cũ", search_key="le van cu",
                  class_name="9A1", grade=9, active=False, updated_at=stamp)
    Patron.create(kind="teacher", code="GV0012", name="Phạm Thu Hà", search_key="pham thu ha",
                  subject_group="Khoa học tự nhiên", subjects="KHTN;Vật lý", updated_at=stamp)
    Patron.create(kind="staff", code="CB0001", name="Đỗ Minh Thư", search_key="do minh thu",
                  role="librarian", pin_hash=hash_pin("2468"), updated_at=stamp)
    title = Title.create(title="Dế Mèn phiêu lưu ký", search_key="de men phieu luu ky",
                         author="Tô Hoài", isbn="9786042000017", updated_at=stamp)
    other = Title.create(title="Toán 6 tập một", search_key="toan 6 tap mot", author="Bộ GD&ĐT",
                         updated_at=stamp)
    for n in range(1, 6):
        Copy.create(barcode=f"TK.0000{n}", title=title, store="TK", updated_at=stamp)
    Copy.create(barcode="GK.00001", title=other, store="GK", updated_at=stamp)
    Copy.create(barcode="TK.00009", title=title, store="TK", status="reference", updated_at=stamp)
    Copy.create(barcode="TK.00010", title=title, store="TK", status="lost", updated_at=stamp)
    scope = EquipmentType.create(code="KHTN6.KHV", name="Kính hiển vi quang học", unit="cái",
                                 subject="KHTN", grade="6", group_name="Thiết bị thực hành",
                                 updated_at=stamp)
    for n in range(1, 4):
        EquipmentItem.create(barcode=f"TB.KHTN6.00{n}", type=scope, updated_at=stamp)
    EquipmentType.create(code="KHTN6.OCN", name="Ống nghiệm", unit="cái", tracking="counted",
                         stock_total=30, stock_on_hand=30, subject="KHTN", grade="6",
                         updated_at=stamp)


def kiosk_command(*args, config=None, lang=None, timeout: float = 120
                  ) -> subprocess.CompletedProcess:
    """``kiosk ARGS`` as a real process from the project's folder (no KIOSK_CONFIG from the
    environment), with ``--config`` and ``--lang`` when given; its output captured as text."""
    from kiosk import PROJECT_ROOT

    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("KIOSK_CONFIG", None)
    argv = [sys.executable, "-m", "kiosk", *args]
    if config:
        argv += ["--config", str(config)]
    if lang:
        argv += ["--lang", lang]
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=PROJECT_ROOT,
                          timeout=timeout)
