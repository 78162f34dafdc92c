"""The desk's pages: thin views over desk.statistics, desk.queues, desk.cases, desk.imports,
desk.agency_check and desk.labour_market (forms in desk/forms.py). An officers' page sends an anonymous
visitor to sign in and answers a signed-in non-officer 403; the public's pages share their throttles with
the API (portal.throttling.over_limit)."""

from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import AuditEntry
from accounts.permissions import officer_only
from accounts.phones import masked
from candidates import services as candidate_services
from candidates.models import Placement
from desk import agency_check, cases, exports, imports, labour_market, queues, services, statistics
from desk.api import StatisticsRateThrottle
from desk.forms import (
    AgencyCheckForm,
    AuditFilter,
    BrokerReportForm,
    CaseMoveForm,
    FollowForm,
    ImportForm,
    LogFilter,
    MonthForm,
    PeriodForm,
    ReportForm,
    TargetsForm,
    TrainingImportForm,
)
from desk.models import Case, ImportJob, MonthlyReport, Target
from jobs import services as job_services
from jobs.models import Commune, Organisation, Vacancy
from jobs.permissions import member_or_404
from notifications import services as notifications
from notifications.models import Message
from portal.pages import show_errors
from portal.throttling import over_limit
from search.forms import SearchForm
from search.selectors import zero_results_by_week
from search.services import ZERO_RESULT_RETENTION

# --- The dashboard, its files, targets and monthly reports (figures from desk/statistics.py) ----------

TOO_MANY_FIGURES = gettext_lazy("Too many requests for figures in a short time; please wait a minute.")


def _period(request):
    form = PeriodForm(request.GET)
    return form, (form.period() if form.is_valid() else None)


def _query(period: statistics.Period, **more) -> str:
    return urlencode({"year": period.year, "as_of": period.as_of.isoformat(), **more})


@officer_only
def dashboard(request):
    form, period = _period(request)
    if period is None:
        return render(request, "desk/dashboard.html", {"form": form}, status=400)
    if over_limit(request, [StatisticsRateThrottle]):
        return render(request, "desk/dashboard.html", {"form": form, "error": TOO_MANY_FIGURES}, status=429)
    board = statistics.dashboard(period)
    tables = [
        (table, [(cells, None if link is None else _query(period, **link)) for cells, link in table.lines()])
        for table in board.tables
    ]
    context = {
        "form": form,
        "board": board,
        "tables": tables,
        "query": _query(period),
        "chart": statistics.chart_data(board),
    }
    return render(request, "desk/dashboard.html", context)


@officer_only
def export(request, name: str, kind: str):
    """One table as XLSX or CSV, or every table in one workbook (`all.xlsx`)."""
    form, period = _period(request)
    if period is None:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    if over_limit(request, [StatisticsRateThrottle]):
        return HttpResponse(TOO_MANY_FIGURES, status=429, content_type="text/plain; charset=utf-8")
    board = statistics.dashboard(period)
    if name == "all" and kind == "xlsx":
        tables = board.tables
    elif name in {table.name for table in board.tables}:
        tables = [board.table(name)]
    else:
        raise Http404
    if kind == "xlsx":
        content, content_type = exports.workbook(tables, period), exports.XLSX_TYPE
    else:
        content, content_type = exports.csv_file(tables[0]), exports.CSV_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="viec-lam-{name}-{period.as_of.isoformat()}.{kind}"'
    return response


@officer_only
def placements(request):
    """The confirmed placements behind one figure of the dashboard: no names, nothing personal."""
    form, period = _period(request)
    try:
        behind = statistics.placements_behind(period, request.GET) if period else None
    except ValueError:
        behind = None
    if behind is None:
        return render(request, "desk/placements.html", {"form": form, "invalid": True}, status=400)
    behind = behind.select_related("commune", "occupation", "country", "programme").order_by("-placed_on", "-id")
    page = Paginator(behind, 50).get_page(request.GET.get("page"))
    filters = {name: request.GET[name] for name in [*statistics.BY_NAME, "month"] if request.GET.get(name)}
    context = {"form": form, "period": period, "page": page, "query": _query(period, **filters)}
    return render(request, "desk/placements.html", context)


@officer_only
def targets(request):
    form, period = _period(request)
    if period is None:  # never save to a year the officer did not choose
        return render(request, "desk/targets.html", {"form": form}, status=400)
    year = period.year
    saved = {t.indicator: t.value for t in Target.objects.filter(year=year, commune=None)}
    editor = TargetsForm(request.POST or None, initial={k: statistics.plain(v) for k, v in saved.items()})
    if request.method == "POST" and editor.is_valid():
        try:
            services.targets_set(year=year, values=editor.cleaned_data, by=request.user)
        except ValidationError as error:
            show_errors(editor, error)
        else:
            return redirect(f"{request.path}?year={year}&saved=1")
    status = 400 if editor.errors else 200
    context = {"year": year, "editor": editor, "saved": request.GET.get("saved")}
    return render(request, "desk/targets.html", context, status=status)


@officer_only
def reports(request):
    return render(request, "desk/reports.html", {"reports": MonthlyReport.objects.all()[:36]})


@officer_only
def report_download(request, pk: int):
    report = get_object_or_404(MonthlyReport, pk=pk)
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:  # the row outlived its file (a restored database, a lost volume)
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=report.download_name)


# --- Work queues ----------------------------------------------------------------------------------


def _act(request, item, action, done: str):
    """Run a service for a queue's button. Done: back to the queues. Refused: the queues again, with
    the service's messages next to the item's fields (`item` is e.g. ("vacancy", 12))."""
    try:
        action()
    except ValidationError as error:
        return _queues(request, errors={item: error.messages}, status=400)
    messages.success(request, done)
    return redirect("desk-queues")


@officer_only
def queues_page(request):
    return _queues(request)


def _queues(request, errors: dict | None = None, status: int = 200):
    errors = errors or {}

    def with_errors(kind, items, of=lambda item: item):
        for item in items:
            of(item).desk_errors = errors.get((kind, of(item).pk), [])
        return items

    limit = queues.QUEUE_LENGTH
    placements = queues.placements_shown_to(request.user, limit)
    context = {
        "vacancies": with_errors("vacancy", queues.vacancies_for_review(), of=lambda item: item[0]),
        "organisations": with_errors("organisation", list(queues.organisations_awaiting_verification()[:limit])),
        "licences": with_errors("licence", list(queues.licences_expiring()[:limit])),
        "placements": with_errors(
            "placement", [(p, masked(p.worker.user.phone) if p.worker else "") for p in placements], lambda i: i[0]
        ),
        "cases": queues.open_cases()[:limit],
        "licence_statuses": Organisation.LicenceStatus.choices,
        "licence_days": queues.LICENCE_WARNING_DAYS,
        "sizes": queues.queue_sizes(),
    }
    return render(request, "desk/queues.html", context, status=status)


@require_POST
@officer_only
def organisation_verify(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    approve, note = request.POST.get("approve") == "1", request.POST.get("note", "")
    verify = partial(job_services.organisation_verify, organisation=organisation, by=request.user)
    done = _("Verified.") if approve else _("Rejected.")
    return _act(request, ("organisation", organisation.pk), partial(verify, approve=approve, note=note), done)


@require_POST
@officer_only
def licence_status(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    status, note = request.POST.get("status", ""), request.POST.get("note", "")
    change = partial(job_services.licence_set_status, organisation=organisation, by=request.user)
    done = _("The licence status is saved.")
    return _act(request, ("licence", organisation.pk), partial(change, status=status, note=note), done)


@require_POST
@officer_only
def vacancy_approve(request, pk):
    vacancy = get_object_or_404(Vacancy, pk=pk)
    approve = partial(job_services.vacancy_approve, vacancy=vacancy, by=request.user)
    return _act(request, ("vacancy", vacancy.pk), approve, _("Published."))


@require_POST
@officer_only
def vacancy_reject(request, pk):
    vacancy = get_object_or_404(Vacancy, pk=pk)
    reason = request.POST.get("reason", "")
    reject = partial(job_services.vacancy_reject, vacancy=vacancy, by=request.user, reason=reason)
    return _act(request, ("vacancy", vacancy.pk), reject, _("Rejected."))


@require_POST
@officer_only
def placement_confirm(request, pk):
    placement = get_object_or_404(Placement, pk=pk)
    confirm = partial(candidate_services.placement_confirm, placement=placement, by=request.user)
    return _act(request, ("placement", placement.pk), confirm, _("Confirmed."))


@require_POST
@officer_only
def placements_confirm(request):
    """The ticked placements of the queue, confirmed at once (each counted once)."""
    ids = [int(pk) for pk in request.POST.getlist("placement") if pk.isdigit()]
    count = candidate_services.placements_confirm(ids=ids, by=request.user)
    messages.success(request, _("Confirmed: %(count)s.") % {"count": count})
    return redirect("desk-queues")


# --- Reports and cases ----------------------------------------------------------------------------


def report_page(request, pk=None):
    """Report a vacancy (or an organisation): open to everyone, no JavaScript needed."""
    vacancy_id = pk or request.GET.get("vacancy") or request.POST.get("vacancy")
    organisation_id = request.GET.get("organisation") or request.POST.get("organisation")
    vacancy = organisation = None
    if vacancy_id and str(vacancy_id).isdigit():
        vacancy = cases.reportable_vacancies().select_related("organisation").filter(pk=vacancy_id).first()
    elif organisation_id and str(organisation_id).isdigit():
        organisation = cases.reportable_organisations().filter(pk=organisation_id).first()
    if vacancy is None and organisation is None:
        raise Http404
    form = ReportForm(request.POST or None)
    throttled = False
    if request.method == "POST" and form.is_valid():
        throttled = not cases.ReportThrottle().allow_request(request, None)
        if throttled:
            form.add_error(None, _("You have sent many reports; please try again later."))
        else:
            try:
                case = cases.case_report(
                    vacancy=vacancy, organisation=organisation, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                return render(request, "desk/report_done.html", {"case": case})
    context = {"form": form, "vacancy": vacancy, "organisation": organisation}
    return render(request, "desk/report.html", context, status=429 if throttled else 400 if form.errors else 200)


@officer_only
def cases_page(request):
    status = request.GET.get("status", "")
    found = Case.objects.select_related("vacancy", "organisation").order_by("-created_at")
    if status in Case.Status.values:
        found = found.filter(status=status)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "desk/cases.html", {"page": page, "status": status, "statuses": Case.Status.choices})


@officer_only
def case_page(request, pk):
    case = queues.case_shown_to(request.user, pk)
    form = CaseMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            cases.case_move(case=case, by=request.user, sanction=cases.sanction_of(data), **data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The case is updated."))
            return redirect("desk-case", pk=case.pk)
    choices = cases.CASE_FLOW.actions(case.status)
    form.fields["status"].choices = [(v, label) for v, label in Case.Status.choices if v in choices]
    return render(
        request,
        "desk/case.html",
        {"case": case, "form": form, "final": not choices},
        status=400 if form.errors else 200,
    )


# --- Imports --------------------------------------------------------------------------------------


def _import_started(request, form) -> ImportJob | None:
    """The uploaded file's import, started; None with the service's errors on the form."""
    try:
        return imports.import_upload(by=request.user, **form.cleaned_data)
    except ValidationError as error:
        show_errors(form, error)
        return None


def _template(kind: str, fmt: str, kinds) -> HttpResponse:
    """An import's template to fill in, as CSV or XLSX, for the kinds the page offers."""
    if kind not in kinds or fmt not in ("csv", "xlsx"):
        raise Http404
    content_type = exports.CSV_TYPE if fmt == "csv" else exports.XLSX_TYPE
    response = HttpResponse(imports.template_file(kind, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.{fmt}"'
    return response


@officer_only
def imports_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and (job := _import_started(request, form)):
        return redirect("desk-import", pk=job.pk)
    jobs = ImportJob.objects.defer("content").select_related("created_by")[:30]
    return render(
        request,
        "desk/imports.html",
        {"form": form, "jobs": jobs, "kinds": ImportJob.Kind.choices, "columns": imports.COLUMNS},
        status=400 if form.errors else 200,
    )


@officer_only
def import_page(request, pk):
    kept = ExpressionWrapper(Q(content__isnull=False), output_field=BooleanField())  # without decrypting it
    job = get_object_or_404(ImportJob.objects.defer("content").annotate(file_kept=kept), pk=pk)
    if request.method == "POST":
        try:
            job = imports.import_valid_rows(job=job, by=request.user)
        except ValidationError as error:  # a second click, say: show the import of the valid rows
            messages.error(request, " ".join(error.messages))
            job.refresh_from_db(fields=["superseded_by"])
            return redirect("desk-import", pk=job.superseded_by_id or job.pk)
        return redirect("desk-import", pk=job.pk)
    imported = imports.imported_so_far(job)
    valid_rows = job.total_rows - job.invalid_rows
    importing = int(100 * imported / valid_rows) if valid_rows else 0
    context = {"job": job, "imported": imported, "importing": importing, "shown": job.errors[:REPORT_ON_PAGE]}
    return render(request, "desk/import.html", context)


REPORT_ON_PAGE = 500  # beyond this, the page says so and offers the whole report as a file


@officer_only
def import_report(request, pk):
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=pk)
    with translation.override("vi"):
        header = [_("Row"), _("Column"), _("Problem")]
    rows = ([entry["row"], entry["field"], entry["message"]] for entry in job.errors)
    response = HttpResponse(exports.csv_bytes(header, rows), content_type=exports.CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-nhap-{job.pk}.csv"'
    return response


@officer_only
def import_template(request, kind, fmt):
    return _template(kind, fmt, ImportJob.Kind.values)


# --- A training institution's own imports of enrolment and completion lists (training's pages link here) ---


@login_required
def org_import(request, org):
    organisation = get_object_or_404(Organisation, pk=org)
    member_or_404(request.user, organisation)
    form = TrainingImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and (job := _import_started(request, form)):
        return redirect("org-import-status", pk=job.pk)
    columns = {kind: imports.COLUMNS[kind] for kind in imports.TRAINING_KINDS}
    context = {"organisation": organisation, "form": form, "columns": columns}
    return render(request, "training/org_import.html", context, status=400 if form.errors else 200)


@login_required
def org_import_status(request, pk):
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=pk, created_by=request.user)
    return render(request, "training/org_import_status.html", {"job": job})


@login_required
def org_import_template(request, kind, fmt):
    return _template(kind, fmt, imports.TRAINING_KINDS)


# --- Audit log ------------------------------------------------------------------------------------


@officer_only
def audit_page(request):
    form = AuditFilter(request.GET or None)
    entries = AuditEntry.objects.select_related("actor", "subject").order_by("-at", "-id")
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor__username__iexact=data["actor"].strip())
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["text"]:
            entries = entries.filter(detail__icontains=data["text"])
        if data["since"]:
            entries = entries.filter(at__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(at__date__lte=data["until"])
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "desk/audit.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


# --- Safe work abroad, for everyone without signing in (desk.agency_check, desk.cases) ------------


def agency_check_page(request):
    form = AgencyCheckForm(request.GET or None)
    result, status = None, 200
    if form.is_bound and form.is_valid():
        if over_limit(request, [agency_check.AgencyCheckThrottle]):
            form.add_error(None, _("You have made many checks; please try again later."))
            status = 429
        else:
            result = agency_check.agency_check(form.cleaned_data["q"])
            result["message"] = agency_check.verdict(result)
    elif form.is_bound:
        status = 400
    return render(request, "desk/agency_check.html", {"form": form, "result": result}, status=status)


def broker_report_page(request):
    form = BrokerReportForm(request.POST or None, initial={"broker_name": request.GET.get("name", "")[:200]})
    status = 200
    if request.method == "POST" and form.is_valid():
        if over_limit(request, [cases.ReportThrottle]):
            form.add_error(None, _("You have sent many reports; please try again later."))
            status = 429
        else:
            try:
                case = cases.case_report(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                return render(request, "desk/report_done.html", {"case": case})
    if form.errors and status == 200:
        status = 400
    return render(request, "desk/broker_report.html", {"form": form}, status=status)


def follow_page(request):
    """POST, so the code stays out of addresses, history and logs."""
    form = FollowForm(request.POST or None)
    followed, status = None, 200
    if request.method == "POST" and form.is_valid():
        if over_limit(request, [cases.FollowThrottle]):
            form.add_error(None, _("You have made many checks; please try again later."))
            status = 429
        elif (case := cases.case_follow(form.cleaned_data["code"])) is None:
            form.add_error("code", _("No report has this code. Check it and try again."))
            status = 404
        else:
            followed = cases.followed_case(case)
    elif form.errors:
        status = 400
    return render(request, "desk/follow.html", {"form": form, "case": followed}, status=status)


# --- Labour-market information for anyone (figures from desk/labour_market.py) --------------------


def _checked(request):
    """The month asked for, or the page to answer with instead (400 with the message by the field, 429)."""
    form = MonthForm(request.GET)
    if not form.is_valid():
        return form, render(request, "desk/labour_market.html", {"form": form}, status=400)
    if over_limit(request, [StatisticsRateThrottle]):
        return form, render(request, "desk/labour_market.html", {"form": form, "error": TOO_MANY_FIGURES}, status=429)
    return form, None


def labour_market_page(request):
    form, refused = _checked(request)
    if refused:
        return refused
    period = form.period()
    tables = [(table, chart(table)) for table in labour_market.published_tables(period)]
    context = {"form": form, "tables": tables, "period": period, "threshold": statistics.SMALL_CELL}
    return render(request, "desk/labour_market.html", context)


def labour_market_workbook(request):
    """The page's tables as one XLSX file, cell for cell."""
    form, refused = _checked(request)
    if refused:
        return refused
    period = form.period()
    response = HttpResponse(
        exports.workbook(labour_market.published_tables(period), period), content_type=exports.XLSX_TYPE
    )
    name = f"thi-truong-lao-dong-{period.as_of:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Charts: SVG drawn on the server (no script, nothing inline for the content policy to refuse) -------

BAR_ROW, LABEL_WIDTH, BAR_WIDTH = 22, 230, 300  # user units of the SVG's viewBox


CHARTED = {"lmi_months": [1, 4]}  # the columns each chart draws: by default the table's first figures


def chart(table: statistics.Table) -> dict:
    """Horizontal bars of a table's counts, one group per row; a hidden cell has no bar and says so."""
    columns = CHARTED.get(table.name, [1, 2] if table.name.startswith("lmi_supply") else [1])
    values = [cells[c] for cells in table.rows for c in columns if isinstance(cells[c], int)]
    top = max(values, default=0) or 1
    rows, y = [], 0
    for cells in table.rows:
        bars = []
        for series, column in enumerate(columns):
            value = cells[column]
            width = round(BAR_WIDTH * value / top, 1) if isinstance(value, int) else 0
            bar = {"y": y, "text_y": y + 15, "text_x": LABEL_WIDTH + width + 6, "series": series, "width": width}
            bars.append(bar | {"value": value})
            y += BAR_ROW
        rows.append({"label": cells[0], "text_y": bars[0]["text_y"], "bars": bars})
        y += 8
    return {
        "rows": rows,
        "height": max(y, BAR_ROW),
        "legend": [table.headers[c] for c in columns],
        "bar_x": LABEL_WIDTH,
        "width": LABEL_WIDTH + BAR_WIDTH + 110,
    }


# --- What people look for and do not find (officers) ------------------------------------------------------


@officer_only
def missed_searches(request):
    labels = {name: field.label for name, field in SearchForm.base_fields.items()}
    weeks = zero_results_by_week()
    codes = {offer["near"] for week in weeks for m in week.missed for offer in m.offers if "near" in offer}
    communes = dict(Commune.objects.filter(code__in=codes).values_list("code", "name"))
    for week in weeks:
        for missed in week.missed:
            for offer in missed.offers:
                if "drop" in offer:
                    label = labels.get(offer["drop"], offer["drop"])
                    offer["text"] = gettext_lazy("Without the filter “%(filter)s”") % {"filter": label}
                else:
                    offer["text"] = gettext_lazy("%(commune)s and the communes nearby (within %(km)s km)") % {
                        "commune": communes.get(offer["near"], offer["near"]),
                        "km": offer["radius_km"],
                    }
    context = {"weeks": weeks, "days": ZERO_RESULT_RETENTION.days}
    return render(request, "desk/missed_searches.html", context)


# --- The messages sent (notifications/): what, to whom (masked), through which channel, at what cost ---


def masked_address(to: str) -> str:
    if "@" in to:
        name, _at, domain = to.partition("@")
        return f"{name[:2]}***@{domain}"
    return masked(to)


@officer_only
def delivery_log(request):
    """Officers: what was sent to whom (masked), through which channel, what the provider answered, and what
    this month's messages cost per channel."""
    form = LogFilter(request.GET or None)
    messages_ = Message.objects.select_related("event").order_by("-created_at", "-id")
    if form.is_valid():
        messages_ = messages_.filter(**{name: value for name, value in form.cleaned_data.items() if value})
    page = Paginator(messages_, 50).get_page(request.GET.get("page"))
    for message in page:
        message.shown_to = masked_address(message.to)
    month = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "costs": notifications.costs(since=month),
        "month": month,
    }
    return render(request, "notifications/delivery_log.html", context, status=400 if form.errors else 200)
