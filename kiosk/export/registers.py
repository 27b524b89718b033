"""The registers a school keeps, written from the database for a period of local days.

- ``so-muon-sach-hoc-sinh.xlsx``: sổ mượn sách, students;
- ``so-muon-sach-giao-vien.xlsx``: sổ mượn sách, teachers and staff;
- ``so-muon-tra-thiet-bi/<code>-<name>.xlsx``: each teacher's sổ mượn trả thiết bị;
- ``so-theo-doi-su-dung-tbdh/<group>.xlsx``: sổ theo dõi sử dụng TBDH, one per subject group.

Headers and words come from the ``export`` catalog (Vietnamese unless told otherwise); dates
are real Excel dates shown dd/mm/yyyy.
"""
from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from db.text import search_key, sort_key
from kiosk.clock import format_date
from kiosk.context import KioskContext
from kiosk.export import queries
from kiosk.export.workbook import Column, write_register
from kiosk.i18n import t as default_t

log = logging.getLogger(__name__)


def slug(text: str) -> str:
    """A file-name-safe ASCII form: ``"Khoa học tự nhiên"`` -> ``"khoa-hoc-tu-nhien"``."""
    return re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-") or "x"


@dataclass(frozen=True)
class ExportResult:
    """The files written and how many lines each kind of register holds."""

    files: list[Path]
    book_lines: int
    equipment_lines: int


class RegisterExporter:
    """Writes the registers of one period into one folder."""

    def __init__(self, context: KioskContext, start: date, end: date, out_dir: Path,
                 t: Callable[..., str] = default_t):
        if end < start:
            raise ValueError("the period ends before it starts")
        self.context = context
        self.clock = context.clock
        self.start, self.end = start, end
        self.out_dir = Path(out_dir)
        self.t = t

    # -- helpers ----------------------------------------------------------------------------
    def _subtitles(self, *extra: str) -> list[str]:
        school = self.context.config.school.name
        period = self.t("export.period", start=format_date(self.start), end=format_date(self.end))
        return [school, *extra, period]

    def _columns(self, spec: list[tuple[str, int]]) -> list[Column]:
        return [Column(self.t(f"export.col_{key}"), width) for key, width in spec]

    def _condition(self, condition: str) -> str:
        return self.t(f"export.condition_{condition}") if condition else ""

    def _book_note(self, line: queries.BookLine) -> str:
        notes = []
        if line.renewals:
            notes.append(self.t("export.note_renewed", count=line.renewals))
        back = line.returned_on or self.clock.today()
        if back > line.due_on:
            notes.append(self.t("export.note_late", days=(back - line.due_on).days))
        if line.condition and line.condition != "good":
            notes.append(self._condition(line.condition))
        return "; ".join(notes)

    # -- registers ----------------------------------------------------------------------------
    def book_register(self, kinds: tuple[str, ...], name: str, title_key: str) -> Path:
        """Sổ mượn sách for some kinds of patrons."""
        lines = queries.book_loans(self.clock, self.start, self.end, kinds)
        student = kinds == ("student",)
        spec = [("no", 6), ("out_on", 12), ("patron_name", 24), ("patron_code", 14),
                ("class" if student else "group", 14), ("barcode", 12), ("book_title", 32),
                ("author", 18), ("due_on", 12), ("returned_on", 12), ("note", 24)]
        rows = [(i, line.out_on, line.patron_name, line.patron_code,
                 line.class_name if student else line.subject_group or
                 self.t(f"export.kind_{line.patron_kind}"),
                 line.barcode, line.title, line.author, line.due_on, line.returned_on,
                 self._book_note(line))
                for i, line in enumerate(lines, start=1)]
        path = write_register(self.out_dir / name, sheet_title=self.t(f"{title_key}_sheet"),
                              title=self.t(title_key), subtitle_lines=self._subtitles(),
                              columns=self._columns(spec), rows=rows)
        log.info("wrote %s (%d lines)", path, len(rows))
        return path

    def teacher_equipment_registers(self, lines: list[queries.EquipmentLine]) -> list[Path]:
        """Each teacher's sổ mượn trả thiết bị."""
        spec = [("no", 6), ("out_on", 12), ("equipment_name", 28), ("equipment_code", 16),
                ("unit", 8), ("quantity", 8), ("lesson_date", 12), ("period", 6), ("class", 8),
                ("subject", 12), ("lesson_title", 26), ("returned_on", 12), ("condition", 12),
                ("note", 16)]
        by_teacher: dict[tuple[str, str], list[queries.EquipmentLine]] = defaultdict(list)
        for line in lines:
            by_teacher[(line.teacher_code, line.teacher_name)].append(line)
        paths = []
        for (code, name), own in sorted(by_teacher.items(), key=lambda kv: sort_key(kv[0][1])):
            rows = [(i, l.out_on, l.name, l.code, l.unit, l.quantity, l.lesson_date, l.period,
                     l.class_name, l.subject, l.lesson_title, l.returned_on,
                     self._condition(l.condition),
                     self.t("export.note_long_term") if l.long_term else "")
                    for i, l in enumerate(own, start=1)]
            teacher = self.t("export.teacher", name=name, code=code)
            group = own[0].subject_group
            extra = [teacher] + ([self.t("export.group", group=group)] if group else [])
            paths.append(write_register(
                self.out_dir / "so-muon-tra-thiet-bi" / f"{slug(code)}-{slug(name)}.xlsx",
                sheet_title=self.t("export.teacher_equipment_sheet"),
                title=self.t("export.teacher_equipment"), subtitle_lines=self._subtitles(*extra),
                columns=self._columns(spec), rows=rows))
        return paths

    def usage_registers(self, lines: list[queries.EquipmentLine]) -> list[Path]:
        """Sổ theo dõi sử dụng thiết bị dạy học, one per subject group."""
        spec = [("no", 6), ("lesson_date", 12), ("period", 6), ("class", 8), ("subject", 12),
                ("lesson_title", 26), ("equipment_name", 28), ("quantity", 8),
                ("teacher", 22), ("out_on", 12), ("returned_on", 12), ("condition", 12),
                ("purpose", 20)]
        by_group: dict[str, list[queries.EquipmentLine]] = defaultdict(list)
        for line in lines:
            by_group[line.subject_group or self.t("export.no_group")].append(line)
        paths = []
        for group, own in sorted(by_group.items(), key=lambda kv: sort_key(kv[0])):
            own = sorted(own, key=lambda l: (l.lesson_date or l.out_on, l.period_order))
            rows = [(i, l.lesson_date or l.out_on, l.period, l.class_name, l.subject,
                     l.lesson_title, l.name, l.quantity, l.teacher_name, l.out_on, l.returned_on,
                     self._condition(l.condition), l.purpose)
                    for i, l in enumerate(own, start=1)]
            paths.append(write_register(
                self.out_dir / "so-theo-doi-su-dung-tbdh" / f"{slug(group)}.xlsx",
                sheet_title=self.t("export.usage_sheet"), title=self.t("export.usage"),
                subtitle_lines=self._subtitles(self.t("export.group", group=group)),
                columns=self._columns(spec), rows=rows))
        return paths

    def export(self) -> ExportResult:
        """Write every register; returns what was written."""
        files = [
            self.book_register(("student",), "so-muon-sach-hoc-sinh.xlsx",
                               "export.books_students"),
            self.book_register(("teacher", "staff"), "so-muon-sach-giao-vien.xlsx",
                               "export.books_teachers"),
        ]
        equipment = queries.equipment_loans(self.clock, self.start, self.end)
        files += self.teacher_equipment_registers(equipment)
        files += self.usage_registers(equipment)
        books = len(queries.book_loans(self.clock, self.start, self.end,
                                       ("student", "teacher", "staff")))
        return ExportResult(files=files, book_lines=books, equipment_lines=len(equipment))


def export_registers(context: KioskContext, start: date, end: date, out_dir: Path,
                     t: Callable[..., str] = default_t) -> ExportResult:
    """Write every register for ``start``..``end`` (local days, inclusive) into ``out_dir``."""
    return RegisterExporter(context, start, end, out_dir, t).export()
