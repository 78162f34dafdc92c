"""Pages for workers and the public: home, search, a vacancy, sign-up, the profile, applications, matches,
their data. Every read and write goes through the same queries and services as the API."""

from datetime import date

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from elasticsearch import ApiError, TransportError

from candidates import abroad, services
from candidates.models import Application, Certificate, Consent, Invitation, SavedVacancy, WorkerProfile
from candidates.selectors import worker_of
from frontend import forms
from frontend.feeds import job_posting, json_ld
from frontend.searches import SaveSearchForm, save_params
from jobs.fees import describe, service_fee_within_cap
from jobs.models import Commune, Country, Occupation, OverseasTerms, Programme, Sanction, Vacancy
from jobs.trust import trust_line, worded
from portal.pages import call_and_flash, posted, show_errors
from portal.throttling import over_limit
from search import queries
from search.api import SearchRateThrottle, SearchUnavailable, SearchUserRateThrottle, unavailable
from search.forms import SearchForm
from search.matching import describe_missing, matching_profile
from search.services import broader_searches
from training.selectors import courses_link, language_course_frameworks

SEARCH_DOWN = SearchUnavailable.default_detail  # the API's 503 and the pages' say the same


class SearchDown(Exception):
    pass


def searching(call, *args, **kwargs):
    """Call a search query; a node that is down becomes SearchDown (a 503 page), any other error stays."""
    try:
        return call(*args, **kwargs)
    except (TransportError, ApiError) as exc:
        if not unavailable(exc):
            raise
        raise SearchDown() from exc


TOO_MANY = gettext_lazy("Too many searches in a short time; please wait a minute.")


def too_many(request) -> bool:
    """The API's fair share of search applies to every page that searches or matches: the same throttles,
    rates and counters (per user when signed in, per address otherwise)."""
    return over_limit(request, (SearchRateThrottle, SearchUserRateThrottle))


# --- Home, search, a vacancy -------------------------------------------------------------------


def home(request):
    """The front door: a search box with typeahead, quick choices, the newest vacancies."""
    text = request.GET.get("q", "").strip()[:100]
    context = {"q": text, "occupations": [], "error": "", "newest": [], "countries": []}
    if too_many(request):
        context["error"] = TOO_MANY
        return render(request, "frontend/home.html", context, status=429)
    try:
        if text:  # an occupation looked up by name, with or without diacritics
            context["occupations"] = searching(queries.occupations_matching, text)
        newest = queries.VacancyQuery(sort="newest", page_size=6, facets=("country",))  # the one facet it shows
        latest = searching(queries.vacancy_search, newest)
    except SearchDown:
        context["error"] = SEARCH_DOWN
        return render(request, "frontend/home.html", context, status=503)
    context["newest"] = presented(latest["results"])
    by_country = latest["facets"].get("country", {})
    countries = Country.objects.in_bulk(list(by_country))
    context["countries"] = [(countries[code], count) for code, count in by_country.items() if code in countries]
    context["total"] = latest["count"]
    return render(request, "frontend/home.html", context)


def suggest(request):
    """Typeahead options for the search box's <datalist> (HTMX swaps them in; without script, none)."""
    text = request.GET.get("q", "").strip()[:100]
    found = []
    if too_many(request):
        return render(request, "frontend/_suggestions.html", {"suggestions": []}, status=429)
    if len(text) >= 2:
        try:
            form = SearchForm(request.GET)  # the filters already chosen on the results page
            found = searching(queries.suggestions, text, within=form.to_query() if form.is_valid() else None)
        except SearchDown:
            found = []
    return render(request, "frontend/_suggestions.html", {"suggestions": found})


FACET_MODELS = {"occupation": Occupation, "country": Country, "programme": Programme, "commune": Commune}


def facet_names(facets: dict) -> dict:
    """Facets as [(code, name, count)], the codes named from the reference tables in one query each."""
    named = {}
    for facet, counts in facets.items():
        model = FACET_MODELS.get(facet)
        if model is None:
            continue
        key = "pk" if model is Country else "code"
        rows = {getattr(row, key): row for row in model.objects.filter(**{f"{key}__in": list(counts)})}
        named[facet] = [(code, rows[code], count) for code, count in counts.items() if code in rows]
    return named


def presented(results: list[dict]) -> list[dict]:
    """Search hits ready for the page: each overseas one with its trust line (jobs/trust.py: licence number and
    status, approved contract, fee check) read from PostgreSQL, the truth, in one query; dates as dates;
    country names; the highlighted title."""
    abroad = [r["pk"] for r in results if r.get("is_overseas")]
    countries = Country.objects.in_bulk([r["country"] for r in results if r.get("country")])
    rows = {
        v.pk: v
        for v in Vacancy.objects.filter(pk__in=abroad).select_related(
            "organisation", "contract__programme", "overseas_terms"
        )
    }
    warnings = Sanction.objects.warning_by_organisation(
        {int(r["organisation"]) for r in results if r.get("organisation")}
    )
    for result in results:
        result["warning"] = warnings.get(int(result.get("organisation") or 0))
        vacancy = rows.get(result["pk"])
        if vacancy is not None:
            result["trust"] = worded(trust_line(vacancy)) | {"programme": vacancy.contract.programme}
        if isinstance(result.get("deadline"), str):
            result["deadline"] = date.fromisoformat(result["deadline"][:10])
        result["country_name"] = countries.get(result.get("country"))
        if result.get("highlight", {}).get("title"):
            result["title_html"] = mark_safe(result["highlight"]["title"])  # noqa: S308 — escaped by search.text.highlight
    return results


def results(request):
    form = SearchForm(request.GET)
    context = {"form": form, "found": None}
    if not form.is_valid():
        return render(request, "frontend/results.html", context, status=400)
    query = form.to_query()
    if too_many(request):
        context["error"] = TOO_MANY
        return render(request, "frontend/results.html", context, status=429)
    active = {name: value for name, value in form.cleaned_data.items() if value and name not in ("page", "sort")}
    filters = {name: request.GET.getlist(name) for name in active if name != "q"}
    try:
        found = searching(queries.vacancy_search, query)
        broader = [] if found["count"] else searching(broader_searches, query, filters)
    except SearchDown:
        context["error"] = SEARCH_DOWN
        return render(request, "frontend/results.html", context, status=503)
    found["results"] = presented(found["results"])
    context |= {
        "found": found,
        "facets": facet_names(found["facets"]),
        "page": query.page,
        "has_next": query.page * query.page_size < min(found["count"], queries.ranking.MAX_RESULT_WINDOW),
        "active": active,
        "broader": [broader_link(request, form, offer) for offer in broader],
        "save_params": save_params(request.GET),
        "save_form": SaveSearchForm(),
        "feed": f"{reverse('vacancy-feed')}?{urlencode(save_params(request.GET))}",
    }
    return render(request, "frontend/results.html", context)


def broader_link(request, form, offer: dict) -> dict:
    """A broader search the API also offers, as a link: this search without one filter, or its words alone
    around the commune asked for."""
    if "drop" in offer:
        params = request.GET.copy()
        for name in (offer["drop"], "page"):
            params.pop(name, None)
        text = _("Without the filter “%(filter)s”") % {"filter": form.fields[offer["drop"]].label}
        return {"text": text, "href": f"?{params.urlencode()}", "count": offer["count"]}
    words = {"q": form.cleaned_data["q"]} if form.cleaned_data["q"] else {}
    text = _("%(commune)s and the communes nearby (within %(km)s km)") % {
        "commune": form.cleaned_data["commune"].name,
        "km": offer["radius_km"],
    }
    return {"text": text, "href": f"?{urlencode(words | {'near': offer['near']})}", "count": offer["count"]}


def vacancy_for(user, pk) -> Vacancy:
    vacancies = Vacancy.objects.seen_by(user).select_related(
        "organisation",
        "occupation",
        "commune",
        "country",
        "programme",
        "contract__programme",
        "overseas_terms__fee_rule",
    )
    return get_object_or_404(vacancies.prefetch_related("languages"), pk=pk)


REASONS = {
    "desired_occupation": gettext_lazy("It is the work you are looking for."),
    "certified_occupation": gettext_lazy("Your certificate is in this occupation."),
    "training": gettext_lazy("Your training meets what it asks."),
    "language": gettext_lazy("Your language level meets what it asks."),
    "distance": gettext_lazy("It is near where you live."),
    "salary": gettext_lazy("It pays what you expect."),
    "country": gettext_lazy("It is in a country you chose."),
    "skills": gettext_lazy("It asks for skills you have."),
    "overseas_experience": gettext_lazy("It values the work you did abroad."),
    "recency": gettext_lazy("It was posted recently."),
}


def reason_words(reasons: list[dict]) -> list:
    """Why a vacancy fits, in words: the matching's reasons that carry at least 5% of its score."""
    return [REASONS[r["criterion"]] for r in reasons if r["criterion"] in REASONS and r["share"] >= 0.05]


def fit(worker: WorkerProfile, vacancy: Vacancy) -> dict:
    """Why this vacancy fits the worker and what is missing: the matching's own named clauses for this one
    vacancy, and the hard rules (age, sex) in words when they exclude it."""
    if problems := services.hard_requirement_errors(worker, vacancy):
        return {"reasons": [], "missing": problems}
    explained = searching(queries.match_for, matching_profile(worker), vacancy.pk)
    if explained is None:
        return {"reasons": [], "missing": [_("It is outside what your profile asks for (work abroad, countries).")]}
    return {
        "reasons": reason_words(explained["reasons"]),
        "missing": missing_with_courses(explained["missing"], language_course_frameworks()),
    }


def missing_with_courses(missing: list[dict], frameworks: set[str]) -> list[dict]:
    """What is missing in words, each with the course search that would close it (training/selectors.py)."""
    return [
        {"text": describe_missing(item), "courses": courses_link(item, language_courses=frameworks)} for item in missing
    ]


def vacancy_page(request, pk, apply_errors=None, status=200):
    vacancy = vacancy_for(request.user, pk)
    worker = worker_of(request.user)
    context = {"vacancy": vacancy, "terms": getattr(vacancy, "overseas_terms", None), "worker": worker}
    context["trust"] = worded(trust_line(vacancy))
    context["visible"] = Vacancy.objects.visible().filter(pk=pk).exists()
    context["warning"] = Sanction.objects.warning_by_organisation([vacancy.organisation_id]).get(
        vacancy.organisation_id
    )
    context["apply_errors"] = apply_errors or []
    if context["visible"]:
        context["json_ld"] = json_ld(job_posting(vacancy))
    if context["terms"]:
        terms = context["terms"]
        context["costs"] = [
            (OverseasTerms._meta.get_field(name).verbose_name, getattr(terms, name))
            for name in OverseasTerms.COST_FIELDS
        ]
        context["findings"] = [describe(f) for f in terms.fee_findings]
        context["service_fee_ok"] = service_fee_within_cap(terms.fee_findings)
    if worker is not None:
        context["applied"] = Application.objects.filter(worker=worker, vacancy=vacancy).first()
        context["saved"] = SavedVacancy.objects.filter(worker=worker, vacancy=vacancy).exists()
        if context["visible"] and too_many(request):
            context["fit_error"] = TOO_MANY  # the vacancy still shows; only its matching waits
        elif context["visible"]:
            try:
                context["fit"] = fit(worker, vacancy)
            except SearchDown:
                context["fit_error"] = SEARCH_DOWN
    return render(request, "frontend/vacancy.html", context, status=status)


@require_POST
def apply(request, pk):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('signup')}?next={reverse('vacancy', args=[pk])}")
    worker = worker_of(request.user)
    if worker is None:
        request.session["after_profile"] = reverse("vacancy", args=[pk])
        messages.info(request, _("Fill in your profile first; then you can apply."))
        return redirect("profile", step="personal")
    vacancy = vacancy_for(request.user, pk)
    try:
        services.apply(worker=worker, vacancy=vacancy)
    except ValidationError as error:
        return vacancy_page(request, pk, apply_errors=error.messages, status=400)
    messages.success(request, _("You have applied. The employer now sees your name and number."))
    return redirect("my-applications")


@require_POST
@login_required
def save_vacancy(request, pk):
    """Save a vacancy (or stop): a reminder two days before its deadline."""
    worker = worker_of(request.user)
    if worker is None:
        raise Http404
    saved = request.POST.get("saved") != "false"
    services.vacancy_save(worker=worker, vacancy=vacancy_for(request.user, pk), saved=saved)
    messages.success(request, _("Saved: we remind you two days before the deadline.") if saved else _("Removed."))
    return redirect("vacancy", pk=pk)


# --- The profile, in short steps ---------------------------------------------------------------

STEPS = [
    ("personal", gettext_lazy("About you")),
    ("certificates", gettext_lazy("Certificates")),
    ("languages", gettext_lazy("Languages")),
    ("preferences", gettext_lazy("Work you want")),
    ("consents", gettext_lazy("Your consent")),
]


def _next_step(step: str) -> str | None:
    names = [name for name, _label in STEPS]
    index = names.index(step)
    return names[index + 1] if index + 1 < len(names) else None


@login_required
def profile(request, step):
    if step not in dict(STEPS):
        raise Http404()
    worker = worker_of(request.user)
    if worker is None and step != "personal":
        return redirect("profile", step="personal")
    handler = {
        "personal": _personal,
        "certificates": _records,
        "languages": _records,
        "preferences": _preferences,
        "consents": _consents,
    }[step]
    context = handler(request, worker, step)
    if not isinstance(context, dict):
        return context  # a redirect: the step was saved
    context |= {"steps": STEPS, "step": step, "step_label": dict(STEPS)[step], "worker": worker}
    context["step_number"] = [name for name, _label in STEPS].index(step) + 1
    status = 400 if context["form"].errors else 200
    if step in ("certificates", "languages"):
        return render(request, "frontend/profile_records.html", context, status=status)
    return render(request, "frontend/profile_form.html", context | {"intro": STEP_INTROS[step]}, status=status)


# What each form step says before its fields.
STEP_INTROS = {
    "personal": gettext_lazy(
        "What employers need to know to contact you. Only you and the department see your date of birth; "
        "employers see your age."
    ),
    "preferences": gettext_lazy("What you are looking for: matching uses it to rank vacancies for you."),
    "consents": gettext_lazy("Each consent is separate. You can withdraw it here at any time; nothing else changes."),
}


def _saved(request, step):
    following = _next_step(step)
    if following and "finish" not in request.POST:
        return redirect("profile", step=following)
    messages.success(request, _("Your profile is saved."))
    return redirect(request.session.pop("after_profile", None) or reverse("my-matches"))


def _personal(request, worker, step):
    initial = {}
    if worker:
        initial = {name: getattr(worker, name) for name in forms.PersonalForm.base_fields}
    form = forms.PersonalForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            return _saved(request, step)
    return {"form": form}


def _records(request, worker, step):
    form_class, add, records = {
        "certificates": (
            forms.CertificateForm,
            services.certificate_add,
            worker.certificates.select_related("occupation"),
        ),
        "languages": (forms.LanguageForm, services.language_add, worker.languages.all()),
    }[step]
    form = form_class(request.POST if "add" in request.POST else None)
    if request.method == "POST":
        if "delete" in request.POST:
            record = get_object_or_404(records.model, pk=request.POST["delete"], worker=worker)
            services.record_delete(record=record)
            return redirect("profile", step=step)
        if "add" not in request.POST:  # "continue" without adding
            return _saved(request, step)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "") or k == "level"}
            try:
                add(worker=worker, **data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Added."))
                return redirect("profile", step=step)
    return {"form": form, "records": list(records)}


def _preferences(request, worker, step):
    initial = {
        "desired_occupations": worker.desired_occupations.all(),
        "skills": ", ".join(worker.skills),
        "wants_home": worker.wants_home,
        "wants_abroad": worker.wants_abroad,
        "desired_countries": worker.desired_countries.all(),
        "expected_salary_vnd": worker.expected_salary_vnd,
    }
    form = forms.PreferencesForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | {"skills": forms.split_list(form.cleaned_data["skills"])}
        try:
            services.profile_save(user=request.user, **data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            return _saved(request, step)
    return {"form": form}


def _consents(request, worker, step):
    live = set(worker.consents.filter(withdrawn_at=None).values_list("purpose", flat=True))
    form = forms.ConsentsForm(posted(request), initial=dict.fromkeys(live, True))
    if request.method == "POST" and form.is_valid():
        for purpose in Consent.Purpose.values:
            services.consent_set(worker=worker, purpose=purpose, granted=form.cleaned_data[purpose])
        return _saved(request, step)
    return {"form": form}


# --- Applications, matches, my data ------------------------------------------------------------


@login_required
def my_applications(request):
    worker = worker_of(request.user)
    if worker is None:
        return redirect("profile", step="personal")
    applications = (
        Application.objects.filter(worker=worker).select_related("vacancy__organisation").prefetch_related("events")
    )
    invitations = Invitation.objects.filter(worker=worker).select_related("vacancy__organisation")
    rows = [(a, services.APPLICATION_FLOW.allows(a.status, "withdraw")) for a in applications]
    return render(request, "frontend/my_applications.html", {"applications": rows, "invitations": invitations})


@login_required
@require_POST
def withdraw(request, pk):
    application = get_object_or_404(Application, pk=pk, worker__user=request.user)
    done = _("Your application is withdrawn.")
    call_and_flash(request, services.application_withdraw, application=application, by=request.user, done=done)
    return redirect("my-applications")


@login_required
@require_POST
def answer_invitation(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk, worker__user=request.user)
    accept = request.POST.get("answer") == "accept"
    done = _("You accepted: the employer now sees your name and number.") if accept else _("You declined.")
    call_and_flash(
        request, services.invitation_answer, invitation=invitation, by=request.user, accept=accept, done=done
    )
    return redirect("my-applications")


@login_required
def my_matches(request):
    worker = worker_of(request.user)
    if worker is None:
        return redirect("profile", step="personal")
    if too_many(request):
        return render(request, "frontend/my_matches.html", {"error": TOO_MANY}, status=429)
    try:
        found = searching(queries.matches_for, matching_profile(worker))
    except SearchDown:
        return render(request, "frontend/my_matches.html", {"error": SEARCH_DOWN}, status=503)
    frameworks = language_course_frameworks()
    for match in found:
        match["reason_words"] = reason_words(match["reasons"])
        match["missing_items"] = missing_with_courses(match["missing"], frameworks)
    return render(request, "frontend/my_matches.html", {"matches": presented(found)})


@login_required
def my_data(request):
    """Download what we hold, or erase the account: a worker's, or an account that has no profile yet."""
    worker = worker_of(request.user)
    form = forms.EraseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.account_erase(user=request.user)
        logout(request)
        messages.success(request, _("Your account and your personal data are deleted."))
        return redirect("home")
    return render(
        request, "frontend/my_data.html", {"form": form, "worker": worker}, status=400 if form.errors else 200
    )


@login_required
def my_data_download(request):
    worker = worker_of(request.user)
    if worker is None:
        raise Http404()
    response = JsonResponse(services.worker_export(worker=worker), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="du-lieu-cua-toi.json"'
    return response


@login_required
def departure(request, pk):
    """The departure checklist of an offer abroad: the worker fills in their items, the organisation the visa
    (the API's rules: candidates/abroad.py); what is still missing is listed on top."""
    application = get_object_or_404(Application.objects.select_related("worker", "vacancy__organisation"), pk=pk)
    try:
        checklist = abroad.checklist_of(application=application, by=request.user)
    except ValidationError:
        raise Http404() from None
    mine = application.worker.user_id == request.user.pk
    items = abroad.WORKER_ITEMS if mine else abroad.ORGANISATION_ITEMS
    certificates = application.worker.certificates.filter(kind=Certificate.Kind.ORIENTATION) if mine else None
    form = forms.DepartureForm(posted(request), items=items, certificates=certificates)
    if request.method == "POST" and form.is_valid():
        try:
            abroad.checklist_update(application=application, by=request.user, **form.items())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The checklist is saved."))
            return redirect("departure", pk=pk)
    checklist.refresh_from_db()
    context = {
        "application": application,
        "checklist": checklist,
        "missing": [] if checklist.override_reason else abroad.checklist_missing(checklist),
        "form": form,
        "mine": mine,
        "open": application.status == Application.Status.OFFERED,
    }
    return render(request, "frontend/departure.html", context, status=400 if form.errors else 200)
