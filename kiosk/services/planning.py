"""What staff record for the reports: class visits to the library (đọc tại chỗ) and the required
periods using equipment (edited on the staff screen); and the lesson plan the checkout offers.

Each change is one action: the row, its journal entry and its provincial record
(``class.visit``, ``class.visit.voided``, ``quota.set``: contract v1.1) commit together.
"""
from __future__ import annotations

from datetime import date

from db.ids import uuid7
from db.queries import planning, reports
from db.queries.planning import RuleInput
from db.text import search_key
from db.vocabulary import CLASS_VISIT, CLASS_VISIT_VOIDED, QUOTA_SET
from kiosk.reports.calendar import school_year_of
from kiosk.reports.usage import grade_of
from kiosk.services.base import Service, guarded
from kiosk.services.payloads import quota_data, visit_data
from kiosk.services.results import Outcome, Refused, done, refuse

REF_VISIT, REF_QUOTA = "DTC", "DM"
#: The most students one class visit may record (a mistyped 300 is refused).
MAX_VISITORS = 120


class Planning(Service):
    """Class visits, quotas and the lesson plan."""

    # -- class visits -----------------------------------------------------------------------
    @guarded
    def record_visit(self, staff_code: str, class_name: str, students: int,
                     day: date | None = None, titles: tuple[str, ...] = ()) -> Outcome:
        """A class came to read in the library."""
        class_name = class_name.strip()
        if not class_name:
            return refuse("visit_class_required")
        if not 1 <= students <= MAX_VISITORS:
            return refuse("visit_students_invalid", most=MAX_VISITORS)
        day = day or self.clock.today()
        if day > self.clock.today():
            return refuse("visit_in_future")
        titles = tuple(t.strip() for t in titles if t.strip())
        with self.action(staff_code, prefix=REF_VISIT) as act:
            uid = uuid7()
            planning.insert_visit(uid=uid, txn_ref=act.ref, class_name=class_name,
                                  visit_date=day, students=students, titles=list(titles),
                                  recorded_by=staff_code, kiosk_id=self.context.kiosk_id,
                                  at=act.who.at)
            act.journal("class_visit", entity="class_visit", entity_key=uid,
                        after={"class": class_name, "date": day, "students": students,
                               "titles": list(titles)})
            act.record(CLASS_VISIT, visit_data(self.config.school.code, uid, class_name, day,
                                                 students, list(titles)))
        return done("visit_recorded", class_name=class_name, students=students, ref=act.ref)

    @guarded
    def void_visit(self, staff_code: str, visit_id: int) -> Outcome:
        """A visit recorded by mistake."""
        with self.action(staff_code, prefix=REF_VISIT) as act:
            voided = planning.void_visit(visit_id, act.who.at)
            if voided is None:
                raise Refused(refuse("visit_unknown"))
            uid, class_name, day = voided
            act.journal("class_visit_void", entity="class_visit", entity_key=uid,
                        before={"class": class_name, "date": day})
            act.record(CLASS_VISIT_VOIDED, {"school_code": self.config.school.code,
                                              "visit_id": uid})
        return done("visit_voided", class_name=class_name)

    def recent_visits(self, days: int = 31) -> list[reports.VisitRow]:
        """The visits of the last ``days`` days, newest first."""
        today = self.clock.today()
        return reports.visits_between(date.fromordinal(today.toordinal() - days), today)

    def class_sizes(self) -> dict[str, int]:
        """Active students per class (the visit's default number)."""
        return reports.class_sizes()

    # -- quotas -----------------------------------------------------------------------------
    def quota_rules(self, school_year: str, term: str) -> list[reports.QuotaRule]:
        """The rules of one term."""
        return reports.quota_rules(school_year, term)

    @guarded
    def set_quotas(self, staff_code: str, school_year: str, term: str,
                   rules: list[RuleInput | tuple]) -> Outcome:
        """Replace the whole table of one term (what ``quota.set`` says); ``rules`` as
        :class:`RuleInput` or (subject, grade, teacher code, periods)."""
        if term not in ("HK1", "HK2", "year"):
            return refuse("quota_bad_term")
        rules = [r if isinstance(r, RuleInput) else RuleInput(*r) for r in rules]
        kept = [r for r in rules if r.periods is not None]
        if any(r.periods < 0 or r.periods > 1000 for r in kept):
            return refuse("quota_bad_periods")
        with self.action(staff_code, prefix=REF_QUOTA) as act:
            before = [vars(r) for r in reports.quota_rules(school_year, term)]
            planning.replace_quotas(school_year, term, kept, staff_code, act.who.at)
            act.journal("quota_set", entity="quota", entity_key=f"{school_year} {term}",
                        before={"rules": before},
                        after={"rules": [vars(r) for r in kept]})
            act.record(QUOTA_SET, quota_data(self.config.school.code, school_year, term, kept,
                                               staff_code))
        return done("quotas_saved", count=len(kept), ref=act.ref)

    def quota_pairs(self) -> list[tuple[str, str]]:
        """Every (subject, grade) the school files something under: the quota lines."""
        from kiosk.imports.templates import subject_grade_pairs
        return subject_grade_pairs()

    # -- figures for the staff screen ---------------------------------------------------------
    def usage_now(self, term: str | None = None):
        """This term's (or ``term``'s) equipment-use report, up to today."""
        from kiosk.reports.calendar import report_period
        from kiosk.reports.usage import usage_report
        today = self.clock.today()
        return usage_report(report_period(None, None, term, today), today)

    def reading_now(self, term: str | None = None):
        """This term's (or ``term``'s) reading report, up to today."""
        from kiosk.reports.calendar import report_period
        from kiosk.reports.reading import reading_report
        period = report_period(None, None, term, self.clock.today())
        return reading_report(self.clock, period.start, period.end, top=5)

    def reading_board(self, names: bool = False):
        """This month's classes that read the most, the newest titles, and (only when
        ``names``) the students who read the most: the home screen's board."""
        from kiosk.reports.reading import month_ends
        today = self.clock.today()
        start = today.replace(day=1)
        low, ends = month_ends(self.clock, start, today)
        cells = [c for c in reports.book_loans_by_class_month(low, ends)
                 if c.patron_kind == "student" and c.class_name]
        classes = sorted(((c.class_name, c.loans) for c in cells), key=lambda x: -x[1])[:3]
        readers = reports.top_readers(low, ends[-1], 3) if names else []
        return classes, reports.newest_titles(3), readers

    def declarations_line(self) -> str:
        """This school year's declarations in one line: acknowledged, waiting, refused, and
        the records that miss what the registers need."""
        from kiosk.i18n import t
        from kiosk.reports.calendar import year_bounds
        from kiosk.reports.declarations import declarations_report
        start, end = year_bounds(self.current_year())
        report = declarations_report(start, end, listed=0)
        return t("ui.staff.declarations_line", sent=report.total("sent"),
                 pending=report.total("pending"), dead=report.total("dead"),
                 incomplete=report.incomplete_books + report.incomplete_equipment)

    def current_year(self) -> str:
        """The school year of today."""
        return school_year_of(self.clock.today())

    # -- the lesson plan --------------------------------------------------------------------
    def plan_for(self, subject: str, class_name: str) -> list[reports.PlanLesson]:
        """This school year's planned lessons of a subject for a class's grade, PPCT order."""
        grade = grade_of(class_name)
        wanted = search_key(subject)
        year = self.current_year()
        return [p for p in reports.plan_lessons(year, grade=grade)
                if search_key(p.subject) == wanted]

    def current_week(self) -> int | None:
        """Today's PPCT week of the school year (1 = the week teaching starts)."""
        from kiosk.reports.calendar import ppct_week_start
        today = self.clock.today()
        start = ppct_week_start(self.current_year(), 1)
        return (today - start).days // 7 + 1 if today >= start else None

    def plan_items(self, plan_id: int) -> list[reports.PlanItem]:
        """What a planned lesson needs."""
        return reports.plan_items(plan_id)
