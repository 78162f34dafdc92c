"""Pages for employers and licensed service enterprises: registration, vacancies with the fee check,
applicants and their stages, ranked candidates (masked until they apply or accept), invitations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from candidates import services as candidates
from candidates.models import Application, WorkerProfile
from frontend import forms
from frontend.workers import SEARCH_DOWN, TOO_MANY, SearchDown, login_required, searching, too_many
from jobs import services
from jobs.fees import FeeCheck, describe
from jobs.models import LabourSupplyContract, Membership, Organisation, OverseasTerms, Vacancy
from jobs.permissions import may_act_for, member_or_404
from portal.pages import call_and_flash, posted, show_errors
from search.matching import describe_missing, ranked_candidates


def own_vacancy(request, pk) -> Vacancy:
    vacancy = get_object_or_404(
        Vacancy.objects.select_related("organisation", "contract", "occupation", "overseas_terms"), pk=pk
    )
    member_or_404(request.user, vacancy.organisation)
    return vacancy


@login_required
def organisations(request):
    mine = list(Organisation.objects.of_member(request.user).select_related("commune"))
    vacancies = Vacancy.objects.filter(organisation__in=mine).annotate(applicants=Count("applications"))
    contracts = LabourSupplyContract.objects.with_remaining().filter(organisation__in=mine)
    rows = {o.pk: {"organisation": o, "by_status": {}, "contracts": []} for o in mine}
    # In the workflow's order (draft, awaiting review, published, …), newest first within each.
    for vacancy in sorted(vacancies.order_by("-created_at"), key=lambda v: Vacancy.Status.values.index(v.status)):
        rows[vacancy.organisation_id]["by_status"].setdefault(vacancy.get_status_display(), []).append(vacancy)
    for contract in contracts:
        rows[contract.organisation_id]["contracts"].append(contract)
    owners = Membership.objects.filter(user=request.user.pk, role=Membership.Role.OWNER)
    owned = set(owners.values_list("organisation", flat=True))
    return render(request, "frontend/org_list.html", {"rows": list(rows.values()), "owned": owned})


@login_required
def organisation_register(request):
    form = forms.OrganisationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
        try:
            services.organisation_register(by=request.user, **data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Registered. The department will verify your organisation."))
            return redirect("organisations")
    return render(request, "frontend/org_register.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def contract_new(request, org):
    organisation = get_object_or_404(Organisation, pk=org)
    member_or_404(request.user, organisation)
    form = forms.ContractForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_register(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Contract recorded."))
            return redirect("organisations")
    context = {"form": form, "organisation": organisation}
    return render(request, "frontend/org_contract.html", context, status=400 if form.errors else 200)


def _vacancy_form_page(request, organisation, vacancy=None):
    initial = forms.VacancyForm.initial_from(vacancy) if vacancy else {"where": "home", "currency": "VND"}
    form = forms.VacancyForm(posted(request), organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            if vacancy is None:
                vacancy = services.vacancy_create(organisation=organisation, by=request.user, **arguments)
            else:
                vacancy = services.vacancy_update(vacancy=vacancy, by=request.user, **arguments)
        except ValidationError as error:
            show_errors(form, error, forms.VacancyForm.ALIASES)
        else:
            messages.success(request, _("Saved."))
            return redirect("org-vacancy-edit", pk=vacancy.pk)
    terms = getattr(vacancy, "overseas_terms", None) if vacancy else None
    context = {"form": form, "organisation": organisation, "vacancy": vacancy, "terms": terms}
    if vacancy:  # the buttons the workflow (jobs.services.VACANCY_FLOW) allows from this status
        context["can_submit"] = services.VACANCY_FLOW.allows(vacancy.status, "submit")
        context["can_close"] = services.VACANCY_FLOW.allows(vacancy.status, "close")
    if terms:
        context["check"] = fee_shown(FeeCheck(terms.fee_verdict, terms.fee_cap_vnd, terms.fee_findings))
    return render(request, "frontend/org_vacancy_form.html", context, status=400 if form.errors else 200)


@login_required
def vacancy_new(request, org):
    organisation = get_object_or_404(Organisation, pk=org)
    member_or_404(request.user, organisation)
    return _vacancy_form_page(request, organisation)


@login_required
def vacancy_edit(request, pk):
    vacancy = own_vacancy(request, pk)
    return _vacancy_form_page(request, vacancy.organisation, vacancy)


def fee_shown(check: FeeCheck) -> dict:
    """A fee check as the vacancy form shows it, stored with the terms or previewed as the costs are typed."""
    return {
        "verdict": OverseasTerms.Verdict(check.verdict).label,
        "ok": check.publishable,
        "cap": check.cap_vnd,
        "findings": [describe(f) for f in check.findings],
    }


@login_required
@require_POST
def fee_check(request):
    """The fee check as the agency types the costs (HTMX swaps this fragment in): the service's own
    preview of what saving will store (jobs.services.fee_preview)."""
    form = forms.FeeCheckForm(request.POST)
    form.is_valid()  # what is not valid yet counts as not given
    data = form.cleaned_data
    contract, months = data.get("contract"), data.get("contract_months")
    if contract is None or months is None or not may_act_for(request.user, contract.organisation):
        return render(request, "frontend/_fee_check.html", {})  # another's contract reads as none chosen
    costs = {name: data.get(name) for name in OverseasTerms.COST_FIELDS}
    try:
        check = services.fee_preview(
            contract=contract, contract_months=months, costs=costs, occupation=data.get("occupation")
        )
    except ValidationError as error:  # what saving will say: a term past the contract's, no exchange rate
        return render(request, "frontend/_fee_check.html", {"note": " ".join(error.messages)})
    return render(request, "frontend/_fee_check.html", {"check": fee_shown(check)})


@login_required
@require_POST
def vacancy_submit(request, pk):
    vacancy = own_vacancy(request, pk)
    call_and_flash(
        request,
        services.vacancy_submit,
        vacancy=vacancy,
        by=request.user,
        done=_("Sent to the department for review."),
        refused=_("Not sent for review:"),
    )
    return redirect("org-vacancy-edit", pk=pk)


@login_required
@require_POST
def vacancy_close(request, pk):
    vacancy = own_vacancy(request, pk)
    call_and_flash(request, services.vacancy_close, vacancy=vacancy, by=request.user, done=_("The vacancy is closed."))
    return redirect("organisations")


STAGES = Application.Status.values  # in the order of the path: the step forward first, "not selected" after


@login_required
def applicants(request, pk):
    vacancy = own_vacancy(request, pk)
    rows = []
    for application in vacancy.applications.select_related("worker__user", "worker__commune").prefetch_related(
        "events"
    ):
        choices = [
            (s, Application.Status(s).label)
            for s in sorted(candidates.application_next(application.status), key=STAGES.index)
        ]
        rows.append({"application": application, "form": forms.MoveForm(choices=choices) if choices else None})
    candidates.applicants_shown(viewer=request.user, applications=[row["application"] for row in rows])
    return render(request, "frontend/org_applicants.html", {"vacancy": vacancy, "rows": rows})


@login_required
@require_POST
def application_move(request, pk):
    application = get_object_or_404(Application.objects.select_related("vacancy__organisation"), pk=pk)
    member_or_404(request.user, application.vacancy.organisation)
    choices = [(s, s) for s in candidates.application_next(application.status)]
    form = forms.MoveForm(request.POST, choices=choices)
    if form.is_valid():
        call_and_flash(
            request,
            candidates.application_move,
            application=application,
            by=request.user,
            done=_("Stage recorded."),
            **form.cleaned_data,
        )
    else:
        messages.error(request, _("Choose one of the next stages."))
    return redirect("org-applicants", pk=application.vacancy_id)


@login_required
def candidates_page(request, pk):
    """Workers who agreed to be found, ranked for this vacancy, masked exactly as the API masks them."""
    vacancy = own_vacancy(request, pk)
    context = {"vacancy": vacancy, "candidates": []}
    if too_many(request):
        context["note"] = TOO_MANY
        return render(request, "frontend/org_candidates.html", context, status=429)
    try:
        found = searching(ranked_candidates, vacancy=vacancy, viewer=request.user)
    except SearchDown:
        context["note"] = SEARCH_DOWN
        return render(request, "frontend/org_candidates.html", context, status=503)
    if found is None:
        context["note"] = _("Only a published vacancy has ranked candidates.")
        return render(request, "frontend/org_candidates.html", context)
    for candidate in found:
        reasons = (CANDIDATE_REASONS.get(r["criterion"].split(":")[0]) for r in candidate["reasons"])
        candidate["reason_words"] = [word for word in reasons if word]
        candidate["missing_words"] = [describe_missing(item, candidate=True) for item in candidate["missing"]]
    context["candidates"] = found
    return render(request, "frontend/org_candidates.html", context)


CANDIDATE_REASONS = {
    "desired_occupation": gettext_lazy("wants this occupation"),
    "certified_occupation": gettext_lazy("certified in this occupation"),
    "declared_certificate": gettext_lazy("declares a certificate in this occupation (not yet verified)"),
    "training": gettext_lazy("training at or above the requirement"),
    "language": gettext_lazy("language level at or above the requirement"),
    "salary": gettext_lazy("expects no more than the salary offered"),
    "skills": gettext_lazy("has the skills asked"),
    "distance": gettext_lazy("lives nearby"),
}


@login_required
@require_POST
def invite(request, pk):
    vacancy = own_vacancy(request, pk)
    worker = WorkerProfile.objects.filter(pk=request.POST.get("worker") or 0).first()
    if worker is None:  # the same answer as for a worker who is not a candidate: an id reveals nothing
        messages.error(request, candidates.NOT_A_CANDIDATE)
        return redirect("org-candidates", pk=pk)
    done = _("Invitation sent. You will see the worker's name once they accept.")
    call_and_flash(request, candidates.invitation_send, vacancy=vacancy, worker=worker, by=request.user, done=done)
    return redirect("org-candidates", pk=pk)
