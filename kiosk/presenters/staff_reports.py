"""The staff's "Báo cáo" tab: this term's equipment use by tổ and teacher (bars: recorded
against required), reading by class and month (bars and a line), a class visit recorded in a
few taps, and the required periods edited with steppers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.text import sort_key
from kiosk.i18n import t
from kiosk.services.results import Outcome

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.presenters.staff_review import StaffReviewPresenter

VIEWS = ("usage", "reading", "visit", "quotas")
TERMS = ("HK1", "HK2", "year")
#: The steps of the visitors' count and of a quota.
VISIT_STEPS = (-5, -1, 1, 5)
QUOTA_STEPS = (-1, 1, 5)


@dataclass
class Bar:
    """One bar (or pair of bars) of an on-screen chart."""

    label: str
    value: float
    target: float | None = None  # the required periods, drawn beside


@dataclass
class QuotaLine:
    """One editable rule: a subject x grade of the school, or one teacher's."""

    subject: str
    grade: str
    teacher_code: str
    periods: int | None

    @property
    def label(self) -> str:
        """'KHTN 6', or a teacher's code with what the rule is for."""
        what = f"{self.subject} {self.grade}".strip()
        if self.teacher_code:
            return f"{self.teacher_code}: {what or t('ui.reports.teacher_total')}"
        return what


class Reporting:
    """The reports tab's state and commands, inside the staff review."""

    def __init__(self, review: "StaffReviewPresenter"):
        self.review = review
        self.view = "usage"
        self.term: str | None = None
        self.usage = None
        self.reading = None
        self.visit_class: str | None = None
        self.visit_students = 0
        self.visits = []
        self.quota_lines: list[QuotaLine] = []
        self.quota_term = "HK1"
        self.quota_dirty = False
        self.classes: list[str] = []
        #: The report being computed off the screen's thread (``usage`` or ``reading``), or
        #: None; the screen says "Đang tính…" meanwhile.
        self.computing: str | None = None
        #: Which request the answer must match (a later one makes an earlier answer stale).
        self._asked = 0

    @property
    def flow(self):
        """The kiosk's flow."""
        return self.review.flow

    @property
    def planning(self):
        """Visits, quotas and the plan."""
        return self.flow.planning

    # -- loading ----------------------------------------------------------------------------
    def load(self) -> None:
        """Read the current view's figures: the term's reports on the reader thread (a year
        at a million loans takes seconds), the rest at once."""
        if self.view in ("usage", "reading"):
            self._compute(self.view)
        elif self.view == "visit":
            self.classes = self.flow.reports.class_list()
            self.visits = self.planning.recent_visits(31)
        elif self.view == "quotas":
            self._load_quotas()

    def _compute(self, view: str) -> None:
        self._asked += 1
        asked, term = self._asked, self.term
        self.computing = view
        query = (lambda: self.planning.usage_now(term)) if view == "usage" \
            else (lambda: self.planning.reading_now(term))
        self.review.read(query, lambda report: self._computed(asked, view, report),
                         lambda: self._not_computed(asked))

    def _computed(self, asked: int, view: str, report) -> None:
        if asked != self._asked:
            return  # the staff member asked for another term or view meanwhile
        self.computing = None
        if view == "usage":
            self.usage = report
        else:
            self.reading = report
        self.review.changed()

    def _not_computed(self, asked: int) -> None:
        if asked == self._asked:
            self.computing = None
            self.review.changed()

    def _load_quotas(self) -> None:
        year = self.planning.current_year()
        rules = {(r.subject, r.grade, r.teacher_code): r.periods
                 for r in self.planning.quota_rules(year, self.quota_term)}
        lines = [QuotaLine(s, g, "", rules.pop((s, g, ""), None))
                 for s, g in self.planning.quota_pairs()]
        lines += [QuotaLine(s, g, c, n) for (s, g, c), n in sorted(rules.items())]
        self.quota_lines = lines
        self.quota_dirty = False

    # -- views ------------------------------------------------------------------------------
    def show(self, view: str) -> None:
        """Switch view."""
        if view not in VIEWS:
            raise ValueError(view)
        self.view = view
        self.load()
        self.review.changed()

    def view_label(self, view: str) -> str:
        """A view's button text."""
        return t(f"ui.reports.view_{view}")

    def cycle_term(self) -> None:
        """This term -> HK1 -> HK2 -> the whole year."""
        order = [None, *TERMS]
        self.term = order[(order.index(self.term) + 1) % len(order)]
        self.load()
        self.review.changed()

    @property
    def term_label(self) -> str:
        """What the term button says."""
        if self.term is None:
            period = self.usage.period if self.usage else None
            return t("ui.reports.term_current", term=t(f"report.term_{period.term}")
                     if period else "")
        return t(f"report.term_{self.term}")

    # -- what the charts show -----------------------------------------------------------------
    def usage_groups(self) -> list[tuple[str, int, int, float | None]]:
        """(tổ, required, recorded, percent) per tổ, then the school."""
        if self.usage is None:
            return []
        rows = [(g.group or t("export.no_group"), g.required, g.recorded, g.percent)
                for g in self.usage.groups]
        rows.append((t("report.school_total"), self.usage.required, self.usage.recorded,
                     self.usage.percent))
        return rows

    def usage_bars(self) -> list[Bar]:
        """Each teacher's recorded periods against the required ones (lowest share first)."""
        if self.usage is None:
            return []
        found: dict[str, Bar] = {}
        for group in self.usage.groups:
            for u in group.teachers:
                bar = found.setdefault(u.code, Bar(u.name.split()[-1] if u.name else u.code, 0))
                bar.value += u.recorded
                if u.required is not None:
                    bar.target = (bar.target or 0) + u.required
        return sorted(found.values(), key=lambda b: (
            b.value / b.target if b.target else 9, sort_key(b.label)))

    def reading_bars(self) -> list[Bar]:
        """Loans to take home per class."""
        if self.reading is None:
            return []
        return [Bar(c.class_name, c.total) for c in self.reading.classes]

    def reading_months(self) -> list[Bar]:
        """All loans per month (the line), last year's beside."""
        if self.reading is None:
            return []
        r = self.reading
        return [Bar(f"{m.month:02d}", a + b, r.last_year_by_month[i]
                    if i < len(r.last_year_by_month) else None)
                for i, (m, a, b) in enumerate(zip(r.months, r.by_month, r.teacher_by_month))]

    def reading_summary(self) -> str:
        """One line of figures under the charts."""
        r = self.reading
        if r is None:
            return ""
        from kiosk.reports.output import number
        return t("ui.reports.reading_summary", loans=r.this_year_total, share=number(r.share),
                 per=number(r.per_student), visits=r.visits, last=r.last_year_total)

    # -- a class visit ----------------------------------------------------------------------
    def choose_visit_class(self, class_name: str) -> None:
        """A class button: its size is the default number of readers."""
        self.visit_class = class_name
        self.visit_students = self.planning.class_sizes().get(class_name, 0) or 1
        self.review.changed()

    def step_visitors(self, delta: int) -> None:
        """The − / + of the number of students."""
        self.visit_students = max(1, min(120, self.visit_students + delta))
        self.review.changed()

    def record_visit(self) -> None:
        """Record the visit (one action, ``class.visit`` queued)."""
        if not self.visit_class or self.review.writing:
            return
        staff = self.review.staff.code
        class_name, students = self.visit_class, self.visit_students
        self.review.write(lambda: self.planning.record_visit(staff, class_name, students),
                          self._visit_written)

    def void_visit(self, visit_id: int) -> None:
        """Cancel a visit recorded by mistake."""
        if self.review.writing:
            return
        staff = self.review.staff.code
        self.review.write(lambda: self.planning.void_visit(staff, visit_id), self._visit_written)

    def _visit_written(self, outcome: Outcome) -> None:
        if outcome.ok:
            self.visit_class = None
        self.review.show(outcome)
        self.load()
        self.review.changed()

    # -- quotas -----------------------------------------------------------------------------
    def set_quota_term(self, term: str) -> None:
        """Which term's table is edited."""
        if term not in TERMS:
            raise ValueError(term)
        self.quota_term = term
        self._load_quotas()
        self.review.changed()

    def step_quota(self, index: int, delta: int) -> None:
        """The − / + of one rule (down to none: no rule)."""
        line = self.quota_lines[index]
        value = (line.periods or 0) + delta
        line.periods = None if value < 0 or (value == 0 and delta < 0 and line.periods == 0) \
            else value
        self.quota_dirty = True
        self.review.changed()

    def save_quotas(self) -> None:
        """Replace the term's table (``quota.set``)."""
        if self.review.writing:
            return
        rules = [(line.subject, line.grade, line.teacher_code, line.periods)
                 for line in self.quota_lines if line.periods is not None]
        staff = self.review.staff.code
        year, term = self.planning.current_year(), self.quota_term
        self.review.write(lambda: self.planning.set_quotas(staff, year, term, rules),
                          self._quotas_written)

    def _quotas_written(self, outcome: Outcome) -> None:
        self.review.show(outcome)
        if outcome.ok:
            self._load_quotas()
        self.review.changed()
