"""Every write about job fairs: an officer creates a fair, organisations join it with their vacancies,
workers pre-register (signed in, or with a phone number proven by accounts/codes.py), officers check
them in at the venue, and the `placements` import (desk/imports.py) records what came of it."""

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.codes import code_check, code_send
from accounts.models import PhoneCode
from accounts.phones import normalise_mobile
from accounts.services import officer_audit
from candidates.models import Placement, WorkerProfile
from candidates.services import as_counted
from fairs.models import Fair, Outcome, Participant, Registration
from jobs.models import Organisation, Vacancy
from jobs.permissions import may_act_for, require_officer

logger = logging.getLogger(__name__)

NOT_REGISTERED = gettext_lazy("This person is not registered for this fair.")
NO_PROFILE = gettext_lazy("Fill in your profile first; then you can register.")


def _not_past(fair: Fair) -> None:
    if fair.held_on < timezone.localdate():
        raise ValidationError({"held_on": [_("The fair's date has passed.")]})


@transaction.atomic
def fair_create(*, by, **fields) -> Fair:
    require_officer(by)
    fair = Fair(created_by=by, **fields)
    if fair.held_on and fair.held_on < timezone.localdate():
        raise ValidationError({"held_on": [_("A fair cannot be held in the past: choose today or a later day.")]})
    if not fair.online and fair.commune_id is None:
        raise ValidationError({"commune": [_("Choose the commune where the fair is held, or mark it online.")]})
    fair.full_clean()
    fair.save()
    officer_audit(by=by, what=f"created job fair {fair.pk}")
    return fair


@transaction.atomic
def fair_join(*, fair: Fair, organisation: Organisation, vacancies: list[Vacancy], by) -> Participant:
    """An organisation signs up for a fair with some of its published vacancies (again: the list is replaced)."""
    if not may_act_for(by, organisation):
        raise PermissionDenied(_("You do not act for this organisation."))
    _not_past(fair)
    if not organisation.is_verified:
        raise ValidationError({"organisation": [_("Only a verified organisation can take part in a fair.")]})
    visible = set(Vacancy.objects.visible().filter(organisation=organisation).values_list("pk", flat=True))
    if not vacancies:
        raise ValidationError({"vacancies": [_("Choose at least one of your published vacancies.")]})
    if any(vacancy.pk not in visible for vacancy in vacancies):
        raise ValidationError({"vacancies": [_("Only your organisation's published vacancies can be brought.")]})
    if fair.abroad and not all(vacancy.is_overseas for vacancy in vacancies):
        raise ValidationError({"vacancies": [_("This fair is for work abroad: bring vacancies abroad.")]})
    participant, _created = Participant.objects.get_or_create(fair=fair, organisation=organisation)
    participant.vacancies.set(vacancies)
    return participant


def register(*, fair: Fair, worker: WorkerProfile) -> Registration:
    """A signed-in worker pre-registers (once: a second time gives the same registration)."""
    _not_past(fair)
    registration, _created = Registration.objects.get_or_create(
        fair=fair, phone=worker.user.phone, defaults={"worker": worker}
    )
    return registration


def _mobile(phone: str) -> str:
    try:
        return normalise_mobile(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None


def register_by_phone_start(*, fair: Fair, phone: str, address: str) -> None:
    """Someone without an account pre-registers with a phone number: a one-time code goes to it."""
    _not_past(fair)
    e164 = _mobile(phone)
    with transaction.atomic():
        code_send(purpose=PhoneCode.Purpose.FAIR, phone=e164, address=address, deliver=True, payload={"fair": fair.pk})


def register_by_phone_confirm(*, fair: Fair, phone: str, code: str) -> Registration:
    e164 = _mobile(phone)
    proof = code_check(purpose=PhoneCode.Purpose.FAIR, phone=e164, code=code)
    if proof.payload.get("fair") != fair.pk:
        raise ValidationError({"code": [_("The code is wrong or has expired. Check the SMS, or ask for a new code.")]})
    _not_past(fair)
    worker = WorkerProfile.objects.filter(user__phone=e164).first()
    registration, _created = Registration.objects.get_or_create(fair=fair, phone=e164, defaults={"worker": worker})
    return registration


@transaction.atomic
def check_in(*, fair: Fair, by, token: str = "", phone: str = "") -> Registration:
    """An officer at the venue checks a registered person in, by the QR code's token or by phone number.
    Checking in twice keeps the first time."""
    require_officer(by)
    registrations = Registration.objects.select_for_update().filter(fair=fair)
    if token:
        registration, field = registrations.filter(token=token).first(), "token"
    else:
        try:
            e164 = normalise_mobile(phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None
        registration, field = registrations.filter(phone=e164).first(), "phone"
    if registration is None:
        raise ValidationError({field: [str(NOT_REGISTERED)]})
    if registration.checked_in_at is None:
        registration.checked_in_at, registration.checked_in_by = timezone.now(), by
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
    return registration


def vacancies_at(fairs) -> dict[int, set[int]]:
    """Each fair's vacancies, by fair id: what its hires may fill."""
    links = Participant.vacancies.through.objects.filter(participant__fair__in=fairs)
    found: dict[int, set[int]] = {}
    for fair_id, vacancy_id in links.values_list("participant__fair_id", "vacancy_id"):
        found.setdefault(fair_id, set()).add(vacancy_id)
    return found


def outcomes_record(*, rows: list[dict], by) -> int:
    """The `placements` import's rows (checked: fair, vacancy at that fair, worker, result: hired or not,
    placed_on): one outcome each, and for a hire a pending placement with the worker's figures as
    on the day. In the import's transaction."""
    require_officer(by)
    vacancies = Vacancy.objects.select_related("contract__programme", "programme").in_bulk(
        {row["vacancy"] for row in rows}
    )
    workers = WorkerProfile.objects.select_related("sensitive").in_bulk({row["worker"] for row in rows})
    fairs = Fair.objects.in_bulk({row["fair"] for row in rows})
    placements, outcomes = [], []
    for row in rows:
        vacancy, worker = vacancies[row["vacancy"]], workers[row["worker"]]
        placement = None
        if row["result"]:  # hired; False: interviewed only
            day = row.get("placed_on") or fairs[row["fair"]].held_on
            placement = Placement(
                worker=worker,
                vacancy=vacancy,
                organisation_id=vacancy.organisation_id,
                source=Placement.Source.JOB_FAIR,
                placed_on=day,
                is_abroad=vacancy.is_overseas,
                country_id=vacancy.country_id,
                programme=vacancy.programme_in_force,
                occupation_id=vacancy.occupation_id,
                **as_counted(worker, day),
            )
            placements.append(placement)
        outcomes.append(Outcome(fair_id=row["fair"], vacancy=vacancy, worker=worker, placement=placement))
    Placement.objects.bulk_create(placements, batch_size=1000)
    for outcome in outcomes:
        outcome.placement_id = outcome.placement.pk if outcome.placement else None
    Outcome.objects.bulk_create(outcomes, batch_size=1000)
    return len(outcomes)


# A registration's number serves the check-in and the follow-up of the fair's hires (the `placements` import
# comes within weeks); a month after the fair it is forgotten. The rows stay, for the fair's counts.
CONTACT_KEPT = timedelta(days=30)


def registrations_purge(*, now=None) -> int:
    held_before = timezone.localdate(now) - CONTACT_KEPT
    count = Registration.objects.filter(fair__held_on__lt=held_before).exclude(phone="").update(phone="")
    logger.info("Forgot the phone numbers of %s registrations for job fairs held before %s", count, held_before)
    return count


def registrations_forget(user) -> None:
    """An erased account's registrations stay, for the fairs' counts, without the person or their number."""
    Registration.objects.filter(Q(worker__user=user) | Q(phone=user.phone)).update(worker=None, phone="")
