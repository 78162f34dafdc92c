"""Officers' pages for the work queues, cases, imports and the audit log; the public report form; a training
institution's own imports of its enrolment and completion lists.

Thin views: every rule is in a service (jobs, candidates, desk.cases, desk.imports) or a selector
(desk.queues). An anonymous visitor is sent to sign in; a signed-in non-officer gets 403.
"""

from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import AuditEntry
from accounts.permissions import officer_only
from accounts.phones import masked
from candidates import services as candidate_services
from candidates.models import Placement
from desk import cases, exports, imports, queues
from desk.intake_api import sanction_of
from desk.models import Case, ImportJob
from jobs import services as job_services
from jobs.models import Organisation, Sanction, Vacancy
from jobs.permissions import member_or_404
from portal.pages import show_errors


def _act(request, item, action, done: str):
    """Run a service for a queue's button. Done: back to the queues. Refused: the queues again, with
    the service's messages next to the item's fields (`item` is e.g. ("vacancy", 12))."""
    try:
        action()
    except ValidationError as error:
        return _queues(request, errors={item: error.messages}, status=400)
    messages.success(request, done)
    return redirect("desk-queues")


# --- Work queues ----------------------------------------------------------------------------


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


# --- Reports and cases ----------------------------------------------------------------------


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Why do you report it?"), choices=Case.Reason.choices)
    details = forms.CharField(
        label=gettext_lazy("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )
    contact = forms.CharField(label=gettext_lazy("How to reach you (optional)"), max_length=100, required=False)


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


class CaseMoveForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=Case.Status.choices)
    note = forms.CharField(
        label=gettext_lazy("Officer's note (the reporter reads it with their code)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )
    # A sanction decided on the case, recorded with its resolution (desk.cases.case_move).
    sanction_kind = forms.ChoiceField(
        label=gettext_lazy("Sanction"), choices=[("", "—"), *Sanction.Kind.choices], required=False
    )
    decision_number = forms.CharField(label=gettext_lazy("Decision number"), max_length=50, required=False)
    decided_on = forms.DateField(
        label=gettext_lazy("Decided on (dd/mm/yyyy)"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], required=False
    )
    fine_vnd = forms.IntegerField(label=gettext_lazy("Fine (VND)"), min_value=1, required=False)
    until = forms.DateField(
        label=gettext_lazy("Suspended until (dd/mm/yyyy)"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], required=False
    )


@officer_only
def case_page(request, pk):
    case = queues.case_shown_to(request.user, pk)
    form = CaseMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            cases.case_move(case=case, by=request.user, sanction=sanction_of(data), **data)
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


# --- Imports --------------------------------------------------------------------------------


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=ImportJob.Kind.choices)
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))
    valid_only = forms.BooleanField(
        label=gettext_lazy("Import the valid rows even if some rows are invalid"), required=False
    )


def _import_started(request, form: ImportForm) -> ImportJob | None:
    """The uploaded file's import, started; None with the service's errors on the form."""
    upload = form.cleaned_data["file"]
    try:
        return imports.import_start(
            by=request.user,
            kind=form.cleaned_data["kind"],
            filename=upload.name,
            content=upload.read(imports.MAX_FILE_BYTES + 1),  # enough to know it is too large
            valid_only=form.cleaned_data["valid_only"],
        )
    except ValidationError as error:
        show_errors(form, error)
        return None


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
    if kind not in ImportJob.Kind.values or fmt not in ("csv", "xlsx"):
        raise Http404
    content_type = exports.CSV_TYPE if fmt == "csv" else exports.XLSX_TYPE
    response = HttpResponse(imports.template_file(kind, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.{fmt}"'
    return response


# --- Audit log ------------------------------------------------------------------------------


class AuditFilter(forms.Form):
    actor = forms.CharField(label=gettext_lazy("Officer or user"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=gettext_lazy("Action"), required=False, choices=[("", "—"), *AuditEntry.Action.choices]
    )
    text = forms.CharField(label=gettext_lazy("Contains"), required=False, max_length=100)
    since = forms.DateField(label=gettext_lazy("From"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    until = forms.DateField(label=gettext_lazy("To"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])


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


# --- A training institution's own imports of enrolment and completion lists (training's pages link here) ---


class TrainingImportForm(ImportForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=[(k, v) for k, v in ImportJob.Kind.choices if k in imports.TRAINING_KINDS],
        widget=forms.RadioSelect,
    )


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
    if kind not in imports.TRAINING_KINDS or fmt not in ("csv", "xlsx"):
        raise Http404
    content_type = exports.XLSX_TYPE if fmt == "xlsx" else exports.CSV_TYPE
    response = HttpResponse(imports.template_file(kind, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.{fmt}"'
    return response
