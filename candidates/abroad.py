"""Work abroad after the offer: the departure checklist, and the return home.

- Between "offered" and "departed" each placement abroad has a checklist (`DepartureChecklist`): the
  worker's own orientation certificate, a health check still valid on the day of departure, the visa, and
  the worker's word that the signed contract's monthly wage and term are the advertised ones. A signed
  contract that says less opens a contract-substitution case (desk/cases.py) and stays unconfirmed.
  "Departed" is refused while anything is missing, unless an officer overrides it with a reason.
- Departure sets the expected return (the contract's months from the day). The return is recorded by the
  sending organisation (one by one or in its monthly list, desk/imports.py), by the worker, or by an
  officer; it writes the work abroad into the worker's profile (occupation, country, years, and the
  language level they came back with), which matching values (search/queries.py).
"""

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import officer_audit
from candidates.models import (
    Application,
    Certificate,
    DepartureChecklist,
    LanguageCertificate,
    Placement,
    ReturnSource,
    WorkExperience,
)
from jobs.languages import rank, validate_level
from jobs.permissions import is_officer, may_act_for, require_officer, visible_to
from search.services import index_on_commit

WORKER_ITEMS = {"orientation_certificate", "health_check_on", "health_check_valid_until"}
WORKER_ITEMS |= {"signed_monthly_wage", "signed_term_months", "confirm"}
ORGANISATION_ITEMS = {"visa_number", "visa_valid_until", "health_check_on", "health_check_valid_until"}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 January + 1 month: 28 or 29 February)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _role(application: Application, user) -> str:
    """ "worker", "organisation" or "officer"; anyone else learns nothing, not even that it exists."""
    if user.is_authenticated and application.worker.user_id == user.pk:
        return "worker"
    if is_officer(user):
        return "officer"
    if user.is_authenticated and may_act_for(user, application.vacancy.organisation):
        return "organisation"
    raise Http404()


def checklist_of(*, application: Application, by) -> DepartureChecklist:
    """The checklist of an application abroad that was offered (or has departed), for those it concerns."""
    _role(application, by)
    if not application.vacancy.is_overseas:
        raise ValidationError({"application": [_("Only work abroad has a departure checklist.")]})
    checklist, _created = DepartureChecklist.objects.get_or_create(application=application)
    return checklist


@transaction.atomic
def checklist_update(*, application: Application, by, **items) -> DepartureChecklist:
    """Fill in items of the checklist while the offer stands: the worker their own, the organisation the visa
    (and the health check it arranged). Every item is checked before anything is written."""
    application = Application.objects.select_for_update().select_related("vacancy__organisation").get(pk=application.pk)
    role = _role(application, by)
    checklist = checklist_of(application=application, by=by)
    if application.status != Application.Status.OFFERED:
        raise ValidationError({"status": [_("The checklist is filled in between the offer and the departure.")]})
    allowed = WORKER_ITEMS if role == "worker" else ORGANISATION_ITEMS
    errors = {name: [_("Only the worker may fill this in.")] for name in sorted(set(items) - allowed)}
    certificate = items.get("orientation_certificate")
    if certificate is not None and (
        certificate.worker_id != application.worker_id or certificate.kind != Certificate.Kind.ORIENTATION
    ):
        errors["orientation_certificate"] = [_("Choose one of your own pre-departure orientation certificates.")]
    for name, value in items.items():
        if name != "confirm" and name not in errors:
            setattr(checklist, name, value)
    if (
        checklist.health_check_on
        and checklist.health_check_valid_until
        and checklist.health_check_valid_until < checklist.health_check_on
    ):
        errors["health_check_valid_until"] = [_("The health check cannot expire before it was made.")]
    if items.get("confirm") and (checklist.signed_monthly_wage is None or not checklist.signed_term_months):
        errors["signed_monthly_wage"] = [_("Give the monthly wage and the term written in the signed contract.")]
    if errors:
        raise ValidationError(errors)
    if items.get("confirm"):
        _confirm_contract(checklist, application, by)
    checklist.full_clean()
    checklist.save()
    return checklist


def substitution_report(*, vacancy, details: str, by):
    """Open the contract-substitution case and return it. The desk opens cases, and it sits above candidates/
    (README, Architecture), so desk's AppConfig.ready() puts its `cases.case_report` here."""
    raise NotImplementedError("desk/apps.py replaces this when the desk app is ready")


def _confirm_contract(checklist: DepartureChecklist, application: Application, by) -> None:
    """The worker's word on the signed contract: equal to the advertisement, or a contract-substitution case."""
    vacancy = application.vacancy
    months = getattr(getattr(vacancy, "overseas_terms", None), "contract_months", None) or vacancy.contract.term_months
    if checklist.signed_monthly_wage >= vacancy.salary_min and checklist.signed_term_months == months:
        checklist.contract_confirmed_at = timezone.now()
        return
    checklist.contract_confirmed_at = None
    if checklist.substitution_case_id is None:
        details = _(
            "Advertised: %(wage)s %(currency)s a month for %(months)s months. Signed: %(signed_wage)s %(currency)s "
            "a month for %(signed_months)s months."
        ) % {
            "wage": f"{vacancy.salary_min:,.0f}".replace(",", "."),
            "currency": vacancy.currency,
            "months": months,
            "signed_wage": f"{checklist.signed_monthly_wage:,.0f}".replace(",", "."),
            "signed_months": checklist.signed_term_months,
        }
        checklist.substitution_case = substitution_report(vacancy=vacancy, details=details, by=by)


def checklist_missing(checklist: DepartureChecklist, *, on: date | None = None) -> list[str]:
    """What the checklist still lacks for a departure on `on`, each in words."""
    on = on or timezone.localdate()
    missing = []
    if checklist.orientation_certificate_id is None:
        missing.append(_("The pre-departure orientation certificate is missing."))
    if checklist.health_check_valid_until is None or checklist.health_check_valid_until < on:
        missing.append(_("A health check valid on the day of departure is missing."))
    if not checklist.visa_number or (checklist.visa_valid_until and checklist.visa_valid_until < on):
        missing.append(_("The visa is missing."))
    if checklist.substitution_case_id and checklist.contract_confirmed_at is None:
        missing.append(_("The signed contract differs from the advertisement: a contract-substitution case is open."))
    elif checklist.contract_confirmed_at is None:
        missing.append(_("The worker has not confirmed the signed contract's wage and term."))
    return missing


def departure_refusal(application: Application) -> list[str]:
    """Why "departed" is refused now (nothing when the checklist is complete or an officer overrode it)."""
    checklist = DepartureChecklist.objects.filter(application=application).first()
    if checklist is None:
        checklist = DepartureChecklist(application=application)
    if checklist.override_reason:
        return []
    return checklist_missing(checklist)


@transaction.atomic
def departure_override(*, application: Application, by, reason: str) -> DepartureChecklist:
    """An officer lets a worker depart with the checklist incomplete, and says why (audited)."""
    require_officer(by)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the worker may depart without a complete checklist.")]})
    checklist = checklist_of(application=application, by=by)
    checklist.override_reason, checklist.override_by = reason.strip(), by
    checklist.save(update_fields=["override_reason", "override_by", "updated_at"])
    officer_audit(by=by, what=f"departure checklist of application {application.pk} overridden", why=reason)
    return checklist


def expected_return(application: Application, departed_on: date) -> date:
    vacancy = application.vacancy
    months = getattr(getattr(vacancy, "overseas_terms", None), "contract_months", None) or vacancy.contract.term_months
    return add_months(departed_on, months)


# --- Returns ---------------------------------------------------------------------------------


def returns_recordable_by(user):
    """The placements abroad `user` may record a return for: their own, their organisations', all for officers."""
    return visible_to(user, Placement.objects.filling().filter(is_abroad=True), also=Q(worker__user=user.pk))


@transaction.atomic
def return_record(
    *, placement: Placement, by, returned_on: date, framework: str = "", level: str = "", imported: bool = False
) -> Placement:
    """Record a worker's return home. The worker's profile gains the work abroad (occupation, country,
    years) and the language level they bring back, which matching then values."""
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("vacancy__contract", "country")
        .get(pk=placement.pk)
    )
    if not returns_recordable_by(by).filter(pk=placement.pk).exists():
        raise Http404()
    source = _return_source(placement, by, imported)
    errors = {}
    if placement.returned_on and source != ReturnSource.OFFICER:
        errors["returned_on"] = [_("This return is recorded already; ask an officer to correct it.")]
    elif returned_on < placement.placed_on:
        errors["returned_on"] = [
            _("The return cannot be before the departure (%(day)s).")
            % {"day": placement.placed_on.strftime("%d/%m/%Y")}
        ]
    elif returned_on > timezone.localdate():
        errors["returned_on"] = [_("The return cannot be in the future.")]
    if framework or level:
        try:
            validate_level(framework, level)
        except ValidationError as error:
            errors["level"] = error.messages
    if errors:
        raise ValidationError(errors)
    placement.returned_on, placement.return_recorded_by = returned_on, source
    placement.save(update_fields=["returned_on", "return_recorded_by"])
    if placement.worker_id:
        _into_profile(placement, framework, level.strip().upper(), verified=source != ReturnSource.WORKER)
    if source == ReturnSource.OFFICER:
        officer_audit(by=by, what=f"recorded the return of placement {placement.pk}")
    return placement


def _return_source(placement: Placement, by, imported: bool) -> str:
    if imported:
        return ReturnSource.IMPORT
    if placement.worker_id and placement.worker.user_id == by.pk:
        return ReturnSource.WORKER
    return ReturnSource.OFFICER if is_officer(by) else ReturnSource.AGENCY


def _into_profile(placement: Placement, framework: str, level: str, *, verified: bool) -> None:
    worker = placement.worker
    contract = placement.vacancy.contract if placement.vacancy_id and placement.vacancy.contract_id else None
    WorkExperience.objects.update_or_create(
        worker=worker,
        country=placement.country,
        started_on=placement.placed_on,
        defaults={
            "occupation_id": placement.occupation_id,
            "employer_name": contract.foreign_partner if contract else str(placement.country or ""),
            "place": placement.country.name_vi if placement.country else "",
            "ended_on": placement.returned_on,
        },
    )
    if framework:
        held = LanguageCertificate.objects.filter(worker=worker, framework=framework)
        if all(rank(framework, level) > rank(framework, c.level) for c in held):
            held.delete()
            LanguageCertificate.objects.create(
                worker=worker, framework=framework, level=level, issued_on=placement.returned_on, verified=verified
            )
    worker.__class__.objects.filter(pk=worker.pk).update(modified_at=timezone.now())
    index_on_commit(worker.__class__, [worker.pk])
