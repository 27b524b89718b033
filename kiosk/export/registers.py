"""The registers a school keeps, written from the database for a period of local days, as Excel
files and (``formats``) printable A4 landscape PDFs:

- ``so-muon-sach-hoc-sinh``: sổ mượn sách, students;
- ``so-muon-sach-giao-vien``: sổ mượn sách, teachers and staff;
- ``so-muon-tra-thiet-bi/<code>-<name>``: each teacher's sổ mượn trả thiết bị;
- ``so-theo-doi-su-dung-tbdh/<group>``: sổ theo dõi sử dụng TBDH, one per subject group, the
  lesson's group (the teacher's at the time of the lesson);
- ``so-dang-ky-ca-biet/<store>``: sổ đăng ký cá biệt, one line per copy;
- ``so-dang-ky-tong-quat``: sổ đăng ký tổng quát (nhập kho, xuất kho, kiểm kê);
- ``so-theo-doi-tai-san-tbdh``: the equipment asset ledger, for each school year of the period.

Every register streams: rows go from the database cursor to the file as they come.
"""
from __future__ import annotations

import json
import logging
import os
import pickle
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Sequence

from db.queries import as_date, as_datetime
from db.queries import registers as rq
from db.text import search_key
from db.tx import read_transaction
from db.vocabulary import AFTERNOON, EVENING, MORNING, STOCKTAKE_STATUSES
from kiosk.clock import format_date
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.export.document import Cells, Col, Document, place_and_date
from kiosk.export.pdf import Header
from kiosk.i18n import Translator, current_language, t as default_t
from kiosk.reports.calendar import school_year_of, year_bounds

log = logging.getLogger(__name__)


class OutputExists(KioskError):
    """The output is there already and ``force`` was not given."""

    def __init__(self, path: Path, count: int = 1):
        super().__init__(str(path))
        self.path = path
        self.count = count


def slug(text: str) -> str:
    """A file-name-safe ASCII form: ``"Khoa học tự nhiên"`` -> ``"khoa-hoc-tu-nhien"``."""
    return re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-") or "x"


def buoi_tiet(session: str | None, period: int | None, t: Callable[..., str]) -> str:
    """Buổi with the period, as the paper forms write it: ``S:3`` (sáng), ``C:2`` (chiều)."""
    if not period:
        return ""
    letter = {MORNING: t("export.session_letter_morning"),
              AFTERNOON: t("export.session_letter_afternoon"),
              EVENING: t("export.session_letter_evening")}.get(session or MORNING, "")
    return f"{letter}:{period}" if letter else str(period)


def check_output(out_dir: Path, force: bool) -> None:
    """Refuse to write into a folder that already holds registers, unless ``force``."""
    if force or not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputExists(out_dir)
    found = [p for p in out_dir.rglob("*") if p.suffix in (".xlsx", ".pdf")]
    if found:
        raise OutputExists(out_dir, len(found))


@dataclass
class ExportResult:
    """The files written and how many lines each kind of register holds."""

    files: list[Path] = field(default_factory=list)
    book_lines: int = 0
    equipment_lines: int = 0


class RegisterExporter:
    """Writes the registers of one period into one folder."""

    def __init__(self, context: KioskContext, start: date, end: date, out_dir: Path,
                 t: Callable[..., str] = default_t, formats: Sequence[str] = ("xlsx",)):
        if end < start:
            raise ValueError("the period ends before it starts")
        self.context = context
        self.clock = context.clock
        self.start, self.end = start, end
        self.out_dir = Path(out_dir)
        self.t = t
        self.formats = tuple(formats)
        self.low = self.clock.local_day_bounds(start)[0]
        self.high = self.clock.local_day_bounds(end)[1]
        school = context.config.school
        self.header = Header(authority=school.authority, school=school.name,
                             nation=t("export.nation"), motto=t("export.motto"))
        self.place_date = place_and_date(t, school.place, self.clock.today())
        offset = self.clock.to_local(datetime(2000, 1, 1)).utcoffset()
        self._fixed_offset = offset if all(
            self.clock.to_local(datetime(2000, m, 1)).utcoffset() == offset
            for m in (4, 7, 10)) else None

    # -- helpers ----------------------------------------------------------------------------
    def local_day(self, stored) -> date | None:
        """A stored time (text or datetime, naive UTC) as its local day."""
        if stored is None:
            return None
        offset = self._fixed_offset
        if offset is not None and stored.__class__ is str and len(stored) >= 19:
            # Vietnam keeps one offset all year: the day from the text, no datetime built
            # unless the offset carries it over midnight.
            seconds = (int(stored[11:13]) * 3600 + int(stored[14:16]) * 60
                       + int(stored[17:19]))
            if offset.days == 0 and seconds + offset.seconds < 86400:
                return date(int(stored[:4]), int(stored[5:7]), int(stored[8:10]))
        moment = as_datetime(stored)
        if offset is not None:
            return (moment + offset).date()
        return self.clock.to_local(moment).date()

    def subtitles(self, *extra: str) -> list[str]:
        """The school, any extra lines, the period."""
        period = self.t("export.period", start=format_date(self.start), end=format_date(self.end))
        return [self.context.config.school.name, *extra, period]

    def cols(self, spec: Sequence[tuple]) -> list[Col]:
        """Columns from (catalog key, width[, kind])."""
        return [Col(self.t(f"export.col_{key}"), width, *rest) for key, width, *rest in spec]

    def condition(self, condition: str | None) -> str:
        """A return condition in words."""
        return self.t(f"export.condition_{condition}") if condition else ""

    def document(self, base: Path, title_key: str, *extra: str, subtitles=None) -> Document:
        """A register's document in the chosen formats."""
        return Document(base, self.formats, title=self.t(title_key),
                        subtitles=subtitles if subtitles is not None else self.subtitles(*extra),
                        sheet=self.t(f"{title_key}_sheet"), header=self.header)

    def finish(self, doc: Document, roles: Sequence[str]) -> list[Path]:
        """Close a document with the signature blocks of ``roles`` (catalog keys)."""
        paths = doc.close(self.place_date, [self.t(f"export.role_{r}") for r in roles],
                          self.t("export.sign_hint"))
        for path in paths:
            log.info("wrote %s (%d lines)", path, doc.rows)
        return paths

    def day_reader(self) -> Callable:
        """:meth:`local_day`, remembered by the stored time's hour when the offset is whole hours
        and fixed (Vietnam's): a school year's million times fall in a few thousand hours."""
        offset = self._fixed_offset
        if offset is None or offset.seconds % 3600:
            return self.local_day
        seen: dict = {}
        local_day = self.local_day

        def day(stored):
            if stored is None:
                return None
            key = stored[:13] if stored.__class__ is str else (stored.toordinal(), stored.hour)
            found = seen.get(key)
            if found is None:
                found = seen[key] = local_day(stored)
            return found
        return day

    # -- book loans -------------------------------------------------------------------------
    def book_registers(self) -> tuple[list[Path], int]:
        """Both sổ mượn sách (students; teachers and staff) in one pass over the period's book
        loans, oldest first: each patron's cells, copy's cells, day and note made once."""
        kind_words = {k: self.t(f"export.kind_{k}") for k in ("teacher", "staff", "student")}
        docs = {}
        for student, name, title_key in ((True, "so-muon-sach-hoc-sinh", "export.books_students"),
                                         (False, "so-muon-sach-giao-vien",
                                          "export.books_teachers")):
            doc = self.document(self.out_dir / name, title_key)
            doc.section(self.cols([
                ("no", 5, "number"), ("out_on", 11, "date"), ("patron_name", 22),
                ("patron_code", 13), ("class" if student else "group", 12), ("barcode", 11),
                ("book_title", 30), ("author", 16), ("due_on", 11, "date"),
                ("returned_on", 11, "date"), ("note", 18), ("signature", 10)]))
            docs[student] = doc
        people = {}
        for patron_id, (kind, code, name, class_name, group) in rq.patron_cells().items():
            if kind == "student":
                people[patron_id] = (docs[True], Cells((name, code, class_name or "")))
            elif kind in ("teacher", "staff"):
                people[patron_id] = (docs[False], Cells((name, code, group or kind_words[kind])))
        copies = {copy_id: Cells((barcode, title, author or ""))
                  for copy_id, (barcode, title, author) in rq.copy_cells().items()}
        today = self.clock.today()
        day = self.day_reader()
        dues: dict = {}
        notes: dict = {}
        for out_at, patron_id, copy_id, due, returned_at, renewals, condition in \
                rq.book_loan_lines(self.low, self.high):
            who = people.get(patron_id)
            book = copies.get(copy_id)
            if who is None or book is None:
                continue
            doc, cells = who
            due_on = dues.get(due)
            if due_on is None:
                due_on = dues[due] = as_date(due)
            returned = day(returned_at)
            late = ((returned or today) - due_on).days
            key = (renewals, late if late > 0 else 0, condition)
            note = notes.get(key)
            if note is None:
                note = notes[key] = self._book_note(*key)
            doc.row((doc.rows + 1, day(out_at), cells, book, due_on, returned, note, ""))
        paths = []
        for doc in docs.values():
            paths += self.finish(doc, ("librarian", "principal"))
        return paths, sum(doc.rows for doc in docs.values())

    def _book_note(self, renewals: int, late: int, condition: str | None) -> str:
        notes = []
        if renewals:
            notes.append(self.t("export.note_renewed", count=renewals))
        if late > 0:
            notes.append(self.t("export.note_late", days=late))
        if condition and condition != "good":
            notes.append(self.condition(condition))
        return "; ".join(notes)

    # -- equipment --------------------------------------------------------------------------
    def _equipment_values(self, row: tuple) -> dict:
        values = dict(zip(rq.EQUIPMENT_COLUMNS, row))
        values["lesson_date"] = as_date(values["lesson_date"])
        values["out_on"] = self.local_day(values["out_at"])
        values["returned_on"] = self.local_day(values["returned_at"])
        values["due_on"] = as_date(values["due_on"])
        return values

    def _returned(self, v: dict) -> str:
        """What came back: the pieces (``8/10`` when not all), their conditions, and what is
        still out (``còn 2``)."""
        counts = [(key, v[f"returned_{key}"] or 0) for key in ("good", "damaged", "missing",
                                                               "lost")]
        accounted = sum(n for _, n in counts)
        if not accounted:
            return ""
        quantity = v["quantity"]
        back = counts[0][1] + counts[1][1]
        amount = str(quantity) if back == quantity else f"{back}/{quantity}"
        kinds = [(key, n) for key, n in counts if n]
        if len(kinds) == 1 and accounted == quantity:
            words = self.t(f"export.condition_{kinds[0][0]}")
        else:
            words = ", ".join(f"{self.t(f'export.condition_{key}').lower()} {n}"
                              for key, n in kinds)
        text = f"{amount} – {words}"
        if v["returned_at"] is None and accounted < quantity:
            text += ", " + self.t("export.still_out", n=quantity - accounted)
        return text

    def _equipment_name(self, v: dict) -> str:
        if v["equipment_name"] is None:
            return self.t("export.self_made", name=v["self_made"])
        name = v["equipment_name"]
        if v["self_made"]:
            name += " + " + self.t("export.self_made", name=v["self_made"])
        return name

    def _purpose(self, v: dict) -> str:
        if v["long_term"]:
            return self.t("export.note_long_term")
        return v["purpose"] or self.context.config.reports.default_purpose

    def _ppct(self, v: dict) -> str:
        return str(v["ppct"]) if v["ppct"] is not None else ""

    def teacher_equipment_registers(self) -> tuple[list[Path], int]:
        """Each teacher's sổ mượn trả thiết bị."""
        spec = self.cols([
            ("no", 5, "number"), ("out_on", 11, "date"), ("returned_on", 11, "date"),
            ("equipment_name", 24), ("unit", 7), ("quantity", 6, "number"), ("back", 12),
            ("ppct", 7), ("lesson_title", 24), ("class", 7), ("buoi_tiet", 8),
            ("purpose", 14), ("note", 14), ("signature", 10)])
        paths: list[Path] = []
        lines = 0
        doc: Document | None = None
        current = None
        number = 0
        for row in rq.teacher_lines(self.start, self.end, self.low, self.high):
            v = self._equipment_values(row)
            if v["teacher_code"] != current:
                if doc is not None:
                    paths += self.finish(doc, ("teacher", "equipment_staff", "principal"))
                current = v["teacher_code"]
                extra = [self.t("export.teacher", name=v["teacher_name"], code=current)]
                if v["sort_group"]:
                    extra.append(self.t("export.group", group=v["sort_group"]))
                doc = self.document(self.out_dir / "so-muon-tra-thiet-bi" /
                                    f"{slug(current)}-{slug(v['teacher_name'])}",
                                    "export.teacher_equipment", *extra)
                doc.section(spec)
                number = 0
            number += 1
            lines += 1
            note = self.t("export.lesson_day", day=format_date(v["lesson_date"])) \
                if v["lesson_date"] and v["lesson_date"] != v["out_on"] else ""
            doc.row((number, v["out_on"], v["returned_on"], self._equipment_name(v),
                     v["unit"] or "", v["quantity"], self._returned(v), self._ppct(v),
                     v["title"] or "", v["class_name"] or "",
                     buoi_tiet(v["session"], v["period"], self.t), self._purpose(v), note, ""))
        if doc is not None:
            paths += self.finish(doc, ("teacher", "equipment_staff", "principal"))
        return paths, lines

    def usage_registers(self) -> tuple[list[Path], int]:
        """Sổ theo dõi sử dụng thiết bị dạy học, one per subject group (the lesson's)."""
        spec = self.cols([
            ("no", 5, "number"), ("lesson_date", 11, "date"), ("buoi_tiet", 8), ("class", 7),
            ("subject", 10), ("ppct", 7), ("lesson_title", 22), ("equipment_name", 22),
            ("quantity", 6, "number"), ("teacher", 18), ("out_on", 11, "date"),
            ("returned_on", 11, "date"), ("back", 12), ("purpose", 13), ("signature", 10)])
        paths: list[Path] = []
        lines = 0
        doc: Document | None = None
        current = None
        number = 0
        for row in rq.usage_lines(self.start, self.end, self.low, self.high):
            v = self._equipment_values(row)
            group = v["sort_group"] or ""
            if doc is None or group != current:
                if doc is not None:
                    paths += self.finish(doc, ("equipment_staff", "group_head", "principal"))
                current = group
                label = group or self.t("export.no_group")
                doc = self.document(self.out_dir / "so-theo-doi-su-dung-tbdh" / slug(label),
                                    "export.usage", self.t("export.group", group=label))
                doc.section(spec)
                number = 0
            number += 1
            lines += 1
            doc.row((number, v["lesson_date"] or v["out_on"],
                     buoi_tiet(v["session"], v["period"], self.t), v["class_name"] or "",
                     v["subject"] or "", self._ppct(v), v["title"] or "",
                     self._equipment_name(v), v["quantity"] or None, v["teacher_name"],
                     v["out_on"], v["returned_on"], self._returned(v), self._purpose(v), ""))
        if doc is not None:
            paths += self.finish(doc, ("equipment_staff", "group_head", "principal"))
        return paths, lines

    # -- the collection ---------------------------------------------------------------------
    def inventory_years(self) -> list[str]:
        """The school years a copy register's kiểm kê columns are for (the last five)."""
        last = int(school_year_of(self.end)[:4])
        return [f"{y}-{y + 1}" for y in range(last - 4, last + 1)]

    def accession_registers(self) -> list[Path]:
        """Sổ đăng ký cá biệt, one per store: one line per copy, by accession number."""
        years = self.inventory_years()
        batches = self._batch_numbers()
        inventory = self.inventory_marks()
        paths = []
        status_marks = {"lost": self.t("export.mark_lost"),
                        "withdrawn": self.t("export.mark_withdrawn")}
        for store in rq.stores():
            doc = self.document(
                self.out_dir / "so-dang-ky-ca-biet" / slug(store), "export.accession",
                subtitles=[self.context.config.school.name,
                           self.t("export.store", store=self.store_name(store)),
                           self.t("export.until", end=format_date(self.end))])
            doc.section(self.cols([
                ("entered_on", 12, "date"), ("barcode", 11), ("title_author", 30),
                ("publisher", 18), ("year", 7, "number"), ("price", 10, "number"),
                ("general_no", 12), ("classification", 10)])
                + [Col(self.t("export.col_inventory", year=f"{y[:4]}-{y[7:]}"), 9)
                   for y in years]
                + self.cols([("note", 16)]))
            for row in rq.copies(store, self.end):
                (added_on, barcode, title, author, publisher, year, price, classification,
                 _, status, updated_at, copy_id) = row
                added = as_date(added_on)
                # Lost or withdrawn outside a stock-take and a withdrawal (a loss recorded at
                # the desk, an import): the year the copy changed.
                mark = status_marks.get(status, "")
                changed_year = school_year_of(self.local_day(updated_at)) if mark else ""
                marks = inventory.get(copy_id, {})
                doc.row((added, barcode, f"{title} / {author}" if author else title,
                         publisher or "", year, price, batches.get((added, store), ""),
                         classification or "",
                         *[marks.get(y) or (mark if y == changed_year else "") for y in years],
                         self.t(f"export.status_{status}") if status in
                         ("lost", "withdrawn", "damaged", "reference") else ""))
            paths += self.finish(doc, ("librarian", "principal"))
        return paths

    def inventory_marks(self) -> dict[int, dict[str, str]]:
        """copy id -> {school year: mark} for the kiểm kê columns: what the copy ended the
        year's last finished stock-take as (đủ, thiếu, hỏng, M for lost, chưa kiểm), and TL
        in the year it was withdrawn."""
        words = {status: self.t(f"export.mark_{status}") for status in STOCKTAKE_STATUSES}
        marks: dict[int, dict[str, str]] = {}
        for copy_id, finished_at, status in rq.copy_stocktakes(self.high):
            year = school_year_of(self.local_day(finished_at))
            marks.setdefault(copy_id, {})[year] = words[status]
        withdrawn = self.t("export.mark_withdrawn")
        for copy_id, at in rq.copy_withdrawals(self.high):
            marks.setdefault(copy_id, {})[school_year_of(self.local_day(at))] = withdrawn
        return marks

    @staticmethod
    def _store_keys() -> set[str]:
        return {"store_GK", "store_TK", "store_NV", "store_TN"}

    def store_name(self, store: str) -> str:
        """A store's name in full ('TK – Sách tham khảo')."""
        if f"store_{store}" in self._store_keys():
            return f"{store} – {self.t(f'export.store_{store}')}"
        return store

    def _batch_numbers(self) -> dict[tuple[date, str], str]:
        """The sổ tổng quát number of each intake batch (a day's copies of one store),
        numbered in order within each school year: ``3/2026-2027``."""
        numbers: dict[tuple[date, str], str] = {}
        counters: dict[str, int] = {}
        for day, store, *_ in rq.intake_batches(self.end):
            day = as_date(day)
            year = school_year_of(day)
            counters[year] = counters.get(year, 0) + 1
            numbers[(day, store)] = f"{counters[year]}/{year}"
        return numbers

    def general_register(self) -> list[Path]:
        """Sổ đăng ký tổng quát: nhập kho (intake batches), xuất kho (copies withdrawn or
        lost), kiểm kê (copies by store and status now)."""
        doc = self.document(self.out_dir / "so-dang-ky-tong-quat", "export.general",
                            subtitles=[self.context.config.school.name,
                                       self.t("export.until", end=format_date(self.end))])
        doc.section(self.cols([
            ("entered_on", 11, "date"), ("general_no", 11), ("store", 22),
            ("copies", 9, "number"), ("titles", 9, "number"), ("value", 14, "number"),
            ("barcode_range", 26), ("note", 16)]), heading=self.t("export.general_in"),
            sheet=self.t("export.general_in_sheet"))
        batches = self._batch_numbers()
        for day, store, copies, titles, value, first, last in rq.intake_batches(self.end):
            day = as_date(day)
            doc.row((day, batches[(day, store)], self.store_name(store), copies, titles,
                     value or 0, f"{first} – {last}", ""))
        doc.section(self.cols([
            ("removed_on", 11, "date"), ("barcode", 12), ("book_title", 40), ("store", 22),
            ("price", 12, "number"), ("reason", 20)]), heading=self.t("export.general_out"),
            sheet=self.t("export.general_out_sheet"))
        for changed, barcode, title, store, price, status in rq.removed_copies(self.high):
            doc.row((self.local_day(changed), barcode, title, self.store_name(store), price,
                     self.t(f"export.status_{status}")))
        doc.section(self.cols([
            ("store", 24), ("copies", 10, "number"), ("available", 10, "number"),
            ("on_loan", 10, "number"), ("damaged_count", 10, "number"),
            ("lost_count", 10, "number"), ("withdrawn_count", 10, "number"),
            ("value", 14, "number")]), heading=self.t("export.general_check",
                                                     day=format_date(self.clock.today())),
            sheet=self.t("export.general_check_sheet"))
        by_store: dict[str, dict[str, tuple[int, int]]] = {}
        for store, status, copies, value in rq.stock_by_store():
            by_store.setdefault(store, {})[status] = (copies, value or 0)
        for store, counts in by_store.items():
            def n(status: str) -> int:
                return counts.get(status, (0, 0))[0]
            held = sum(c for s, (c, _) in counts.items() if s != "withdrawn")
            doc.row((self.store_name(store), held, n("available") + n("reference"),
                     n("on_loan"), n("damaged"), n("lost"), n("withdrawn"),
                     sum(v for s, (_, v) in counts.items() if s not in ("withdrawn", "lost"))))
        return self.finish(doc, ("librarian", "principal"))

    def asset_ledger(self) -> list[Path]:
        """Sổ theo dõi tài sản TBDH: for each school year of the period, every kind of
        equipment at the start (total, damaged), added, removed, at the end (total, damaged)."""
        doc = self.document(self.out_dir / "so-theo-doi-tai-san-tbdh", "export.assets",
                            subtitles=[self.context.config.school.name,
                                       self.t("export.period", start=format_date(self.start),
                                              end=format_date(self.end))])
        first_year = int(school_year_of(self.start)[:4])
        last_year = int(school_year_of(self.end)[:4])
        today = self.clock.today()
        now = self.clock.db_now()
        withdrawn: dict[int, list[tuple[datetime, int]]] = {}
        for type_id, at, pieces in rq.equipment_withdrawals():
            withdrawn.setdefault(type_id, []).append((as_datetime(at), pieces))
        damage = self._damage_history()

        def out(type_id: int, low=None, high=None) -> int:
            return sum(n for at, n in withdrawn.get(type_id, ())
                       if (low is None or at >= low) and (high is None or at < high))

        def damaged_at(type_id: int, moment: datetime) -> int:
            # Pieces recorded damaged before the moment and not yet repaired or written off.
            return sum(pieces - sum(n for when, n in resolved if when < moment)
                       for at, pieces, resolved in damage.get(type_id, ()) if at < moment)

        for year_start in range(first_year, last_year + 1):
            name = f"{year_start}-{year_start + 1}"
            begins, ends = year_bounds(name)
            doc.section(self.cols([
                ("no", 5, "number"), ("equipment_name", 28), ("equipment_code", 14),
                ("year_in_use", 7, "number"), ("country", 11), ("unit", 7),
                ("unit_price", 11, "number"),
                ("start_total", 8, "number"), ("start_damaged", 8, "number"),
                ("added", 8, "number"), ("removed", 8, "number"), ("end_total", 8, "number"),
                ("end_damaged", 8, "number")]), heading=self.t("export.school_year", year=name),
                sheet=name)
            low = self.clock.local_day_bounds(begins)[0]
            high = self.clock.local_day_bounds(ends)[1]
            known = begins <= today  # a year not begun has no figures yet
            for number, row in enumerate(rq.equipment_assets(begins, ends, low, high), start=1):
                v = dict(zip(rq.ASSET_COLUMNS, row))
                type_id = v["id"]
                removed = out(type_id, low, high)
                if v["tracking"] == "counted":
                    # The declared quantity: what is held now and what was withdrawn since.
                    declared = v["stock_total"] + out(type_id)
                    added_on = as_date(v["added_on"])
                    added = declared if added_on and added_on >= begins else 0
                    end_total = declared - out(type_id, None, high)
                    start_total = end_total - added + removed
                else:
                    added = v["items_added"] or 0
                    removed += v["removed_in_year"] or 0
                    start_total = ((v["items_before"] or 0) - (v["removed_before"] or 0)
                                   - out(type_id, None, low))
                    end_total = start_total + added - removed
                doc.row((number, v["name"], v["code"], v["year"], v["country"] or "",
                         v["unit"] or "", v["unit_price"], start_total,
                         damaged_at(type_id, low) if known else None, added, removed,
                         end_total, damaged_at(type_id, min(high, now)) if known else None))
        doc.note(self.t("export.assets_legend"))
        return self.finish(doc, ("equipment_staff", "principal"))

    def _damage_history(self) -> dict[int, list[tuple]]:
        """type id -> [(recorded at, pieces, [(resolved at, pieces)...])] of its damage: each
        part resolved from the journal; what was resolved without a journal entry of its own
        (a withdrawal, a stock-take finding it) at the incident's last resolution."""
        parts: dict[str, list[tuple[datetime, int]]] = {}
        for uid, at, before, after in rq.incident_resolutions():
            pieces = json.loads(before or "{}").get("open", 0) - \
                json.loads(after or "{}").get("open", 0)
            parts.setdefault(uid, []).append((as_datetime(at), pieces))
        damage: dict[int, list[tuple]] = {}
        for uid, type_id, at, pieces, still_open, resolved_at in rq.equipment_damage():
            resolved = parts.get(uid, [])
            rest = pieces - still_open - sum(n for _, n in resolved)
            if rest > 0 and resolved_at is not None:
                resolved = [*resolved, (as_datetime(resolved_at), rest)]
            damage.setdefault(type_id, []).append((as_datetime(at), pieces, resolved))
        return damage

    def export(self, parallel: bool = True) -> ExportResult:
        """Write every register; returns what was written. With ``parallel`` (and a second
        core, a database file, a translator a process can rebuild), the two sổ mượn sách (most
        of a school year's rows) are written by a second process while this one writes the
        rest: each reads its own snapshot of the database. Should that process fail, they are
        written here after the rest."""
        result = ExportResult()
        helper = self._start_book_process() if parallel else None
        book = None
        try:
            with read_transaction(self.context.db):
                if helper is None:
                    book = self.book_registers()
                paths, lines = self.teacher_equipment_registers()
                result.files += paths
                result.equipment_lines = lines
                paths, _ = self.usage_registers()
                result.files += paths
                result.files += self.accession_registers()
                result.files += self.general_register()
                result.files += self.asset_ledger()
            if helper is not None:
                book = helper.result()
        finally:
            if helper is not None:
                helper.stop()
        if book is None:
            with read_transaction(self.context.db):
                book = self.book_registers()
        result.files[:0] = book[0]
        result.book_lines = book[1]
        return result

    def _start_book_process(self) -> "BookProcess | None":
        """The book registers started in a process of their own, or None when they cannot be
        (one core, an in-memory database, a translator that is not the catalog's)."""
        if (os.cpu_count() or 1) < 2:
            return None
        path = str(self.context.config.database.path)
        if not path or path == ":memory:" or path.startswith("file:"):
            return None
        if self.t is default_t:
            lang = current_language()
        elif isinstance(self.t, Translator):
            lang = self.t.lang
        else:
            return None
        return BookProcess(BookJob(
            config=self.context.config, tz=self.clock.tz, now=self.clock.now(),
            start=self.start, end=self.end, out_dir=self.out_dir, lang=lang,
            formats=self.formats))


@dataclass(frozen=True)
class BookJob:
    """What a second process needs to write the book registers as this one would: the same
    configuration, clock moment and language."""

    config: object
    tz: object
    now: datetime
    start: date
    end: date
    out_dir: Path
    lang: str
    formats: tuple


class BookProcess:
    """``python -m kiosk.export.book_process`` writing the book registers: the job goes in on
    its standard input, (paths, lines) come back on its standard output (pickles between this
    process and its own child). A process of its own rather than multiprocessing's: nothing of
    the caller (a script, the window) is imported again there."""

    def __init__(self, job: BookJob):
        self._out, self._errors = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "kiosk.export.book_process"], stdin=subprocess.PIPE,
            stdout=self._out, stderr=self._errors)
        with self._process.stdin as pipe:
            pipe.write(pickle.dumps(job))

    def result(self) -> tuple[list[Path], int] | None:
        """Wait for it: its (paths, lines), or None (logged) when it failed."""
        if self._process.wait() != 0:
            self._errors.seek(0)
            log.error("the book registers' process failed (%s): %s", self._process.returncode,
                      self._errors.read().decode(errors="replace")[-2000:])
            return None
        self._out.seek(0)
        return pickle.loads(self._out.read())

    def stop(self) -> None:
        """End it if it still runs (this process failed first)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._out.close()
        self._errors.close()


def write_book_registers(job: BookJob) -> tuple[list[Path], int]:
    """The book registers of a :class:`BookJob` (in the helper process)."""
    import functools

    from kiosk.clock import Clock
    from kiosk.context import open_context

    clock = Clock(now_fn=functools.partial(_fixed_now, job.now), tz=job.tz)
    context = open_context(job.config, clock, migrate_schema=False)
    try:
        exporter = RegisterExporter(context, job.start, job.end, job.out_dir,
                                    Translator(job.lang), job.formats)
        with read_transaction(context.db):
            return exporter.book_registers()
    finally:
        context.close()


def _fixed_now(moment: datetime) -> datetime:
    return moment


def export_registers(context: KioskContext, start: date, end: date, out_dir: Path,
                     t: Callable[..., str] = default_t, formats: Sequence[str] = ("xlsx",),
                     force: bool = False, parallel: bool = True) -> ExportResult:
    """Write every register for ``start``..``end`` (local days, inclusive) into ``out_dir``;
    :class:`OutputExists` when the folder holds registers already and not ``force``.
    ``parallel``: the book registers in a second process (see :meth:`RegisterExporter.export`)."""
    out_dir = Path(out_dir)
    check_output(out_dir, force)
    return RegisterExporter(context, start, end, out_dir, t, formats).export(parallel)
