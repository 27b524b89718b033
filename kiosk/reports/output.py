"""The reports as people read them: a terminal table, an Excel file, a printable PDF (with its
charts, the administrative header and the signature blocks)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from kiosk.clock import format_date
from kiosk.context import KioskContext
from kiosk.export.document import Col, Document, place_and_date
from kiosk.export.pdf import Header
from kiosk.export.registers import buoi_tiet
from kiosk.reports.charts import bar_chart, line_chart
from kiosk.reports.declarations import DeclarationsReport
from kiosk.reports.reading import ReadingReport
from kiosk.reports.usage import SubjectGradeCount, UsageReport

Tr = Callable[..., str]


def month_label(month) -> str:
    """'11/2026'."""
    return f"{month.month:02d}/{month.year}"


def number(value: float | None) -> str:
    """A figure as a Vietnamese reader writes it: 12,5 (decimal comma); '—' for none."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def term_label(t: Tr, term: str) -> str:
    """'Học kỳ I', 'Học kỳ II', 'Cả năm'."""
    return t(f"report.term_{term}")


def _doc(context: KioskContext, base: Path, formats: Sequence[str], t: Tr, title: str,
         subtitles: Sequence[str], sheet: str) -> Document:
    school = context.config.school
    header = Header(authority=school.authority, school=school.name, nation=t("export.nation"),
                    motto=t("export.motto"))
    return Document(base, formats, title=title, subtitles=[school.name, *subtitles],
                    sheet=sheet, header=header)


def _close(context: KioskContext, doc: Document, t: Tr, roles: Sequence[str]) -> list[Path]:
    place = place_and_date(t, context.config.school.place, context.clock.today())
    return doc.close(place, [t(f"export.role_{r}") for r in roles], t("export.sign_hint"))


# -- usage ----------------------------------------------------------------------------------
def usage_title_lines(report: UsageReport, t: Tr) -> list[str]:
    """The period, the term and the school year, and the tổ when one was asked for."""
    p = report.period
    lines = [t("report.usage_period", start=format_date(p.start), end=format_date(p.end),
               term=term_label(t, p.term), year=p.school_year)]
    if report.group_filter:
        lines.append(t("export.group", group=report.group_filter))
    return lines


def usage_table(report: UsageReport, t: Tr) -> list[str]:
    """The report as terminal lines."""
    lines = [t("report.usage_title"), *usage_title_lines(report, t), ""]
    months = " ".join(f"{month_label(m)[:2]:>3}" for m in report.months)
    head = f"{t('report.col_teacher'):<28} {t('report.col_required'):>6} " \
           f"{t('report.col_recorded'):>6} {t('report.col_percent'):>6}  {months}"
    for group in report.groups:
        lines.append(f"{group.group or t('export.no_group')}")
        lines.append("  " + head)
        for u in group.teachers:
            by_month = " ".join(f"{n:>3}" for n in u.by_month)
            lines.append(f"  {u.name[:28]:<28} {number(u.required):>6} {u.recorded:>6} "
                         f"{number(u.percent):>6}  {by_month}")
        by_month = " ".join(f"{n:>3}" for n in group.by_month)
        lines.append(f"  {t('report.group_total'):<28} {group.required:>6} {group.recorded:>6} "
                     f"{number(group.percent):>6}  {by_month}")
    by_month = " ".join(f"{n:>3}" for n in report.by_month)
    lines.append(f"{t('report.school_total'):<30} {report.required:>6} {report.recorded:>6} "
                 f"{number(report.percent):>6}  {by_month}")
    if not report.has_quotas:
        lines.append(t("report.no_quotas"))
    if report.plan_has_weeks:
        lines.append(t("report.missed_count", count=len(report.missed)))
    lines.append("")
    lines.append(t("report.usage_legend"))
    return lines


def per_teacher(report: UsageReport) -> list[tuple[str, int, int | None]]:
    """(short name, recorded, required) per teacher, their lines in several tổ added up."""
    found: dict[str, list] = {}
    for group in report.groups:
        for u in group.teachers:
            entry = found.setdefault(u.code, [u.name, 0, None])
            entry[1] += u.recorded
            if u.required is not None:
                entry[2] = (entry[2] or 0) + u.required
    names = [entry[0].split() for entry in found.values()]
    last = [n[-1] if n else "" for n in names]
    short = [" ".join(n[-2:]) if last.count(n[-1] if n else "") > 1 else (n[-1] if n else "")
             for n in names]
    return [(name, entry[1], entry[2]) for name, entry in zip(short, found.values())]


def usage_document(context: KioskContext, report: UsageReport, base: Path,
                   formats: Sequence[str], t: Tr) -> list[Path]:
    """The usage report as Excel and/or PDF."""
    doc = _doc(context, base, formats, t, t("report.usage_title"), usage_title_lines(report, t),
               t("report.usage_sheet"))
    months = [month_label(m) for m in report.months]
    columns = [Col(t("report.col_no"), 5, "number"), Col(t("report.col_teacher"), 26),
               Col(t("report.col_required"), 9, "number"),
               Col(t("report.col_recorded"), 9, "number"),
               Col(t("report.col_percent"), 8, "percent")] + \
        [Col(m, 8, "number") for m in months]
    doc.section(columns, heading=t("report.usage_by_teacher"))
    for group in report.groups:
        doc.row(["", group.group or t("export.no_group"), None, None, None,
                 *[None] * len(months)], bold=True)
        for i, u in enumerate(group.teachers, start=1):
            doc.row([i, f"{u.name} ({u.code})", u.required, u.recorded, u.percent, *u.by_month])
        doc.row(["", t("report.group_total"), group.required, group.recorded, group.percent,
                 *group.by_month], bold=True)
    doc.row(["", t("report.school_total"), report.required, report.recorded, report.percent,
             *report.by_month], bold=True)
    if not report.has_quotas:
        doc.note(t("report.no_quotas"))
    doc.note(t("report.usage_legend"))
    teachers = per_teacher(report)
    if teachers and "pdf" in formats:
        shown = teachers[:40]
        doc.drawing(bar_chart(t("report.chart_teachers"), [name for name, _, _ in shown],
                              [[n for _, n, _ in shown], [r or 0 for _, _, r in shown]],
                              [t("report.col_recorded"), t("report.col_required")]))
        if len(months) > 1:
            doc.drawing(line_chart(t("report.chart_months_usage"), months, [report.by_month],
                                   [t("report.col_recorded")]))
    doc.section([Col(t("report.col_teacher"), 20), Col(t("export.col_lesson_date"), 11, "date"),
                 Col(t("export.col_buoi_tiet"), 8), Col(t("export.col_class"), 7),
                 Col(t("export.col_subject"), 10), Col(t("export.col_ppct"), 7),
                 Col(t("export.col_lesson_title"), 26), Col(t("export.col_equipment_name"), 34)],
                heading=t("report.usage_lessons"), sheet=t("report.usage_lessons_sheet"))
    for group in report.groups:
        for u in group.teachers:
            for use in u.lessons:
                equipment = "; ".join(f"{name} ×{qty}" if qty > 1 else name
                                      for name, qty in use.equipment)
                if use.self_made:
                    equipment = "; ".join(x for x in (equipment, t("export.self_made",
                                                                   name=use.self_made)) if x)
                doc.row([u.name, use.date, buoi_tiet(use.session, use.period, t),
                         use.class_name, use.subject, str(use.ppct) if use.ppct else "",
                         use.title, equipment])
    if report.plan_has_weeks:
        doc.section([Col(t("export.col_class"), 7), Col(t("export.col_subject"), 12),
                     Col(t("export.col_ppct"), 7, "number"), Col(t("report.col_week"), 6,
                                                                  "number"),
                     Col(t("export.col_lesson_title"), 34),
                     Col(t("report.col_equipment_needed"), 34),
                     Col(t("report.col_teacher"), 20)],
                    heading=t("report.missed_title"), sheet=t("report.missed_sheet"))
        for m in report.missed:
            doc.row([m.class_name, m.subject, m.ppct, m.week, m.title, m.equipment, m.teacher])
        if not report.missed:
            doc.note(t("report.missed_none"))
    return _close(context, doc, t, ("equipment_staff", "group_head", "principal"))


def usage_stats_document(context: KioskContext, counts: SubjectGradeCount, period, base: Path,
                         formats: Sequence[str], t: Tr) -> list[Path]:
    """The 'thống kê số tiết sử dụng thiết bị' for the district: subjects x grades."""
    doc = _doc(context, base, formats, t, t("report.stats_title"),
               [t("report.usage_period", start=format_date(period.start),
                  end=format_date(period.end), term=term_label(t, period.term),
                  year=period.school_year)], t("report.stats_sheet"))
    grades = counts.grades
    doc.section([Col(t("report.col_no"), 5, "number"), Col(t("export.col_subject"), 24)]
                + [Col(t("report.col_grade", grade=g), 9, "number") for g in grades]
                + [Col(t("report.col_total"), 9, "number"),
                   Col(t("report.col_required_school"), 12, "number")])
    for i, subject in enumerate(counts.subjects, start=1):
        required = [counts.required.get((subject, g)) for g in grades]
        doc.row([i, subject, *[counts.cells.get((subject, g), 0) for g in grades],
                 counts.row_total(subject),
                 sum(r for r in required if r is not None) if any(
                     r is not None for r in required) else None])
    doc.row(["", t("report.school_total"), *[counts.column_total(g) for g in grades],
             counts.total, None], bold=True)
    doc.note(t("report.stats_legend"))
    return _close(context, doc, t, ("equipment_staff", "principal"))


# -- reading --------------------------------------------------------------------------------
def reading_table(report: ReadingReport, t: Tr) -> list[str]:
    """The reading report as terminal lines."""
    lines = [t("report.reading_title"),
             t("export.period", start=format_date(report.start), end=format_date(report.end)),
             ""]
    months = " ".join(f"{month_label(m)[:2]:>4}" for m in report.months)
    lines.append(f"{t('export.col_class'):<7} {t('report.col_students'):>6} {months} "
                 f"{t('report.col_total'):>6} {t('report.col_per_student'):>7} "
                 f"{t('report.col_share'):>6} {t('report.col_visits'):>5}")
    for c in report.classes:
        by_month = " ".join(f"{n:>4}" for n in c.by_month)
        lines.append(f"{c.class_name:<7} {c.students:>6} {by_month} {c.total:>6} "
                     f"{number(c.per_student):>7} {number(c.share):>6} {c.visits:>5}")
    by_month = " ".join(f"{n:>4}" for n in report.by_month)
    lines.append(f"{t('report.school_total'):<7} {report.students:>6} {by_month} "
                 f"{report.total:>6} {number(report.per_student):>7} {number(report.share):>6} "
                 f"{report.visits:>5}")
    lines.append("")
    lines.append(t("report.teachers_reading", loans=report.teacher_loans,
                   people=report.teacher_borrowers))
    lines.append(t("report.last_year", this=report.this_year_total,
                   last=report.last_year_total, change=number(report.change)))
    lines.append(t("report.visits_line", visits=report.visits, readers=report.readers))
    if report.top_titles:
        lines.append(t("report.top_titles"))
        for i, top in enumerate(report.top_titles, start=1):
            lines.append(f"  {i:>2}. {top.title} – {top.author} ({top.loans})")
    return lines


def reading_document(context: KioskContext, report: ReadingReport, base: Path,
                     formats: Sequence[str], t: Tr) -> list[Path]:
    """The reading report as Excel and/or PDF, with a bar per class and a line per month."""
    doc = _doc(context, base, formats, t, t("report.reading_title"),
               [t("export.period", start=format_date(report.start),
                  end=format_date(report.end))], t("report.reading_sheet"))
    months = [month_label(m) for m in report.months]
    doc.section([Col(t("export.col_class"), 8), Col(t("report.col_students"), 8, "number")]
                + [Col(m, 8, "number") for m in months]
                + [Col(t("report.col_total"), 8, "number"),
                   Col(t("report.col_per_student"), 9, "decimal"),
                   Col(t("report.col_borrowers"), 9, "number"),
                   Col(t("report.col_share"), 9, "percent"),
                   Col(t("report.col_visits"), 8, "number"),
                   Col(t("report.col_readers"), 9, "number")],
                heading=t("report.reading_by_class"))
    current_grade = None
    for c in report.classes:
        if c.grade != current_grade and current_grade is not None:
            grade = next(g for g in report.grades if g.grade == current_grade)
            doc.row([t("report.grade_total", grade=current_grade), grade.students,
                     *[None] * len(months), grade.loans, grade.per_student, grade.borrowers,
                     grade.share, None, None], bold=True)
        current_grade = c.grade
        doc.row([c.class_name, c.students, *c.by_month, c.total, c.per_student, c.borrowers,
                 c.share, c.visits, c.readers])
    if current_grade is not None:
        grade = next(g for g in report.grades if g.grade == current_grade)
        doc.row([t("report.grade_total", grade=current_grade), grade.students,
                 *[None] * len(months), grade.loans, grade.per_student, grade.borrowers,
                 grade.share, None, None], bold=True)
    doc.row([t("report.school_total"), report.students, *report.by_month, report.total,
             report.per_student, report.borrowers, report.share, report.visits,
             report.readers], bold=True)
    doc.row([t("report.teachers_row"), None, *report.teacher_by_month, report.teacher_loans,
             None, report.teacher_borrowers, None, None, None])
    doc.note(t("report.last_year", this=report.this_year_total, last=report.last_year_total,
               change=number(report.change)))
    doc.note(t("report.reading_legend"))
    if report.classes and "pdf" in formats:
        doc.drawing(bar_chart(t("report.chart_classes"), [c.class_name for c in report.classes],
                              [[c.total for c in report.classes]], [t("report.col_total")]))
        if len(months) > 1:
            doc.drawing(line_chart(
                t("report.chart_months_reading"), months,
                [[a + b for a, b in zip(report.by_month, report.teacher_by_month)],
                 report.last_year_by_month],
                [t("report.this_year"), t("report.last_year_short")]))
    doc.section([Col(t("report.col_month"), 10)]
                + [Col(t("report.col_visits"), 10, "number"),
                   Col(t("report.col_readers"), 10, "number"),
                   Col(t("report.col_loans_home"), 12, "number"),
                   Col(t("report.col_last_year"), 12, "number")],
                heading=t("report.by_month"), sheet=t("report.by_month_sheet"))
    for i, m in enumerate(months):
        doc.row([m, report.visits_by_month[i], report.readers_by_month[i],
                 report.by_month[i] + report.teacher_by_month[i],
                 report.last_year_by_month[i] if i < len(report.last_year_by_month) else None])
    doc.section([Col(t("report.col_no"), 5, "number"), Col(t("export.col_book_title"), 40),
                 Col(t("export.col_author"), 24), Col(t("report.col_loans"), 10, "number")],
                heading=t("report.top_titles"), sheet=t("report.top_sheet"))
    for i, top in enumerate(report.top_titles, start=1):
        doc.row([i, top.title, top.author, top.loans])
    doc.section([Col(t("export.col_store"), 24), Col(t("report.col_loans"), 10, "number")],
                heading=t("report.by_store"), sheet=t("report.store_sheet"))
    for store, count in sorted(report.stores.items()):
        doc.row([store, count])
    return _close(context, doc, t, ("librarian", "principal"))


# -- declarations ---------------------------------------------------------------------------
def declarations_table(report: DeclarationsReport, t: Tr) -> list[str]:
    """The declarations report as terminal lines."""
    lines = [t("report.declarations_title"),
             t("export.period", start=format_date(report.start), end=format_date(report.end)),
             "", f"{t('report.col_kind_group'):<30} {t('report.col_declared'):>8} "
                 f"{t('report.col_sent'):>8} {t('report.col_pending'):>8} "
                 f"{t('report.col_dead'):>8}"]
    for g in report.groups:
        name = f"{t('report.kind_' + g.kind)}: {g.name or '—'}"
        lines.append(f"{name[:30]:<30} {g.declared:>8} {g.sent:>8} {g.pending:>8} {g.dead:>8}")
    lines.append(f"{t('report.school_total'):<30} {report.total('declared'):>8} "
                 f"{report.total('sent'):>8} {report.total('pending'):>8} "
                 f"{report.total('dead'):>8}")
    for r in report.refused[:50]:
        lines.append(t("report.refused_line", code=r.code, name=r.name, reason=r.reason))
    lines.append(t("report.incomplete_line", books=report.incomplete_books,
                   equipment=report.incomplete_equipment))
    for item in report.incomplete[:50]:
        lines.append(f"  {item.code:<16} {item.name[:40]:<40} "
                     + ", ".join(t(f"report.missing_{m}") for m in item.missing))
    return lines


def declarations_document(context: KioskContext, report: DeclarationsReport, base: Path,
                          formats: Sequence[str], t: Tr) -> list[Path]:
    """The declarations report as Excel and/or PDF."""
    doc = _doc(context, base, formats, t, t("report.declarations_title"),
               [t("export.period", start=format_date(report.start),
                  end=format_date(report.end))], t("report.declarations_sheet"))
    doc.section([Col(t("report.col_kind"), 12), Col(t("report.col_store_group"), 26),
                 Col(t("report.col_declared"), 10, "number"),
                 Col(t("report.col_sent"), 10, "number"),
                 Col(t("report.col_pending"), 10, "number"),
                 Col(t("report.col_dead"), 10, "number")])
    for g in report.groups:
        doc.row([t(f"report.kind_{g.kind}"), g.name, g.declared, g.sent, g.pending, g.dead])
    doc.row(["", t("report.school_total"), report.total("declared"), report.total("sent"),
             report.total("pending"), report.total("dead")], bold=True)
    doc.section([Col(t("report.col_code"), 16), Col(t("report.col_name"), 34),
                 Col(t("report.col_reason"), 40)], heading=t("report.refused_title"),
                sheet=t("report.refused_sheet"))
    for r in report.refused:
        doc.row([r.code, r.name, r.reason])
    doc.section([Col(t("report.col_kind"), 12), Col(t("report.col_code"), 16),
                 Col(t("report.col_name"), 34), Col(t("report.col_missing"), 40)],
                heading=t("report.incomplete_title", books=report.incomplete_books,
                          equipment=report.incomplete_equipment),
                sheet=t("report.incomplete_sheet"))
    for item in report.incomplete:
        doc.row([t(f"report.kind_{item.kind}"), item.code, item.name,
                 ", ".join(t(f"report.missing_{m}") for m in item.missing)])
    return _close(context, doc, t, ("librarian", "equipment_staff", "principal"))
