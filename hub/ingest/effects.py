"""What newly stored records change in the figures the pages read, set-based, inside the same
transaction as the records themselves (so a figure counts a record exactly when it is stored).

The counting rules (DOMAIN.md, issue 11): a teacher's use of equipment is one lesson (teacher,
date, buổi, tiết, class) with at least one equipment line not voided: three items in one lesson
count once, and a lesson whose every line is voided no longer counts. Long-term loans (no lesson
date) count for no lesson. Reading counts book loans to take home by class and month; a voided
loan no longer counts. Work is ordered: items, rosters, quotas, visits; then borrowings; then
returns and renewals; then voids, so a batch that borrows and voids a loan nets to nothing.
Rows are upserted in sorted key order, so concurrent batches never deadlock on counters.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import datetime
from typing import Sequence

from hub.calendar import local_date, month_start, school_year_of, term_of
from hub.ingest import models as m
from hub.ingest.contract import Incoming, nfc, parse_day, parse_moment
from hub.ingest.sql import in_list, insert, postgres, update_from

T_LOAN = m.Loan._meta.db_table
T_LESSON = m.Lesson._meta.db_table
T_USAGE = m.UsageCount._meta.db_table
T_READING = m.ReadingCount._meta.db_table
T_VISIT = m.ClassVisit._meta.db_table
T_ITEM = m.Item._meta.db_table

BOOK_FIELDS_NEEDED = ("price", "classification", "publisher", "year")
EQUIPMENT_FIELDS_NEEDED = ("unit", "subject", "grade")
#: How returned pieces are accounted for (``returned_<word>`` in a loan record).
PIECES = ("good", "damaged", "missing", "lost")


def grade_of(class_name: str) -> str:
    """The grade is the class's leading number (``6A1`` -> ``6``)."""
    found = re.match(r"\s*(\d+)", class_name or "")
    return found.group(1) if found else ""


def lesson_key(school_id: int, lesson: dict, teacher: str) -> str | None:
    """The lesson's id: the kiosk's ``lesson_id``, or (older kiosks) one derived from teacher,
    date, buổi, tiết and class. None for a loan with no lesson date (long-term)."""
    if not lesson.get("date"):
        return None
    given = lesson.get("lesson_id")
    if isinstance(given, str) and given:
        return given[:64]
    parts = [str(school_id), teacher, str(lesson.get("date")), nfc(lesson.get("session")),
             str(lesson.get("period")), nfc(lesson.get("class"))]
    return "k:" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:40]


#: Every record type the hub counts (the kiosk's, ``db/vocabulary.py: RECORD_TYPES``; a test
#: fails when the kiosk sends one that is not here). Other types are stored and acknowledged.
HANDLED = ("loan.borrowed", "loan.returned", "loan.renewed", "loan.voided", "loan.unvoided",
           "item.declared", "item.updated", "item.withdrawn", "quota.set", "roster.updated",
           "class.visit", "class.visit.voided", "plan.updated", "lesson.recorded",
           # Bookings (đặt trước) are stored and move no figure: a booking is no use of
           # equipment; its collection arrives as the lesson's loan.borrowed records.
           "booking.made", "booking.collected", "booking.cancelled", "booking.lapsed")
VOID_TYPES = ("loan.voided", "loan.unvoided")
ITEM_TYPES = ("item.declared", "item.updated", "item.withdrawn")


def _whole(value, default: int = 0) -> int:
    """A whole number >= 0 from a record's field, else ``default``."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return default


class Effects:
    """Applies one batch's new records for one school (call inside the batch's transaction)."""

    def __init__(self, cursor, school_id: int, now: datetime):
        self.cursor = cursor
        self.school_id = school_id
        self.now = now
        self.reading: dict[tuple, int] = defaultdict(int)
        self.lines: dict[str, int] = defaultdict(int)

    def apply(self, records: Sequence[Incoming]) -> None:
        """Every effect of ``records`` (already stored as new)."""
        by_type: dict[str, list[Incoming]] = defaultdict(list)
        for record in records:
            by_type[record.type].append(record)
        self._items([r for r in records if r.type in ITEM_TYPES])
        for record in by_type.get("roster.updated", []):
            self._roster(record)
        for record in by_type.get("quota.set", []):
            self._quota(record)
        self._plans(by_type.get("plan.updated", []))
        self._visits(by_type.get("class.visit", []), by_type.get("class.visit.voided", []))
        self._borrowed(by_type.get("loan.borrowed", []))
        self._lessons_recorded(by_type.get("lesson.recorded", []))
        self._returned(by_type.get("loan.returned", []))
        self._renewed(by_type.get("loan.renewed", []))
        self._void_states([r for r in records if r.type in VOID_TYPES])
        self._flush_lines()
        self._flush_reading()

    # -- loans ----------------------------------------------------------------------------------
    def _loan_row(self, record: Incoming, voided: bool = False,
                  void_changed: bool = False) -> tuple:
        data = record.data
        day = local_date(record.occurred_at)
        kind = "book" if data.get("item_kind") == "book" else "equipment"
        lesson = data.get("lesson") if kind == "equipment" else None
        key = (lesson_key(self.school_id, lesson, nfc(data.get("patron_code")))
               if lesson and not data.get("long_term") else None)
        quantity = _whole(data.get("quantity"), 1)
        outstanding = min(quantity, _whole(data.get("outstanding"), quantity))
        return (data["loan_id"][:64], self.school_id, kind, nfc(data.get("item_kind"))[:20],
                nfc(data.get("patron_code"))[:64], nfc(data.get("patron_kind"))[:16],
                nfc(data.get("patron_name"))[:200], nfc(data.get("patron_class"))[:32],
                nfc(data.get("item_barcode"))[:64],
                nfc(data.get("title") or data.get("equipment_name"))[:300],
                quantity, record.occurred_at, school_year_of(day), month_start(day),
                parse_day(data.get("due_date")), bool(data.get("long_term")),
                None, record.occurred_at if voided else None, key or "",
                record.occurred_at if void_changed else None, outstanding,
                *(_whole(data.get(f"returned_{n}")) for n in PIECES))

    LOAN_COLUMNS = ("loan_id", "school_id", "kind", "item_kind", "patron_code", "patron_kind",
                    "patron_name", "patron_class", "item_barcode", "item_name", "quantity",
                    "borrowed_at", "school_year", "month", "due_date", "long_term",
                    "returned_at", "voided_at", "lesson_id", "void_changed_at", "outstanding",
                    "returned_good", "returned_damaged", "returned_missing", "returned_lost")

    def _borrowed(self, records: list[Incoming], void_changed: bool = False) -> None:
        """New loans, counted (an undone void of a loan never seen is one, ``void_changed``)."""
        if not records:
            return
        rows = {}
        for record in records:
            rows.setdefault(record.data["loan_id"][:64],
                            (record, self._loan_row(record, void_changed=void_changed)))
        created = {r[0] for r in insert(self.cursor, T_LOAN, self.LOAN_COLUMNS,
                                        [row for _, row in rows.values()],
                                        "(loan_id) DO NOTHING", "loan_id")}
        lessons = []
        for loan_id, (record, row) in rows.items():
            if loan_id not in created:
                continue  # a loan already known (voided first, or sent by another record)
            if row[2] == "book":
                self.reading[(row[12], row[13], row[7], grade_of(row[7]), row[5])] += 1
            elif row[18]:
                self.lines[row[18]] += 1
                lessons.append(self._lesson_row(record, row[18]))
        insert(self.cursor, T_LESSON, self.LESSON_COLUMNS, sorted(lessons),
               "(lesson_id) DO NOTHING")

    def _lessons_recorded(self, records: list[Incoming]) -> None:
        """Lessons taught with self-made equipment only: each a use, with no loan line (one
        line of its own, so the lesson counts once)."""
        lessons = {}
        for record in records:
            key = lesson_key(self.school_id, record.data["lesson"],
                             nfc(record.data.get("patron_code")))
            if key and key not in lessons:
                lessons[key] = self._lesson_row(record, key)
        if not lessons:
            return
        created = {r[0] for r in insert(self.cursor, T_LESSON, self.LESSON_COLUMNS,
                                        sorted(lessons.values()), "(lesson_id) DO NOTHING",
                                        "lesson_id")}
        for key in created:
            self.lines[key] += 1

    LESSON_COLUMNS = ("lesson_id", "school_id", "teacher_code", "teacher_name", "subject_group",
                      "subject", "grade", "class_name", "date", "session", "period", "title",
                      "ppct", "purpose", "school_year", "term", "month", "lines")

    def _lesson_row(self, record: Incoming, key: str) -> tuple:
        data, lesson = record.data, record.data["lesson"]
        day = parse_day(lesson.get("date")) or local_date(record.occurred_at)
        class_name = nfc(lesson.get("class"))[:32]
        period, ppct = lesson.get("period"), lesson.get("ppct")
        return (key, self.school_id, nfc(data.get("patron_code"))[:64],
                nfc(data.get("patron_name"))[:200], nfc(lesson.get("subject_group"))[:100],
                nfc(lesson.get("subject"))[:100], grade_of(class_name), class_name, day,
                nfc(lesson.get("session"))[:16], period if isinstance(period, int) else None,
                nfc(lesson.get("title"))[:300], ppct if isinstance(ppct, int) else None,
                nfc(lesson.get("purpose"))[:100], school_year_of(day), term_of(day),
                month_start(day), 0)

    def _returned(self, records: list[Incoming]) -> None:
        """Each return's pieces: a loan closes (``returned_at``) when nothing is outstanding.
        A record of contract v1 (no ``outstanding``) closes its loan. Counts only grow and
        ``outstanding`` only falls, so a return arriving late changes nothing."""
        latest: dict[str, tuple] = {}
        for record in records:
            data = record.data
            this = data.get("this_return") if isinstance(data.get("this_return"), dict) else {}
            left = _whole(this.get("outstanding"), _whole(data.get("outstanding")))
            row = (left, *(_whole(data.get(f"returned_{n}")) for n in PIECES),
                   record.occurred_at)
            loan_id = data["loan_id"][:64]
            if loan_id not in latest or left <= latest[loan_id][0]:
                latest[loan_id] = row
        most = "CASE WHEN v.c{0} > {1} THEN v.c{0} ELSE {1} END"
        update_from(
            self.cursor, T_LOAN, "loan_id",
            f"outstanding = CASE WHEN v.c1 < {T_LOAN}.outstanding THEN v.c1 "
            f"ELSE {T_LOAN}.outstanding END, "
            + ", ".join(f"returned_{n} = " + most.format(i, f"{T_LOAN}.returned_{n}")
                        for i, n in enumerate(PIECES, start=2))
            + f", returned_at = CASE WHEN v.c1 = 0 THEN COALESCE({T_LOAN}.returned_at, v.c6) "
              f"ELSE {T_LOAN}.returned_at END",
            sorted((k, *v) for k, v in latest.items()), ["INTEGER"] * 5 + ["TIMESTAMPTZ"])

    def _renewed(self, records: list[Incoming]) -> None:
        last = {}
        for record in records:
            due = parse_day(record.data.get("due_date"))
            if due is not None:
                last[record.data["loan_id"][:64]] = due
        update_from(self.cursor, T_LOAN, "loan_id", "due_date = v.c1", sorted(last.items()),
                    ["DATE"])

    def _void_states(self, records: list[Incoming]) -> None:
        """Voids and undone voids: each loan ends as its latest event (by moment, then batch
        order) leaves it, unless the loan already holds a later one. A loan leaving the
        figures takes its count away; one coming back (an undo) puts it back."""
        if not records:
            return
        final: dict[str, Incoming] = {}
        for record in sorted(records, key=lambda r: r.occurred_at):  # stable: batch order
            final[record.data["loan_id"][:64]] = record
        known = in_list(
            self.cursor, f"SELECT loan_id, voided_at IS NOT NULL, void_changed_at, kind, "
            f"school_year, month, patron_class, patron_kind, lesson_id FROM {T_LOAN} "
            "WHERE school_id = %s AND loan_id", sorted(final),
            "ORDER BY loan_id" + (" FOR UPDATE" if postgres() else ""),
            params_before=[self.school_id])
        changes, lessons = [], []
        for loan_id, was_void, changed_at, kind, year, month, class_name, patron_kind, \
                lesson_id in known:
            record = final.pop(loan_id)
            if isinstance(changed_at, str):
                changed_at = datetime.fromisoformat(changed_at)
            if changed_at is not None and record.occurred_at < changed_at:
                continue  # an older void or undo, arriving after a later one
            void = record.type == "loan.voided"
            changes.append((loan_id, record.occurred_at if void else None, record.occurred_at))
            if bool(was_void) == void:
                continue
            step = -1 if void else 1
            if isinstance(month, str):
                month = datetime.fromisoformat(month).date()
            if kind == "book":
                self.reading[(year, month, class_name, grade_of(class_name), patron_kind)] += step
            elif lesson_id:
                self.lines[lesson_id] += step
                if not void and isinstance(record.data.get("lesson"), dict):
                    # the lesson may never have been stored (its loan voided before seen)
                    lessons.append(self._lesson_row(record, lesson_id))
        insert(self.cursor, T_LESSON, self.LESSON_COLUMNS, sorted(lessons),
               "(lesson_id) DO NOTHING")
        update_from(self.cursor, T_LOAN, "loan_id", "voided_at = v.c1, void_changed_at = v.c2",
                    sorted(changes), ["TIMESTAMPTZ", "TIMESTAMPTZ"])
        # Loans never seen: a void is remembered (a late borrowing never counts); an undo
        # stands for the borrowing (counted now; the borrowing, when it comes, is known).
        voids = [self._loan_row(r, voided=True, void_changed=True) for r in final.values()
                 if r.type == "loan.voided"]
        insert(self.cursor, T_LOAN, self.LOAN_COLUMNS, sorted(voids), "(loan_id) DO NOTHING")
        self._borrowed([r for r in final.values() if r.type == "loan.unvoided"],
                       void_changed=True)

    def _flush_lines(self) -> None:
        """Move lessons' line counts; a lesson crossing zero moves its usage counter."""
        usage: dict[tuple, list] = {}
        deltas = sorted((key, delta) for key, delta in self.lines.items() if delta)
        moved = update_from(
            self.cursor, T_LESSON, "lesson_id", "lines = lines + v.c1", deltas, ["INTEGER"],
            returning=f"{T_LESSON}.lesson_id, {T_LESSON}.lines, {T_LESSON}.school_year, "
                      f"{T_LESSON}.term, {T_LESSON}.month, {T_LESSON}.teacher_code, "
                      f"{T_LESSON}.teacher_name, {T_LESSON}.subject_group, {T_LESSON}.subject, "
                      f"{T_LESSON}.grade")
        for row in moved:
            delta = self.lines[row[0]]
            after, before = row[1], row[1] - delta
            step = (1 if before <= 0 < after else -1 if after <= 0 < before else 0)
            if step:
                year, term, month, teacher, name, group, subject, grade = row[2:]
                if isinstance(month, str):
                    month = datetime.fromisoformat(month).date()
                slot = usage.setdefault((year, term, month, teacher, group, subject, grade),
                                        [name, 0])
                slot[1] += step
        rows = [(self.school_id, *key[:4], name, *key[4:], count)
                for key, (name, count) in sorted(usage.items()) if count]
        insert(self.cursor, T_USAGE,
               ("school_id", "school_year", "term", "month", "teacher_code", "teacher_name",
                "subject_group", "subject", "grade", "lessons"), rows,
               "(school_id, school_year, term, month, teacher_code, subject_group, subject, grade)"
               f" DO UPDATE SET lessons = {T_USAGE}.lessons + excluded.lessons,"
               " teacher_name = excluded.teacher_name")

    def _flush_reading(self) -> None:
        rows = [(self.school_id, year, month, class_name, grade, kind, count)
                for (year, month, class_name, grade, kind), count in sorted(self.reading.items())
                if count]
        insert(self.cursor, T_READING,
               ("school_id", "school_year", "month", "class_name", "grade", "patron_kind",
                "loans"), rows,
               "(school_id, school_year, month, class_name, patron_kind)"
               f" DO UPDATE SET loans = {T_READING}.loans + excluded.loans")

    # -- visits, rosters, quotas, items ----------------------------------------------------------
    def _visits(self, visits: list[Incoming], voids: list[Incoming]) -> None:
        rows = []
        for record in visits:
            data = record.data
            day = parse_day(data["date"])
            titles = data.get("titles") if isinstance(data.get("titles"), list) else []
            class_name = nfc(data["class"])[:32]
            rows.append((data["visit_id"][:64], self.school_id, school_year_of(day),
                         month_start(day), day, class_name, grade_of(class_name),
                         data["students"], _json([nfc(t) for t in titles][:100])))
        insert(self.cursor, T_VISIT, ("record_id", "school_id", "school_year", "month", "date",
                                      "class_name", "grade", "students", "titles"),
               sorted(rows), "(record_id) DO NOTHING")
        if voids:
            in_list(self.cursor, f"DELETE FROM {T_VISIT} WHERE school_id = %s AND record_id",
                    sorted({r.data["visit_id"][:64] for r in voids}),
                    params_before=[self.school_id])

    def _roster(self, record: Incoming) -> None:
        data, year = record.data, record.data["school_year"]
        classes = {}
        for entry in data.get("classes", []):
            name = nfc(entry["class"])[:32]
            classes[name] = (self.school_id, year, name,
                             nfc(entry.get("grade")) or grade_of(name), entry["students"])
        teachers = {}
        for entry in data.get("teachers", []):
            if not isinstance(entry, dict) or not nfc(entry.get("code")):
                continue
            teaches = [{"subject": nfc(t.get("subject")), "grade": nfc(t.get("grade"))}
                       for t in entry.get("teaches", []) if isinstance(t, dict)]
            teachers[nfc(entry["code"])[:64]] = (
                self.school_id, year, nfc(entry["code"])[:64], nfc(entry.get("name"))[:200],
                nfc(entry.get("subject_group"))[:100], _json(teaches))
        if "classes" in data:
            m.ClassRoster.objects.filter(school_id=self.school_id, school_year=year).delete()
            insert(self.cursor, m.ClassRoster._meta.db_table,
                   ("school_id", "school_year", "class_name", "grade", "students"),
                   sorted(classes.values()))
        if "teachers" in data:
            m.TeacherRoster.objects.filter(school_id=self.school_id, school_year=year).delete()
            insert(self.cursor, m.TeacherRoster._meta.db_table,
                   ("school_id", "school_year", "code", "name", "subject_group", "teaches"),
                   sorted(teachers.values()))

    def _plans(self, records: list[Incoming]) -> None:
        """The plan of a subject and grade replaces the one stored before (the latest of a
        batch wins): one delete and one insert for the whole batch."""
        plans: dict[tuple, dict] = {}
        for record in sorted(records, key=lambda r: r.occurred_at):  # stable: batch order
            data = record.data
            plans[(data["school_year"], nfc(data["subject"])[:100], nfc(data["grade"])[:8])] = data
        if not plans:
            return
        t = m.PlanLesson._meta.db_table
        in_list(self.cursor, f"DELETE FROM {t} WHERE school_id = %s AND "
                "school_year || '|' || subject || '|' || grade",
                sorted("|".join(key) for key in plans), params_before=[self.school_id])
        rows = {}
        for (year, subject, grade), data in plans.items():
            for lesson in data["lessons"]:
                week = lesson.get("week")
                rows[(year, subject, grade, lesson["ppct"])] = (
                    self.school_id, year, subject, grade, lesson["ppct"],
                    week if _whole(week, 0) else None, parse_day(lesson.get("week_starts")),
                    nfc(lesson.get("title"))[:300], nfc(lesson.get("equipment"))[:1000])
        insert(self.cursor, t, ("school_id", "school_year", "subject", "grade", "ppct", "week",
                                "week_starts", "title", "equipment"), sorted(rows.values()))

    def _quota(self, record: Incoming) -> None:
        data = record.data
        year, term = data["school_year"], data["term"]
        m.Quota.objects.filter(school_id=self.school_id, school_year=year, term=term).delete()
        rows = [(self.school_id, year, term, nfc(r.get("subject"))[:100],
                 nfc(r.get("grade"))[:8], nfc(r.get("teacher_code"))[:64], r["periods"])
                for r in data["rules"]]
        insert(self.cursor, m.Quota._meta.db_table,
               ("school_id", "school_year", "term", "subject", "grade", "teacher_code",
                "periods"), rows)

    ITEM_COLUMNS = ("school_id", "key", "item_kind", "name", "\"group\"", "declared_at",
                    "declared_record", "updated_at", "withdrawn_at", "missing",
                    "declared_pieces", "pieces", "withdrawn_pieces")

    def _items(self, records: list[Incoming]) -> None:
        """Copies, labelled items and counted stock (one row per equipment type) as they are
        now: what each lacks for the registers, the pieces declared, held and withdrawn. A
        copy or item withdrawn holds nothing; counted stock holds its ``stock_total`` and is
        withdrawn (``withdrawn_at``) only when nothing of it is left. A batch's records of one
        thing fold into one row (oldest first), so the batch is one statement (two when some
        counted stock came without its total)."""
        folded: dict[str, list] = {}
        for record in sorted(records, key=lambda r: r.occurred_at):  # stable: batch order
            key, row, held = self._item_row(record)
            known = folded.get(key)
            if known is None:
                folded[key] = [row, held]
                continue
            old = known[0]
            known[0] = (*row[:5], old[5] or row[5], row[6] or old[6], row[7],
                        row[8] if held >= 0 else old[8],
                        row[9], old[10] + row[10],
                        row[11] if held >= 0 else old[11], old[12] + row[12])
            known[1] = held if held >= 0 else known[1]
        t = T_ITEM
        for keep in (False, True):  # keep: no stock_total said, the pieces known stay
            rows = sorted(row for row, held in folded.values() if (held < 0) == keep)
            pieces = f"{t}.pieces" if keep else "excluded.pieces"
            insert(self.cursor, T_ITEM, self.ITEM_COLUMNS, rows,
                   "(school_id, key) DO UPDATE SET "
                   f"declared_at = COALESCE({t}.declared_at, excluded.declared_at), "
                   "declared_record = CASE WHEN excluded.declared_record <> '' THEN "
                   f"excluded.declared_record ELSE {t}.declared_record END, "
                   f"withdrawn_at = CASE WHEN {pieces} > 0 THEN NULL ELSE "
                   f"COALESCE(excluded.withdrawn_at, {t}.withdrawn_at) END, "
                   "updated_at = excluded.updated_at, "
                   f"name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE {t}.name END, "
                   "missing = excluded.missing, "
                   f"declared_pieces = {t}.declared_pieces + excluded.declared_pieces, "
                   f"pieces = {pieces}, "
                   f"withdrawn_pieces = {t}.withdrawn_pieces + excluded.withdrawn_pieces")

    def _item_row(self, record: Incoming) -> tuple[str, tuple, int]:
        """(key, row of :attr:`ITEM_COLUMNS`, pieces held after it: -1 when not said)."""
        data = record.data
        barcode, code = nfc(data.get("item_barcode")), nfc(data.get("equipment_code"))
        key = (barcode or f"type:{code}")[:100]
        book = data.get("item_kind") == "book"
        needed = BOOK_FIELDS_NEEDED if book else EQUIPMENT_FIELDS_NEEDED
        missing = [name for name in needed if data.get(name) in (None, "", 0)]
        declared = record.occurred_at if record.type == "item.declared" else None
        withdrawing = record.type == "item.withdrawn"
        if not barcode:  # counted stock
            held = _whole(data.get("stock_total"), -1)
            added = _whole(data.get("quantity_added"), 1) if declared else 0
            taken = _whole(data.get("quantity_withdrawn"), 1) if withdrawing else 0
        else:
            held = 0 if withdrawing or data.get("status") == "withdrawn" else 1
            added, taken = (1 if declared else 0), (1 if withdrawing else 0)
        row = (self.school_id, key, nfc(data.get("item_kind"))[:20],
               nfc(data.get("title") or data.get("equipment_name"))[:300],
               nfc(data.get("store") if book else data.get("group"))[:100], declared,
               record.id if declared else "", record.occurred_at,
               record.occurred_at if held == 0 else None, _json(missing), added,
               held if held >= 0 else added, taken)
        return key, row, held


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


__all__ = ["Effects", "grade_of", "lesson_key", "parse_moment"]
