"""Each report as an .xlsx, in the layout of the page (and of the kiosk's own reports)."""
from __future__ import annotations

from hub.i18n import t
from hub.web import xlsx


def _month(m) -> str:
    return f"{m.month:02d}/{m.year}"


def usage_xlsx(school, report: dict, school_year: str, term: str, lang: str) -> bytes:
    """Per tổ and teacher: required, recorded, percent, by month; totals per tổ and school."""
    book = xlsx.workbook()
    sheet = xlsx.Sheet(book, t("hub.usage.sheet", lang))
    months = report["months"]
    sheet.widths([6, 14, 30, 12, 12, 10] + [8] * len(months))
    xlsx.header(sheet, school.name, t("hub.usage.title", lang).upper(),
                t("hub.common.period", lang, year=school_year, term=_term(term, lang)), lang)
    sheet.row([t("hub.col.no", lang), t("hub.col.teacher_code", lang), t("hub.col.teacher", lang),
               t("hub.col.required", lang), t("hub.col.recorded", lang),
               t("hub.col.percent", lang), *map(_month, months)], bold=True)
    for group in report["groups"]:
        sheet.row([t("hub.col.group", lang) + ": " + (group["group"] or t("hub.usage.no_group",
                                                                          lang))], bold=True)
        for n, use in enumerate(group["teachers"], start=1):
            sheet.row([n, use.code, use.name, use.required, use.recorded, use.percent,
                       *[use.by_month.get(m, 0) for m in months]])
        sheet.row(["", "", t("hub.common.total_group", lang), group["required"],
                   group["recorded"], group["percent"],
                   *[group["by_month"][m] for m in months]], bold=True)
    sheet.row(["", "", t("hub.common.total_school", lang), report["required"],
               report["recorded"], report["percent"]], bold=True)
    return xlsx.to_bytes(book)


def subjects_xlsx(unit: str, report: dict, school_year: str, term: str, lang: str) -> bytes:
    """"Thống kê số tiết sử dụng thiết bị": subjects down, grades across."""
    book = xlsx.workbook()
    sheet = xlsx.Sheet(book, t("hub.subjects.sheet", lang))
    sheet.widths([6, 30] + [10] * (len(report["grades"]) + 1))
    xlsx.header(sheet, unit, t("hub.subjects.title", lang).upper(),
                t("hub.common.period", lang, year=school_year, term=_term(term, lang)), lang)
    sheet.row([t("hub.col.no", lang), t("hub.col.subject", lang),
               *[t("hub.col.grade_n", lang, grade=g or "?") for g in report["grades"]],
               t("hub.col.total", lang)], bold=True)
    for n, row in enumerate(report["rows"], start=1):
        sheet.row([n, row["subject"], *row["cells"], row["total"]])
    sheet.row(["", t("hub.col.total", lang), *report["totals"], report["total"]], bold=True)
    return xlsx.to_bytes(book)


def reading_xlsx(school, report: dict, school_year: str, lang: str) -> bytes:
    """Loans to take home per class and month, per student; class visits and readers. Then a
    sheet of loans per student by class and month, and one of class visits by class and
    month (readers beside each month)."""
    book = xlsx.workbook()
    sheet = xlsx.Sheet(book, t("hub.reading.sheet", lang))
    months = report["months"]
    sheet.widths([10, 10] + [8] * len(months) + [10, 12, 10, 10])
    xlsx.header(sheet, school.name, t("hub.reading.title", lang).upper(),
                t("hub.common.year", lang, year=school_year), lang)
    sheet.row([t("hub.col.class", lang), t("hub.col.students", lang), *map(_month, months),
               t("hub.col.total", lang), t("hub.col.per_student", lang),
               t("hub.col.visits", lang), t("hub.col.readers", lang)], bold=True)
    for row in report["rows"]:
        sheet.row([row["class"], row["students"], *row["months"], row["total"],
                   row["per_student"], row["visits"], row["readers"]])
    sheet.row([t("hub.col.total", lang), report["students"], *report["by_month"],
               report["total"], report["per_student"], report["visits"], report["readers"]],
              bold=True)

    per = xlsx.Sheet(book, t("hub.reading.sheet_per_student", lang))
    per.widths([10, 10] + [8] * len(months) + [12])
    xlsx.header(per, school.name, t("hub.reading.view.per_student", lang).upper(),
                t("hub.common.year", lang, year=school_year), lang)
    per.row([t("hub.col.class", lang), t("hub.col.students", lang), *map(_month, months),
             t("hub.col.per_student", lang)], bold=True)
    for row in report["rows"]:
        per.row([row["class"], row["students"], *row["per_student_months"],
                 row["per_student"]])
    per.row([t("hub.col.total", lang), report["students"], *report["per_student_by_month"],
             report["per_student"]], bold=True)

    visits = xlsx.Sheet(book, t("hub.reading.sheet_visits", lang))
    visits.widths([10] + [8] * (2 * len(months)) + [10, 10])
    xlsx.header(visits, school.name, t("hub.reading.view.visits", lang).upper(),
                t("hub.common.year", lang, year=school_year), lang)
    visits.row([t("hub.col.class", lang),
                *[f"{_month(m)} {t(k, lang)}" for m in months
                  for k in ("hub.col.visits_short", "hub.col.readers_short")],
                t("hub.col.visits", lang), t("hub.col.readers", lang)], bold=True)
    for row in report["rows"]:
        visits.row([row["class"], *[n for pair in row["visit_months"] for n in pair],
                    row["visits"], row["readers"]])
    visits.row([t("hub.col.total", lang),
                *[n for pair in zip(report["visits_by_month"], report["readers_by_month"])
                  for n in pair], report["visits"], report["readers"]], bold=True)
    return xlsx.to_bytes(book)


def missed_xlsx(school, report: dict, school_year: str, lang: str) -> bytes:
    """Planned lessons needing equipment never recorded, class by class."""
    book = xlsx.workbook()
    sheet = xlsx.Sheet(book, t("hub.missed.sheet", lang))
    sheet.widths([8, 16, 8, 8, 12, 40, 40, 24])
    xlsx.header(sheet, school.name, t("hub.missed.title", lang).upper(),
                t("hub.common.year", lang, year=school_year), lang)
    sheet.row([t("hub.col.class", lang), t("hub.col.subject", lang), t("hub.col.ppct", lang),
               t("hub.col.week", lang), t("hub.col.week_starts", lang),
               t("hub.col.lesson", lang), t("hub.col.equipment_needed", lang),
               t("hub.col.teacher", lang)], bold=True)
    for m in report["missed"]:
        sheet.row([m.class_name, m.subject, m.ppct, m.week, m.week_starts, m.title,
                   m.equipment, m.teacher])
    return xlsx.to_bytes(book)


def declarations_xlsx(school, report: dict, school_year: str, lang: str) -> bytes:
    """Counts by store or group, then every incomplete item with what it lacks."""
    book = xlsx.workbook()
    sheet = xlsx.Sheet(book, t("hub.declarations.sheet", lang))
    sheet.widths([16, 40, 20, 14, 30])
    xlsx.header(sheet, school.name, t("hub.declarations.title", lang).upper(),
                t("hub.common.year", lang, year=school_year), lang)
    sheet.row([t("hub.col.kind", lang), t("hub.col.group_store", lang),
               t("hub.col.declared", lang), t("hub.col.incomplete", lang)], bold=True)
    for row in report["groups"]:
        sheet.row([row["item_kind"], row["group"], row["declared"], row["incomplete"]])
    sheet.row([])
    sheet.row([t("hub.col.code", lang), t("hub.col.name", lang), t("hub.col.group_store", lang),
               t("hub.col.declared_on", lang), t("hub.col.missing", lang)], bold=True)
    for item in report["incomplete"]:
        sheet.row([item["key"], item["name"], item["group"], item["declared_at"],
                   ", ".join(t(f"hub.field.{f}", lang) for f in item["missing"])])
    return xlsx.to_bytes(book)


def overdue_xlsx(school, loans: list, lang: str) -> bytes:
    """Every overdue loan of a school."""
    book = xlsx.workbook()
    sheet = xlsx.Sheet(book, t("hub.overdue.sheet", lang))
    sheet.widths([14, 28, 8, 16, 36, 10, 12, 8])
    xlsx.header(sheet, school.name, t("hub.overdue.title", lang).upper(), "", lang)
    sheet.row([t("hub.col.patron_code", lang), t("hub.col.patron", lang), t("hub.col.class", lang),
               t("hub.col.code", lang), t("hub.col.item", lang), t("hub.col.outstanding", lang),
               t("hub.col.due", lang), t("hub.col.days_late", lang)], bold=True)
    for loan in loans:
        sheet.row([loan["patron_code"], loan["patron_name"], loan["patron_class"],
                   loan["item_barcode"], loan["item_name"], loan["outstanding"],
                   loan["due_date"], loan["days"]])
    return xlsx.to_bytes(book)


def schools_xlsx(rows: list, lang: str, columns: list[tuple[str, str]], title: str) -> bytes:
    """A district table: one row per school with the given columns (key, heading)."""
    book = xlsx.workbook()
    sheet = xlsx.Sheet(book, title[:31])
    sheet.widths([14, 40] + [14] * len(columns))
    xlsx.header(sheet, t("hub.xlsx.district_unit", lang), title.upper(), "", lang)
    sheet.row([t("hub.col.code", lang), t("hub.col.school", lang), *[h for _, h in columns]],
              bold=True)
    for row in rows:
        sheet.row([row["school"].code, row["school"].name, *[row.get(k) for k, _ in columns]])
    return xlsx.to_bytes(book)


def _term(term: str, lang: str) -> str:
    return t(f"hub.term.{term}", lang)
