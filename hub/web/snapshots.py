"""What a school sends in answer to a district request: the figures as a plain table (kept as
sent, so the district sees what the principal saw even if records arrive later)."""
from __future__ import annotations

from datetime import date

from hub.i18n import t
from hub.web import figures, xlsx


def table(kind: str, school, school_year: str, term: str, lang: str = "vi") -> dict:
    """{"columns": [...], "rows": [[...], ...]} for a request's kind."""
    if kind == "usage_subjects":
        report = figures.usage_by_subject([school.id], school_year, term)
        columns = [t("hub.col.subject", lang),
                   *[t("hub.col.grade_n", lang, grade=g or "?") for g in report["grades"]],
                   t("hub.col.total", lang)]
        rows = [[r["subject"], *r["cells"], r["total"]] for r in report["rows"]]
        rows.append([t("hub.col.total", lang), *report["totals"], report["total"]])
    elif kind == "usage":
        report = figures.usage_report(school, school_year, term)
        columns = [t("hub.col.group", lang), t("hub.col.teacher", lang),
                   t("hub.col.required", lang), t("hub.col.recorded", lang),
                   t("hub.col.percent", lang)]
        rows = [[g["group"], u.name, u.required, u.recorded, u.percent]
                for g in report["groups"] for u in g["teachers"]]
        rows.append([t("hub.common.total_school", lang), "", report["required"],
                     report["recorded"], report["percent"]])
    elif kind == "reading":
        report = figures.reading_report(school, school_year)
        columns = [t("hub.col.class", lang), t("hub.col.students", lang),
                   t("hub.col.total", lang), t("hub.col.per_student", lang),
                   t("hub.col.visits", lang), t("hub.col.readers", lang)]
        rows = [[r["class"], r["students"], r["total"], r["per_student"], r["visits"],
                 r["readers"]] for r in report["rows"]]
    elif kind == "declarations":
        s = figures.declarations_by_school([school], school_year)[0]
        columns = [t("hub.col.declared", lang), t("hub.col.forwarded", lang),
                   t("hub.col.waiting", lang), t("hub.col.incomplete", lang)]
        rows = [[s["declared"], s["forwarded"], s["waiting"], s["incomplete"]]]
    else:  # overdue
        loans = figures.overdue_loans(school, date.today())
        columns = [t("hub.col.patron", lang), t("hub.col.class", lang), t("hub.col.item", lang),
                   t("hub.col.due", lang), t("hub.col.days_late", lang)]
        rows = [[x["patron_name"], x["patron_class"], x["item_name"],
                 x["due_date"].strftime("%d/%m/%Y"), x["days"]] for x in loans]
    return {"columns": columns, "rows": rows}


def table_xlsx(school, request, snapshot: dict, lang: str) -> bytes:
    """The answer as sent, as an .xlsx."""
    book = xlsx.workbook()
    sheet = xlsx.Sheet(book, t("hub.requests.sheet", lang))
    sheet.widths([30] + [12] * (len(snapshot.get("columns", [])) - 1))
    xlsx.header(sheet, school.name, request.title.upper(),
                t("hub.common.period", lang, year=request.school_year,
                  term=t(f"hub.term.{request.term}", lang)), lang)
    sheet.row(snapshot.get("columns", []), bold=True)
    for row in snapshot.get("rows", []):
        sheet.row(row)
    return xlsx.to_bytes(book)
