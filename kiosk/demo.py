"""The demo school: a ready database and config built from ``assets/demo/`` (no hardware needed).

``prepare_demo(directory)`` writes ``kiosk.toml`` and ``kiosk.sqlite3`` into ``directory``: the
schema, the school year's calendar, the four files imported through the same code as
``kiosk import``, the demo staff PIN, and a few past loans (two students hold overdue books) so
that the screens have something to show. Running it again brings the same folder up to date
without adding loans twice.
"""
from __future__ import annotations

import json
import logging
import os
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from db.queries import calendar, catalogue, equipment, loans, patrons, school as school_rows
from db.tx import Who, action, write_transaction
from db.vocabulary import MORNING, STUDENT, TEACHER
from kiosk import ASSETS
from kiosk.clock import Clock
from kiosk.config import load_config
from kiosk.context import KioskContext, open_context
from kiosk.errors import KioskError
from kiosk.imports.runner import run_import
from kiosk.services.circulation import Circulation
from kiosk.services.equipment import EquipmentLending, Lesson
from kiosk.services.staff import hash_pin

log = logging.getLogger(__name__)

DEMO_ASSETS = ASSETS / "demo"
CONFIG_NAME = "kiosk.toml"
DATABASE_NAME = "kiosk.sqlite3"
#: The first line of a config written here; any other file of that name is never overwritten.
CONFIG_MARK = "# The demo kiosk, written by `kiosk demo --prepare`. Safe to delete with its folder."
#: The files imported, in this order.
DEMO_FILES = (("students", "students.xlsx"), ("teachers", "teachers.xlsx"),
              ("books", "books.xlsx"), ("equipment", "equipment.xlsx"))


class DemoError(KioskError):
    """The demo school could not be prepared (its asset files are missing or bad)."""


@dataclass(frozen=True)
class DemoSchool:
    """``school.toml``: the school's identity, calendar and demo PIN."""

    raw: dict

    @property
    def identity(self) -> dict:
        """The ``[school]`` table."""
        return self.raw["school"]

    @property
    def staff_pin(self) -> str:
        """The documented PIN of every demo staff card."""
        return str(self.raw.get("demo", {}).get("staff_pin", "1234"))


def load_school(assets: Path = DEMO_ASSETS) -> DemoSchool:
    """Read ``school.toml`` of the demo assets."""
    path = assets / "school.toml"
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DemoError(f"{path}: {exc}") from None
    if "school" not in raw or not {"code", "name"} <= raw["school"].keys():
        raise DemoError(f"{path}: [school] needs code and name")
    return DemoSchool(raw)


def demo_pin(assets: Path = DEMO_ASSETS) -> str:
    """The demo staff PIN (for the CLI to show)."""
    return load_school(assets).staff_pin


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_config(directory: Path, school: DemoSchool) -> Path:
    """Write ``kiosk.toml``: the school, the database beside it, preview receipts, a keyboard scanner."""
    identity = school.identity
    path = directory / CONFIG_NAME
    if path.exists() and not path.read_text(encoding="utf-8", errors="replace").startswith(
            CONFIG_MARK):
        raise DemoError(f"{path} exists and is not a demo config: not overwritten")
    receipts = (directory / "receipts").resolve()
    receipts.mkdir(parents=True, exist_ok=True)
    lines = [
        CONFIG_MARK,
        "[school]",
        f"code = {_toml_str(identity['code'])}",
        f"name = {_toml_str(identity['name'])}",
        f"kiosk_id = {_toml_str(identity.get('kiosk_id', 'demo-kiosk-1'))}",
        f"kiosk_name = {_toml_str(identity.get('kiosk_name', 'Ki-ốt (demo)'))}",
        "",
        "[database]",
        "# relative to this file",
        f"path = {_toml_str(DATABASE_NAME)}",
        "",
        "[printer]",
        'kind = "preview"',
        f"path = {_toml_str(str(receipts))}",
        "",
        "[[scanner]]",
        'kind = "keyboard"',
        "",
        "[ui]",
        "# a window on a desktop; a kiosk's own config sets fullscreen = true",
        "fullscreen = false",
        "width = 1024",
        "height = 600",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def prepare_demo(directory: str | Path, assets: Path = DEMO_ASSETS,
                 clock: Clock | None = None) -> Path:
    """Write the demo school's config and database into ``directory``; return the config path."""
    directory = Path(directory).expanduser()
    directory.mkdir(parents=True, exist_ok=True)
    school = load_school(assets)
    config_path = write_config(directory, school)
    context = open_context(load_config(config_path), clock=clock)
    try:
        with write_transaction(context.db):
            school_rows.set_level(school.identity.get("level", ""))
            seed_calendar(school.raw)
        for kind, name in DEMO_FILES:
            report = run_import(context, kind, assets / name, actor="demo")
            if report.errors:
                raise DemoError(f"{name}: {len(report.errors)} bad rows, first: "
                                f"{report.errors[0]}")
        now = context.clock.db_now()
        who = Who(kiosk_id=context.kiosk_id, actor="demo", at=now,
                  occurred_at=context.clock.iso_local(now))
        with action(who, prefix="DEMO", records=False, db=context.db) as current:
            set_staff_pins(school.staff_pin)
            current.journal("demo.prepare", entity="school", entity_key=school.identity["code"])
        if not loans.any_loan():
            add_sample_loans(context)
    finally:
        context.close()
    log.info("demo school prepared in %s", directory)
    return config_path


def seed_calendar(raw: dict) -> None:
    """The school year, its terms, the periods and the holidays of ``school.toml`` (upserts)."""
    year_table = raw.get("school_year")
    if year_table:
        year_id = calendar.upsert_school_year(year_table["name"], year_table["starts_on"],
                                              year_table["ends_on"])
        for term in raw.get("terms", []):
            calendar.upsert_term(year_id, term["name"], term["starts_on"], term["ends_on"])
    for period in raw.get("periods", []):
        calendar.upsert_period(period["number"], period["session"], period["starts_at"],
                               period["ends_at"])
    for holiday in raw.get("holidays", []):
        calendar.upsert_holiday(holiday["day"], holiday.get("name", ""))


def set_staff_pins(pin: str) -> int:
    """Give every staff card without a PIN the demo PIN (hashed); returns how many."""
    missing = patrons.staff_without_pin()
    for patron_id in missing:
        patrons.set_pin_hash(patron_id, hash_pin(pin))
    return len(missing)


def _clock_at(moment: datetime) -> Clock:
    return Clock(now_fn=lambda: moment)


def add_sample_loans(context: KioskContext) -> int:
    """A few loans made in the past through the real circulation service; returns how many.

    Two students borrowed 20 days ago (overdue now), three borrowed 3 days ago, a teacher holds
    a professional book, and a teacher borrowed and returned a microscope last week.
    """
    now = context.clock.now()
    students = patrons.first_codes(STUDENT, 5)
    teachers = sorted(patrons.first_codes(TEACHER, 50, active_only=False))[:2]
    children = catalogue.barcodes_in_store("TN")
    professional = catalogue.barcodes_in_store("NV")
    items = equipment.first_item_barcodes(1)
    plan = []  # (days ago, patron code, barcodes)
    for i, student in enumerate(students):
        plan.append((20 if i < 2 else 3, student, children[i * 2:i * 2 + (2 if i < 2 else 1)]))
    if teachers and professional:
        plan.append((5, teachers[0], professional[:1]))
    made = 0
    for days_ago, patron, codes in plan:
        past = KioskContext(config=context.config, db=context.db,
                            clock=_clock_at(now - timedelta(days=days_ago)))
        made += _borrow(Circulation(past), patron, codes)
    if len(teachers) > 1 and items:
        out_at = now - timedelta(days=6, hours=3)
        past = KioskContext(config=context.config, db=context.db, clock=_clock_at(out_at))
        made += _lend_equipment(EquipmentLending(past), teachers[1], items)
        back = KioskContext(config=context.config, db=context.db,
                            clock=_clock_at(out_at + timedelta(hours=2)))
        outcome = Circulation(back).return_code(items[0],
                                                returned_by=patrons.by_code(teachers[1]))
        if not outcome.ok:
            log.warning("demo return of %s refused: %s", items[0], outcome.code)
    return made


def _lend_equipment(lending: EquipmentLending, teacher_code: str, codes: list[str]) -> int:
    """A past lesson with equipment: tiết 2 of the morning, the teacher's first subject."""
    teacher = patrons.by_code(teacher_code)
    basket = lending.start(teacher)
    if not hasattr(basket, "lines"):
        log.warning("demo equipment loan for %s refused: %s", teacher_code, basket.code)
        return 0
    for code in codes:
        lending.add_scan(basket, code)
    subjects = teacher.subject_list
    basket.lesson = Lesson(date=lending.clock.today(), period=2, session=MORNING,
                           class_name=min(patrons.class_names(), default=""),
                           subject=subjects[0] if subjects else "", title="")
    outcome = lending.confirm(basket)
    if not outcome.ok:
        log.warning("demo equipment loan refused: %s", outcome.code)
        return 0
    return len(basket.lines)


def _borrow(circulation: Circulation, patron_code: str, codes: list[str]) -> int:
    session = circulation.start_session(patron_code)
    if not hasattr(session, "patron"):
        log.warning("demo loan for %s refused: %s", patron_code, session.code)
        return 0
    made = 0
    for code in codes:
        outcome = circulation.borrow(session, code)
        if outcome.ok:
            made += 1
        else:
            log.warning("demo loan of %s refused: %s", code, outcome.code)
    return made


def demo_dir() -> Path:
    """The user's demo folder: ``$XDG_DATA_HOME/school-kiosk/demo`` (~/.local/share/...)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "school-kiosk" / "demo"


def is_prepared(directory: Path) -> bool:
    """True when ``directory`` already holds a demo config and database."""
    return (directory / CONFIG_NAME).is_file() and (directory / DATABASE_NAME).is_file()
