"""Reading culture (văn hóa đọc): loans to take home by class, grade and month, loans per student,
the share of students who borrowed, the most borrowed titles and stores, teachers' reading, the
same period of last school year, and in-library reading by class visit (as MISA's TV-BC08).

Every book loan made at the kiosk is a loan to take home (mượn về); in-library reading is
counted by class visit. A voided loan (a mistake) is not a loan. A student is counted in the
class they are in now; the share who borrowed is of the class's active students (sĩ số).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from db.queries import reports as q
from db.vocabulary import STUDENT
from kiosk.clock import Clock
from kiosk.reports.calendar import month_starts
from kiosk.reports.usage import class_order, grade_of, percent


def ratio(part: int, whole: int | None) -> float | None:
    """``part / whole`` to two places (None without a whole)."""
    return round(part / whole, 2) if whole else None


@dataclass
class ClassReading:
    """One class's line."""

    class_name: str
    grade: str
    students: int
    by_month: list[int]
    borrowers: int = 0
    visits: int = 0
    readers: int = 0
    visits_by_month: list[int] = field(default_factory=list)
    readers_by_month: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Loans to take home in the period."""
        return sum(self.by_month)

    @property
    def per_student(self) -> float | None:
        """Loans per student."""
        return ratio(self.total, self.students)

    @property
    def share(self) -> float | None:
        """Percentage of the class's students who borrowed at least once."""
        return percent(self.borrowers, self.students)


@dataclass(frozen=True)
class GradeReading:
    """A grade's totals."""

    grade: str
    students: int
    loans: int
    borrowers: int

    @property
    def per_student(self) -> float | None:
        """Loans per student."""
        return ratio(self.loans, self.students)

    @property
    def share(self) -> float | None:
        """Percentage of students who borrowed."""
        return percent(self.borrowers, self.students)


@dataclass
class ReadingReport:
    """The whole report."""

    start: date
    end: date
    months: list[date]
    classes: list[ClassReading]
    grades: list[GradeReading]
    by_month: list[int]
    teacher_loans: int
    teacher_borrowers: int
    teacher_by_month: list[int]
    top_titles: list[q.TopTitle]
    stores: dict[str, int]
    last_year_by_month: list[int]
    visits_by_month: list[int]
    readers_by_month: list[int]

    @property
    def students(self) -> int:
        """Active students of the classes listed."""
        return sum(c.students for c in self.classes)

    @property
    def total(self) -> int:
        """Students' loans to take home."""
        return sum(self.by_month)

    @property
    def borrowers(self) -> int:
        """Students who borrowed at least once."""
        return sum(c.borrowers for c in self.classes)

    @property
    def per_student(self) -> float | None:
        """Loans per student."""
        return ratio(self.total, self.students)

    @property
    def share(self) -> float | None:
        """Percentage of students who borrowed."""
        return percent(self.borrowers, self.students)

    @property
    def last_year_total(self) -> int:
        """Loans (everyone's) in the same period of last year."""
        return sum(self.last_year_by_month)

    @property
    def this_year_total(self) -> int:
        """Loans (everyone's) in the period: what compares with last year."""
        return self.total + self.teacher_loans

    @property
    def change(self) -> float | None:
        """This year against last year, in percent (+12.5: 12.5 % more)."""
        if not self.last_year_total:
            return None
        return round(100.0 * (self.this_year_total - self.last_year_total)
                     / self.last_year_total, 1)

    @property
    def visits(self) -> int:
        """Class visits."""
        return sum(self.visits_by_month)

    @property
    def readers(self) -> int:
        """Readers counted at class visits."""
        return sum(self.readers_by_month)


def year_earlier(day: date) -> date:
    """The same day a year before (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def month_ends(clock: Clock, start: date, end: date) -> tuple[datetime, list[datetime]]:
    """The stored-time start of ``start`` and the end of each local month up to ``end``."""
    low = clock.local_day_bounds(start)[0]
    ends = []
    for month in month_starts(start, end):
        following = (month + timedelta(days=32)).replace(day=1)
        ends.append(clock.local_day_bounds(min(following, end + timedelta(days=1)))[0])
    return low, ends


def _titles_and_stores(low: datetime, high: datetime, top: int
                       ) -> tuple[list[q.TopTitle], dict[str, int]]:
    """The most borrowed titles and the loans per store, from the loans counted per copy."""
    copies = q.copy_titles()
    by_title: dict[int, int] = defaultdict(int)
    stores: dict[str, int] = defaultdict(int)
    for copy_id, count in q.book_loans_by_copy(low, high):
        title_id, store = copies.get(copy_id, (None, ""))
        if title_id is None:
            continue
        by_title[title_id] += count
        stores[store] += count
    names = q.titles_by_id([tid for tid, _ in sorted(by_title.items(),
                                                    key=lambda kv: -kv[1])[:top * 3]])
    ranked = sorted(((names[tid][0], names[tid][1], n) for tid, n in by_title.items()
                     if tid in names), key=lambda x: (-x[2], x[0]))
    return [q.TopTitle(title, author, n) for title, author, n in ranked[:top]], dict(stores)


def reading_report(clock: Clock, start: date, end: date, top: int = 10) -> ReadingReport:
    """Build the report for ``start``..``end`` (local days, inclusive)."""
    months = month_starts(start, end)
    low, ends = month_ends(clock, start, end)
    sizes = q.class_sizes()
    classes: dict[str, ClassReading] = {
        name: ClassReading(name, grade_of(name), students, [0] * len(months))
        for name, students in sizes.items()}
    teacher_by_month = [0] * len(months)
    patrons = q.patron_classes()
    borrowers: dict[tuple[str, str], set[int]] = defaultdict(set)
    for patron_id, month, count in q.book_loans_by_patron_month(low, ends):
        if month >= len(months):
            continue
        kind, class_name = patrons.get(patron_id, ("", ""))
        borrowers[(kind, class_name)].add(patron_id)
        if kind != STUDENT:
            teacher_by_month[month] += count
            continue
        entry = classes.get(class_name)
        if entry is None:  # a class whose students have all left since
            entry = classes[class_name] = ClassReading(
                class_name, grade_of(class_name), 0, [0] * len(months))
        entry.by_month[month] += count
    teacher_borrowers = 0
    for (kind, name), people in borrowers.items():
        if kind == STUDENT and name in classes:
            classes[name].borrowers = len(people)
        elif kind != STUDENT:
            teacher_borrowers += len(people)
    top_titles, stores = _titles_and_stores(low, ends[-1], top)
    for entry in classes.values():
        entry.visits_by_month = [0] * len(months)
        entry.readers_by_month = [0] * len(months)
    day_ends = [min((m + timedelta(days=32)).replace(day=1), end + timedelta(days=1))
                for m in months]
    for cell in q.visits_by_class_month(start, day_ends):
        if cell.month >= len(months):
            continue
        entry = classes.get(cell.class_name)
        if entry is None:
            entry = classes[cell.class_name] = ClassReading(
                cell.class_name, grade_of(cell.class_name), 0, [0] * len(months),
                visits_by_month=[0] * len(months), readers_by_month=[0] * len(months))
        entry.visits_by_month[cell.month] += cell.visits
        entry.readers_by_month[cell.month] += cell.readers
    for entry in classes.values():
        entry.visits = sum(entry.visits_by_month)
        entry.readers = sum(entry.readers_by_month)
    ordered = sorted(classes.values(), key=lambda c: class_order(c.class_name))
    grades: dict[str, list[ClassReading]] = defaultdict(list)
    for entry in ordered:
        grades[entry.grade].append(entry)
    last_low, last_ends = month_ends(clock, year_earlier(start), year_earlier(end))
    return ReadingReport(
        start=start, end=end, months=months, classes=ordered,
        grades=[GradeReading(g, sum(c.students for c in members),
                             sum(c.total for c in members), sum(c.borrowers for c in members))
                for g, members in grades.items()],
        by_month=[sum(c.by_month[i] for c in ordered) for i in range(len(months))],
        teacher_loans=sum(teacher_by_month), teacher_borrowers=teacher_borrowers,
        teacher_by_month=teacher_by_month, top_titles=top_titles, stores=stores,
        last_year_by_month=q.book_loans_by_month(last_low, last_ends),
        visits_by_month=[sum(c.visits_by_month[i] for c in ordered) for i in range(len(months))],
        readers_by_month=[sum(c.readers_by_month[i] for c in ordered)
                          for i in range(len(months))])
