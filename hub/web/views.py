"""The pages: district-wide ones (every school, compared) and one school's (the same figures
for that school). Every report page also answers ``?format=xlsx``."""
from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from hub.calendar import VIETNAM, current_school_year, term_of
from hub.i18n import t
from hub.schools.models import School
from hub.web import exports, figures, snapshots
from hub.web.access import district_page, district_wide, may_edit, own_school, school_page
from hub.web.charts import bar_chart, line_chart
from hub.web.models import DistrictRequest, RequestAnswer
from hub.web.xlsx import XLSX_TYPE


def _lang(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "vi")


def _today() -> date:
    return datetime.now(VIETNAM).date()


def _period(request) -> tuple[str, str]:
    year = request.GET.get("year") or current_school_year()
    if len(year) != 9 or not (year[:4].isdigit() and year[5:].isdigit()):
        year = current_school_year()
    term = request.GET.get("term") or term_of(_today()) or "year"
    if term not in ("HK1", "HK2", "year"):
        term = "year"
    return year, term


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _years() -> list[str]:
    current = int(current_school_year()[:4])
    return [f"{y}-{y + 1}" for y in range(current, current - 4, -1)]


def _base(request, **extra) -> dict:
    year, term = _period(request)
    return {"year": year, "term": term, "years": _years(), "terms": ["HK1", "HK2", "year"],
            **extra}


@login_required
def home(request):
    """District staff land on the schools; a principal on their school."""
    if district_wide(request.user):
        return redirect("district_schools")
    school = own_school(request.user)
    if school is None:
        raise Http404("no role")
    return redirect("school_overview", code=school.code)


# -- district-wide -------------------------------------------------------------------------------
@district_page
def district_schools(request):
    """Every school with its kiosks' health, sortable."""
    sort = request.GET.get("sort", "state")
    rows = figures.school_rows(School.objects.all(), timezone.now(), _today(), sort)
    lang = _lang(request)
    if _wants_xlsx(request):
        table = [{"school": r.school, "state": t(f"hub.health.{r.state}", lang),
                  "kiosks": len(r.kiosks), "pending": r.pending, "overdue": r.overdue,
                  "problems": ", ".join(t(f"hub.problem.{p}", lang) for p in r.problems),
                  "seen": r.last_seen.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
                  if r.last_seen else ""} for r in rows]
        cols = [("state", t("hub.col.state", lang)), ("kiosks", t("hub.col.kiosks", lang)),
                ("pending", t("hub.col.pending", lang)), ("seen", t("hub.col.last_seen", lang)),
                ("problems", t("hub.col.problems", lang)), ("overdue", t("hub.col.overdue", lang))]
        return _xlsx(exports.schools_xlsx(table, lang, cols, t("hub.schools.title", lang)),
                     "truong-va-kiosk.xlsx")
    counts = {s: sum(1 for r in rows if r.state == s) for s in ("green", "late", "silent")}
    return render(request, "hub/district_schools.html",
                  _base(request, rows=rows, sort=sort, counts=counts))


@district_page
def district_usage(request):
    """Teachers' use of equipment across schools, and per subject and grade."""
    year, term = _period(request)
    lang = _lang(request)
    schools = list(School.objects.all())
    rows = figures.usage_by_school(schools, year, term)
    subjects = figures.usage_by_subject([s.id for s in schools], year, term)
    if _wants_xlsx(request):
        if request.GET.get("table") == "subjects":
            return _xlsx(exports.subjects_xlsx(t("hub.xlsx.district_unit", lang), subjects, year,
                                               term, lang), f"so-tiet-thiet-bi-{year}-{term}.xlsx")
        cols = [("teachers", t("hub.col.teachers", lang)),
                ("required", t("hub.col.required", lang)),
                ("recorded", t("hub.col.recorded", lang)), ("percent", t("hub.col.percent", lang))]
        return _xlsx(exports.schools_xlsx(rows, lang, cols, t("hub.usage.title", lang)),
                     f"su-dung-thiet-bi-{year}-{term}.xlsx")
    ranked = sorted(rows, key=lambda r: -(r["recorded"]))
    chart = bar_chart(t("hub.usage.chart_schools", lang), [r["school"].name for r in ranked],
                      [r["recorded"] for r in ranked])
    return render(request, "hub/district_usage.html",
                  _base(request, rows=rows, subjects=subjects, chart=chart))


@district_page
def district_reading(request):
    """Reading culture across schools: loans per student, class visits, the year by month."""
    year, _ = _period(request)
    lang = _lang(request)
    schools = list(School.objects.all())
    rows = figures.reading_by_school(schools, year)
    if _wants_xlsx(request):
        cols = [("loans", t("hub.col.loans", lang)), ("students", t("hub.col.students", lang)),
                ("per_student", t("hub.col.per_student", lang)),
                ("visits", t("hub.col.visits", lang)), ("readers", t("hub.col.readers", lang))]
        return _xlsx(exports.schools_xlsx(rows, lang, cols, t("hub.reading.title", lang)),
                     f"van-hoa-doc-{year}.xlsx")
    ranked = sorted(rows, key=lambda r: -(r["per_student"] or 0))
    chart = bar_chart(t("hub.reading.chart_schools", lang), [r["school"].name for r in ranked],
                      [r["per_student"] or 0 for r in ranked])
    months, values = figures.reading_months_district(schools, year)
    line = line_chart(t("hub.reading.chart_months", lang), [m.strftime("%m") for m in months],
                      [(t("hub.col.loans", lang), values)])
    return render(request, "hub/district_reading.html",
                  _base(request, rows=rows, chart=chart, line=line))


@district_page
def district_declarations(request):
    """Declarations per school: declared, sent on, waiting, withdrawn, incomplete."""
    year, _ = _period(request)
    lang = _lang(request)
    rows = figures.declarations_by_school(list(School.objects.all()), year)
    if _wants_xlsx(request):
        cols = [("declared", t("hub.col.declared", lang)),
                ("forwarded", t("hub.col.forwarded", lang)),
                ("waiting", t("hub.col.waiting", lang)),
                ("withdrawn", t("hub.col.withdrawn", lang)),
                ("incomplete", t("hub.col.incomplete", lang))]
        return _xlsx(exports.schools_xlsx(rows, lang, cols, t("hub.declarations.title", lang)),
                     f"ke-khai-{year}.xlsx")
    return render(request, "hub/district_declarations.html", _base(request, rows=rows))


@district_page
def district_overdue(request):
    """Overdue loans per school."""
    lang = _lang(request)
    rows = figures.overdue_by_school(list(School.objects.all()), _today())
    if _wants_xlsx(request):
        cols = [("book", t("hub.col.books", lang)), ("equipment", t("hub.col.equipment", lang)),
                ("total", t("hub.col.total", lang))]
        return _xlsx(exports.schools_xlsx(rows, lang, cols, t("hub.overdue.title", lang)),
                     "qua-han.xlsx")
    ranked = sorted((r for r in rows if r["total"]), key=lambda r: -r["total"])[:30]
    chart = bar_chart(t("hub.overdue.chart", lang), [r["school"].name for r in ranked],
                      [r["total"] for r in ranked])
    return render(request, "hub/district_overdue.html", _base(request, rows=rows, chart=chart))


@district_page
def district_requests(request):
    """The district's requests; district staff create one here (it goes to every school)."""
    if request.method == "POST":
        if not may_edit(request.user):
            raise Http404("read-only")
        form = request.POST
        try:
            due = datetime.strptime(form.get("due_on", ""), "%Y-%m-%d").date()
        except ValueError:
            due = None
        title = (form.get("title") or "").strip()
        kind = form.get("kind", "usage_subjects")
        term = form.get("term", "HK1")
        year = form.get("school_year") or current_school_year()
        if not title or due is None or kind not in dict(DistrictRequest.KINDS) or \
                term not in dict(DistrictRequest.TERMS):
            messages.error(request, t("hub.requests.form_error", _lang(request)))
        else:
            created = DistrictRequest.objects.create(title=title[:300], kind=kind, term=term,
                                                     school_year=year[:9], due_on=due,
                                                     note=form.get("note", "")[:2000],
                                                     created_by=request.user)
            RequestAnswer.objects.bulk_create(
                [RequestAnswer(request=created, school=s) for s in School.objects.all()])
            messages.success(request, t("hub.requests.created", _lang(request)))
            return redirect("district_request", pk=created.pk)
    items = []
    for item in DistrictRequest.objects.all()[:100]:
        states = {s: 0 for s, _ in RequestAnswer.STATES}
        for state in item.answers.values_list("state", flat=True):
            states[state] += 1
        items.append((item, states))
    return render(request, "hub/district_requests.html",
                  _base(request, items=items, kinds=[k for k, _ in DistrictRequest.KINDS],
                        today=_today()))


@district_page
def district_request(request, pk: int):
    """One request: every school's answer; district staff receive or refuse (with a reason)."""
    item = get_object_or_404(DistrictRequest, pk=pk)
    lang = _lang(request)
    if request.method == "POST":
        if not may_edit(request.user):
            raise Http404("read-only")
        answer = get_object_or_404(RequestAnswer, pk=request.POST.get("answer"), request=item)
        action = request.POST.get("action")
        reason = (request.POST.get("reason") or "").strip()
        if answer.state != RequestAnswer.SENT:
            messages.error(request, t("hub.requests.not_sent", lang))
        elif action == "receive" or (action == "refuse" and reason):
            answer.state = RequestAnswer.RECEIVED if action == "receive" else RequestAnswer.REFUSED
            answer.reason = reason[:2000] if action == "refuse" else ""
            answer.reviewed_at, answer.reviewed_by = timezone.now(), request.user
            answer.save()
        else:
            messages.error(request, t("hub.requests.reason_needed", lang))
        return redirect("district_request", pk=item.pk)
    answers = list(item.answers.select_related("school"))
    return render(request, "hub/district_request.html",
                  _base(request, item=item, answers=answers, today=_today()))


@district_page
def district_answer_xlsx(request, pk: int, answer: int):
    """What a school sent, as an .xlsx."""
    found = get_object_or_404(RequestAnswer, pk=answer, request_id=pk)
    if not found.figures:
        raise Http404("nothing sent")
    return _xlsx(snapshots.table_xlsx(found.school, found.request, found.figures, _lang(request)),
                 f"tra-loi-{found.school.code}-{pk}.xlsx")


# -- one school ----------------------------------------------------------------------------------
@school_page
def school_overview(request, school):
    """The school's kiosks and its figures in a few numbers."""
    year, term = _period(request)
    row = figures.school_rows([school], timezone.now(), _today())[0]
    usage = figures.usage_report(school, year, term)
    reading = figures.reading_report(school, year)
    decl = figures.declarations_by_school([school], year)[0]
    open_requests = school.answers.filter(state__in=[RequestAnswer.PENDING,
                                                     RequestAnswer.REFUSED]).count()
    return render(request, "hub/school_overview.html",
                  _base(request, school=school, row=row, usage=usage, reading=reading,
                        decl=decl, open_requests=open_requests))


@school_page
def school_usage(request, school):
    """Teachers' use of equipment against the required periods, by tổ."""
    year, term = _period(request)
    lang = _lang(request)
    report = figures.usage_report(school, year, term)
    if _wants_xlsx(request):
        return _xlsx(exports.usage_xlsx(school, report, year, term, lang),
                     f"su-dung-tbdh-{school.code}-{year}-{term}.xlsx")
    chart = bar_chart(t("hub.usage.chart_groups", lang),
                      [g["group"] or t("hub.usage.no_group", lang) for g in report["groups"]],
                      [g["percent"] or 0 for g in report["groups"]], marker=100,
                      marker_label="100%", unit="%") if report["has_quotas"] else \
        bar_chart(t("hub.usage.chart_groups_count", lang),
                  [g["group"] or t("hub.usage.no_group", lang) for g in report["groups"]],
                  [g["recorded"] for g in report["groups"]])
    return render(request, "hub/school_usage.html",
                  _base(request, school=school, report=report, chart=chart))


@school_page
def school_subjects(request, school):
    """"Thống kê số tiết sử dụng thiết bị" per subject and grade."""
    year, term = _period(request)
    lang = _lang(request)
    report = figures.usage_by_subject([school.id], year, term)
    if _wants_xlsx(request):
        return _xlsx(exports.subjects_xlsx(school.name, report, year, term, lang),
                     f"so-tiet-thiet-bi-{school.code}-{year}-{term}.xlsx")
    return render(request, "hub/school_subjects.html",
                  _base(request, school=school, report=report))


@school_page
def school_reading(request, school):
    """Reading culture: loans per class and month, per student; class visits."""
    year, _ = _period(request)
    lang = _lang(request)
    report = figures.reading_report(school, year)
    if _wants_xlsx(request):
        return _xlsx(exports.reading_xlsx(school, report, year, lang),
                     f"van-hoa-doc-{school.code}-{year}.xlsx")
    chart = bar_chart(t("hub.reading.chart_classes", lang), [r["class"] for r in report["rows"]],
                      [r["per_student"] if r["per_student"] is not None else r["total"]
                       for r in report["rows"]])
    line = line_chart(t("hub.reading.chart_months", lang),
                      [m.strftime("%m") for m in report["months"]],
                      [(t("hub.col.loans", lang), report["by_month"]),
                       (t("hub.col.visits", lang), report["visits_by_month"])])
    view = request.GET.get("view")
    return render(request, "hub/school_reading.html",
                  _base(request, school=school, report=report, chart=chart, line=line,
                        views=READING_VIEWS,
                        view=view if view in READING_VIEWS else READING_VIEWS[0]))


@school_page
def school_missed(request, school):
    """The plan's lessons needing equipment, their week begun, never recorded for a class."""
    year, _ = _period(request)
    lang = _lang(request)
    report = figures.missed_lessons(school, year, _today())
    if _wants_xlsx(request):
        return _xlsx(exports.missed_xlsx(school, report, year, lang),
                     f"tiet-chua-ghi-nhan-{school.code}-{year}.xlsx")
    chart = bar_chart(t("hub.missed.chart", lang), [c for c, _ in report["by_class"]],
                      [n for _, n in report["by_class"]]) if report["by_class"] else ""
    return render(request, "hub/school_missed.html",
                  _base(request, school=school, report=report, chart=chart))


#: What the reading table shows month by month: loans, loans per student, class visits.
READING_VIEWS = ("loans", "per_student", "visits")


@school_page
def school_declarations(request, school):
    """Declarations: by store or group, and the items missing what the registers need."""
    year, _ = _period(request)
    report = figures.declarations_report(school, year)
    if _wants_xlsx(request):
        return _xlsx(exports.declarations_xlsx(school, report, year, _lang(request)),
                     f"ke-khai-{school.code}-{year}.xlsx")
    return render(request, "hub/school_declarations.html",
                  _base(request, school=school, report=report))


@school_page
def school_overdue(request, school):
    """Loans past their due date, most overdue first."""
    loans = figures.overdue_loans(school, _today())
    if _wants_xlsx(request):
        return _xlsx(exports.overdue_xlsx(school, loans, _lang(request)),
                     f"qua-han-{school.code}.xlsx")
    return render(request, "hub/school_overdue.html",
                  _base(request, school=school, loans=loans))


@school_page
def school_requests(request, school):
    """The district's requests to this school and their states."""
    answers = school.answers.select_related("request").order_by("-request__created_at")
    return render(request, "hub/school_requests.html",
                  _base(request, school=school, answers=answers, today=_today()))


@school_page
def school_request(request, school, pk: int):
    """One request: the figures it asks for, pre-filled from the school's records; the
    principal sends them (again, after a refusal)."""
    answer = get_object_or_404(RequestAnswer, request_id=pk, school=school)
    item = answer.request
    lang = _lang(request)
    if request.method == "POST":
        from hub.web.access import role_of

        if role_of(request.user) != "principal" and not may_edit(request.user):
            raise Http404("read-only")
        if answer.state in (RequestAnswer.PENDING, RequestAnswer.REFUSED):
            answer.figures = snapshots.table(item.kind, school, item.school_year, item.term, lang)
            answer.note = (request.POST.get("note") or "")[:2000]
            answer.state, answer.sent_at, answer.sent_by = (RequestAnswer.SENT, timezone.now(),
                                                            request.user)
            answer.save()
            messages.success(request, t("hub.requests.sent", lang))
        return redirect("school_request", code=school.code, pk=pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if _wants_xlsx(request):
        snapshot = answer.figures or snapshots.table(item.kind, school, item.school_year,
                                                     item.term, lang)
        return _xlsx(snapshots.table_xlsx(school, item, snapshot, lang),
                     f"tra-loi-{school.code}-{pk}.xlsx")
    preview = answer.figures or snapshots.table(item.kind, school, item.school_year, item.term,
                                                lang)
    return render(request, "hub/school_request.html",
                  _base(request, school=school, answer=answer, item=item, preview=preview,
                        today=_today()))
