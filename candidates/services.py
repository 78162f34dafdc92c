"""Every write about workers: profile, certificates, consents, applications, placements, erasure.

Changes that alter what the candidates index may hold (profile, certificates, consent to be found)
are queued for search on commit. Views of personal data by anyone but the worker are audited here.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditEntry, PhoneCode, User
from accounts.phones import masked
from accounts.services import audit, officer_audit, views_audit
from candidates import abroad
from candidates.crypto import blind_index
from candidates.ids import mask_id_number, validate_id_number
from candidates.models import (
    Application,
    ApplicationEvent,
    Certificate,
    Consent,
    Invitation,
    LanguageCertificate,
    Placement,
    SavedVacancy,
    SensitiveRecord,
    WorkerProfile,
    WorkExperience,
    age_band,
)
from jobs.languages import validate_level
from jobs.models import MIN_WORKING_AGE, LabourSupplyContract, Membership, Vacancy
from jobs.permissions import is_officer, require_member, require_officer
from notifications.models import Event, Message
from notifications.services import notify
from portal.indexing import index_on_commit
from portal.workflow import Workflow

logger = logging.getLogger(__name__)
CONSENT_TEXT_VERSION = "2026-11"  # the wording shown with each consent; a new wording gets a new version


# --- Profile --------------------------------------------------------------------------------

PROFILE_MANY = ["desired_occupations", "desired_communes", "desired_countries", "desired_programmes"]


@transaction.atomic
def profile_save(*, user, sensitive: dict | None = None, **fields) -> WorkerProfile:
    """Create or update the worker's own profile; `sensitive` replaces the encrypted record."""
    many = {name: fields.pop(name) for name in PROFILE_MANY if name in fields}
    worker = WorkerProfile.objects.filter(user=user).first() or WorkerProfile(user=user)
    for name, value in fields.items():
        setattr(worker, name, value)
    profile_check(worker)
    worker.save()
    for name, values in many.items():
        getattr(worker, name).set(values)
    if sensitive is not None:
        _save_sensitive(worker, sensitive)
    index_on_commit(WorkerProfile, [worker.pk])
    return worker


def profile_check(worker: WorkerProfile, *, known: tuple[str, ...] = ()) -> None:
    """The rules every profile meets, whoever writes it (the worker, or a desk import for many at once):
    working age, and each field's own (`full_clean`). `known`: relations the caller has checked in bulk
    already (an import's reference data), so a file of thousands of rows is not a query per row."""
    if worker.date_of_birth:
        check_working_age(worker.date_of_birth)
    worker.full_clean(exclude=["user", *known])


def profiles_register(people: list[dict]) -> list[WorkerProfile]:
    """Many workers registered at once by a desk import, each checked by `profile_check` and
    `id_number_index` already (the import reports every row's problems before it writes): an account
    nobody signs in with until claimed, the profile, the ID number encrypted, the desired occupation.
    A few bulk inserts, whatever the number of people. No consent comes with a registration, so
    nothing goes to the candidates index."""
    users = []
    for person in people:
        user = User(username=person["phone"], phone=person["phone"])
        user.set_unusable_password()  # a job-fair registration: nobody signs in with it until claimed
        users.append(user)
    User.objects.bulk_create(users, batch_size=1000)
    profiles = WorkerProfile.objects.bulk_create(
        [WorkerProfile(user=user, **person["profile"]) for user, person in zip(users, people, strict=True)],
        batch_size=1000,
    )
    SensitiveRecord.objects.bulk_create(
        [
            SensitiveRecord(
                worker=profile, data={"id_number": person["id_number"]}, id_number_index=person["id_number_index"]
            )
            for profile, person in zip(profiles, people, strict=True)
            if person.get("id_number")
        ],
        batch_size=1000,
    )
    links = WorkerProfile.desired_occupations.through
    links.objects.bulk_create(
        [
            links(workerprofile_id=profile.pk, occupation_id=person["occupation"])
            for profile, person in zip(profiles, people, strict=True)
            if person.get("occupation")
        ],
        batch_size=1000,
    )
    return profiles


def check_working_age(date_of_birth) -> None:
    """Workers are of working age (MIN_WORKING_AGE), whether they fill their profile or a desk import registers them."""
    if WorkerProfile(date_of_birth=date_of_birth).age < MIN_WORKING_AGE:
        raise ValidationError(
            {"date_of_birth": [_("Workers must be at least %(age)s years old.") % {"age": MIN_WORKING_AGE}]}
        )


def id_number_index(number: str, *, born, sex: str) -> str:
    """The ID number checked against its holder (candidates/ids.py); its blind index, to find it again."""
    try:
        validate_id_number(number, born=born, sex=sex)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None
    return blind_index(number)


def _save_sensitive(worker: WorkerProfile, data: dict) -> None:
    number = data.get("id_number") or ""
    index = id_number_index(number, born=worker.date_of_birth, sex=worker.sex) if number else ""
    try:
        with transaction.atomic():
            SensitiveRecord.objects.update_or_create(worker=worker, defaults={"data": data, "id_number_index": index})
    except IntegrityError:  # the unique index on the number's hash: another account has it
        raise ValidationError({"id_number": [_("Another account is registered with this ID number.")]}) from None


def personal_data(*, worker: WorkerProfile, viewer) -> dict:
    """The worker's sensitive data as `viewer` may see it; any viewer but the worker is audited.

    The worker and officers see it all. A member of an organisation the worker applied to sees
    the ID number masked and nothing of ethnicity, health or priority groups.
    """
    record = getattr(worker, "sensitive", None)
    data = record.data if record else {}
    if viewer.pk == worker.user_id:
        return data
    officer = is_officer(viewer)
    views_audit(viewer=viewer, shown={worker.user_id: "sensitive record" if officer else "masked record"})
    return data if officer else {"id_number": mask_id_number(data.get("id_number"))}


def contact_for(*, worker: WorkerProfile, viewer, applied: bool | None = None) -> dict:
    """Name and contact: to the worker and officers always; to an organisation only once the worker
    applied to one of its vacancies (`applied`, when the caller knows it already)."""
    if applied is None:
        applied = worker_opened_to(worker, viewer)
    if viewer.pk == worker.user_id or is_officer(viewer) or applied:
        return {"full_name": worker.full_name, "phone": worker.user.phone, "email": worker.user.email}
    return {"full_name": "", "phone": masked(worker.user.phone), "email": ""}


def applicants_shown(*, viewer, applications: list[Application]) -> None:
    """A list of applicants shows their names and phones to the organisation: one entry per applicant, as
    every view of them is (the API's list and the applicants page alike)."""
    shown = {a.worker.user_id: f"applicant: application {a.pk}, vacancy {a.vacancy_id}" for a in applications}
    views_audit(viewer=viewer, shown=shown)


def worker_opened_to(worker: WorkerProfile, viewer) -> bool:
    """The worker applied to a vacancy of one of the viewer's organisations, or accepted its invitation."""
    theirs = {"vacancy__organisation__memberships__user": viewer.pk}
    accepted = Invitation.objects.filter(worker=worker, status=Invitation.Status.ACCEPTED, **theirs)
    return Application.objects.filter(worker=worker, **theirs).exists() or accepted.exists()


# One answer for every worker an organisation cannot see among its candidates (no consent to be found, outside
# the vacancy's age band or sex, no such worker): which rule it was would tell their age or their consent.
NOT_A_CANDIDATE = gettext_lazy("This worker is not among the candidates for this vacancy.")


@transaction.atomic
def invitation_send(*, vacancy: Vacancy, worker: WorkerProfile, by) -> Invitation:
    require_member(by, vacancy.organisation)
    if not Vacancy.objects.visible().filter(pk=vacancy.pk).exists():
        raise ValidationError({"vacancy": [_("This vacancy is not open for applications.")]})
    found = WorkerProfile.objects.indexable().filter(pk=worker.pk).exists()
    if not found or hard_requirement_errors(worker, vacancy):
        raise ValidationError({"worker": [NOT_A_CANDIDATE]})
    invitation, created = Invitation.objects.get_or_create(vacancy=vacancy, worker=worker, defaults={"invited_by": by})
    if not created:
        raise ValidationError({"worker": [_("This worker has been invited to this vacancy already.")]})
    context = {"vacancy": vacancy.title, "organisation": vacancy.organisation.name, "path": f"/vacancies/{vacancy.pk}/"}
    notify(kind="invitation", user=worker.user, context=context)
    return invitation


@transaction.atomic
def invitation_answer(*, invitation: Invitation, by, accept: bool) -> Invitation:
    if by.pk != invitation.worker.user_id:
        raise PermissionDenied(_("Only the worker may answer an invitation."))
    invitation = (  # answered once, however many clicks; the answer shows its vacancy and organisation
        Invitation.objects.select_for_update(of=("self",)).select_related("vacancy__organisation").get(pk=invitation.pk)
    )
    INVITATION_FLOW.move(invitation, "accept" if accept else "decline", answered_at=timezone.now())
    return invitation


INVITATION_FLOW = Workflow(
    [
        ({Invitation.Status.SENT}, "accept", Invitation.Status.ACCEPTED),
        ({Invitation.Status.SENT}, "decline", Invitation.Status.DECLINED),
    ],
    refused=gettext_lazy("This invitation has been answered already."),
)


@transaction.atomic
def vacancy_save(*, worker: WorkerProfile, vacancy: Vacancy, saved: bool = True) -> None:
    """Keep an eye on a vacancy (or stop): a reminder comes two days before its deadline."""
    if saved:
        SavedVacancy.objects.get_or_create(worker=worker, vacancy=vacancy)
    else:
        SavedVacancy.objects.filter(worker=worker, vacancy=vacancy).delete()


# --- Certificates and experience ------------------------------------------------------------


@transaction.atomic
def certificate_add(*, worker: WorkerProfile, **fields) -> Certificate:
    certificate = Certificate(worker=worker, **fields)
    certificate.full_clean()
    certificate.save()
    _touch(worker)
    return certificate


@transaction.atomic
def language_add(*, worker: WorkerProfile, framework: str, level: str, **fields) -> LanguageCertificate:
    try:
        validate_level(framework, level)
    except ValidationError as error:
        raise ValidationError({"level": error.messages}) from None
    certificate = LanguageCertificate(worker=worker, framework=framework, level=level.strip().upper(), **fields)
    certificate.full_clean()
    certificate.save()
    _touch(worker)
    return certificate


@transaction.atomic
def experience_add(*, worker: WorkerProfile, **fields) -> WorkExperience:
    experience = WorkExperience(worker=worker, **fields)
    if experience.ended_on and experience.ended_on < experience.started_on:
        raise ValidationError({"ended_on": [_("The end is before the start.")]})
    experience.full_clean()
    experience.save()
    return experience


@transaction.atomic
def record_delete(*, record) -> None:
    """Delete one of the worker's own certificates or experiences."""
    worker = record.worker
    record.delete()
    _touch(worker)


@transaction.atomic
def certificate_verify(*, certificate, by) -> None:
    """An officer checks a certificate against the issuing institution's register."""
    require_officer(by)
    certificate.verified = True
    certificate.save(update_fields=["verified"])
    officer_audit(by=by, what=f"verified {certificate}", subject=certificate.worker.user)
    _touch(certificate.worker)


@transaction.atomic
def certificate_issue(*, worker: WorkerProfile, **fields) -> Certificate:
    """A certificate the issuing institution itself records (a course completed on the portal): verified
    from the start, and in the worker's matching at once (matching reads certificates from the database;
    the candidates index is queued)."""
    certificate = Certificate(worker=worker, kind=Certificate.Kind.VOCATIONAL, verified=True, **fields)
    certificate.full_clean()
    certificate.save()
    _touch(worker)
    return certificate


def as_counted(worker: WorkerProfile, day) -> dict:
    """What a placement or an enrolment keeps of the worker as on `day` (candidates.models.CountedPerson),
    the priority groups read from the encrypted record once, here."""
    record = getattr(worker, "sensitive", None)
    return {
        "commune_id": worker.commune_id,
        "sex": worker.sex,
        "age_band": age_band(worker.age_on(day)),
        "priority_groups": [item["group"] for item in (record.data.get("priority_groups", []) if record else [])],
    }


def _touch(worker: WorkerProfile) -> None:
    """What is in the candidates index changed: mark the profile and queue it."""
    WorkerProfile.objects.filter(pk=worker.pk).update(modified_at=timezone.now())
    index_on_commit(WorkerProfile, [worker.pk])


# --- Consents -------------------------------------------------------------------------------


@transaction.atomic
def consent_set(*, worker: WorkerProfile, purpose: str, granted: bool) -> Consent | None:
    """Give or withdraw one consent. Withdrawing "be found" takes the worker out of the index at once."""
    live = Consent.objects.select_for_update().filter(worker=worker, purpose=purpose, withdrawn_at__isnull=True).first()
    if granted and live is None:
        live = Consent.objects.create(worker=worker, purpose=purpose, text_version=CONSENT_TEXT_VERSION)
    elif not granted and live is not None:
        live.withdrawn_at = timezone.now()
        live.save(update_fields=["withdrawn_at"])
    if purpose == Consent.Purpose.BE_FOUND:
        _touch(worker)
    return live


# --- Applications ---------------------------------------------------------------------------

Stage = Application.Status
OPEN_STAGES = {Stage.APPLIED, Stage.SHORTLISTED, Stage.INTERVIEWED, Stage.OFFERED}
# The application's path, in one place: (from statuses, move, to). The organisation names each move by the
# status it leads to; the worker withdraws an application that is still open.
APPLICATION_FLOW = Workflow(
    [
        ({Stage.APPLIED}, Stage.SHORTLISTED, Stage.SHORTLISTED),
        ({Stage.SHORTLISTED}, Stage.INTERVIEWED, Stage.INTERVIEWED),
        ({Stage.INTERVIEWED}, Stage.OFFERED, Stage.OFFERED),
        ({Stage.OFFERED}, Stage.HIRED, Stage.HIRED),
        ({Stage.OFFERED}, Stage.DEPARTED, Stage.DEPARTED),
        (OPEN_STAGES, Stage.REJECTED, Stage.REJECTED),
        (OPEN_STAGES, "withdraw", Stage.WITHDRAWN),
    ],
    refused=gettext_lazy("An application that is %(status)s cannot become %(action)s."),
    words={"withdraw": Stage.WITHDRAWN.label},
)


def application_next(status: str) -> list[str]:
    """The statuses the organisation may move an application on to (withdrawing is the worker's)."""
    return [move for move in APPLICATION_FLOW.actions(status) if move != "withdraw"]


def hard_requirement_errors(worker: WorkerProfile, vacancy: Vacancy) -> list[str]:
    """The rules that exclude a worker from a vacancy, each in words (search filters on the same)."""
    problems = []
    age = worker.age
    low, high = vacancy.age_limits()
    if age < low or (high and age > high):
        problems.append(
            _("This vacancy takes workers aged %(low)s to %(high)s; you are %(age)s.")
            % {"low": low, "high": high or "…", "age": age}
        )
    if vacancy.sex != Vacancy.Sex.ANY and worker.sex != vacancy.sex:
        problems.append(_("This programme's employer asks for %(sex)s workers.") % {"sex": vacancy.get_sex_display()})
    return problems


@transaction.atomic
def apply(*, worker: WorkerProfile, vacancy: Vacancy) -> Application:
    if not Vacancy.objects.visible().filter(pk=vacancy.pk).exists():
        raise ValidationError({"vacancy": [_("This vacancy is not open for applications.")]})
    if Application.objects.filter(worker=worker, vacancy=vacancy).exists():
        raise ValidationError({"vacancy": [_("You have applied to this vacancy already.")]})
    if problems := hard_requirement_errors(worker, vacancy):
        raise ValidationError({"vacancy": problems})
    try:
        with transaction.atomic():
            application = Application.objects.create(worker=worker, vacancy=vacancy)
    except IntegrityError:  # the same application sent twice at once
        raise ValidationError({"vacancy": [_("You have applied to this vacancy already.")]}) from None
    ApplicationEvent.objects.create(application=application, to_status=application.status, by=worker.user)
    return application


# Law 91/2025 art. 25: a candidate who is not recruited has their data deleted unless agreed otherwise.
# What the organisation holds is the application (it opened the worker's name and contact); it goes,
# after a month to ask why or complain. The worker's profile stays theirs, and a worker who agreed to
# be found stays findable, masked, as before.
UNSELECTED_KEPT = timedelta(days=30)
UNDECIDED_AFTER_DEADLINE = timedelta(days=90)  # hiring goes on after the deadline; then it has lapsed


def applications_purge_unselected(*, now=None) -> int:
    now = now or timezone.now()
    unselected = Application.objects.unselected(
        decided_before=now - UNSELECTED_KEPT,
        deadline_before=timezone.localdate(now) - UNDECIDED_AFTER_DEADLINE - UNSELECTED_KEPT,
    )
    _total, deleted = Application.objects.filter(pk__in=unselected.values("pk")).delete()
    count = deleted.get(Application._meta.label, 0)
    logger.info("Deleted %s applications of candidates who were not recruited (Law 91/2025 art. 25)", count)
    return count


@transaction.atomic
def application_withdraw(*, application: Application, by) -> Application:
    if by.pk != application.worker.user_id:
        raise PermissionDenied(_("Only the worker may withdraw an application."))
    application = Application.objects.select_for_update().get(pk=application.pk)  # not while it is moved on
    return _move(application, by, "withdraw", "")


@transaction.atomic
def application_move(*, application: Application, by, status: str, note: str = "") -> Application:
    """The organisation moves an application on. Hired (at home) or departed (abroad) makes a placement."""
    require_member(by, application.vacancy.organisation)
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("vacancy__contract").get(pk=application.pk)
    )
    vacancy = application.vacancy
    APPLICATION_FLOW.check(application, status)  # before the rules of the step: the clearer answer
    if status == Application.Status.HIRED and vacancy.is_overseas:
        raise ValidationError({"status": [_("A worker going abroad is recorded as departed, not hired.")]})
    if status == Application.Status.DEPARTED and not vacancy.is_overseas:
        raise ValidationError({"status": [_("A worker placed at home is recorded as hired, not departed.")]})
    if status == Application.Status.DEPARTED and (missing := abroad.departure_refusal(application)):
        raise ValidationError({"status": missing})
    if status in (Application.Status.HIRED, Application.Status.DEPARTED):
        _check_capacity(vacancy)
    application = _move(application, by, status, note)
    if status in (Application.Status.HIRED, Application.Status.DEPARTED):
        _placement_from(application)
    context = {"vacancy": vacancy.title, "status": status, "path": "/me/applications/"}
    notify(kind="application_moved", user=application.worker.user, context=context)
    return application


def _check_capacity(vacancy: Vacancy) -> None:
    try:
        places_left({vacancy.pk}).take(vacancy.pk)
    except ValidationError as error:
        raise ValidationError({"status": error.messages}) from None


@dataclass
class Places:
    """The places still open, locked until the transaction commits: each vacancy's positions and each
    contract's quota, less the placements that fill them (`Placement.objects.filling()`)."""

    vacancies: dict[int, list[int]]  # vacancy id → [positions, left]
    contracts: dict[int, list[int]]  # contract id → [quota, left]
    contract_of: dict[int, int | None]

    def take(self, vacancy_id: int) -> None:
        """One hire for the vacancy: one place fewer there and on its contract, or a ValidationError
        saying which is full."""
        positions, left = self.vacancies[vacancy_id]
        if left < 1:
            raise ValidationError(_("All %(n)s positions of this vacancy are filled.") % {"n": positions})
        contract = self.contract_of[vacancy_id]
        if contract is not None and self.contracts[contract][1] < 1:
            raise ValidationError(_("The labour supply contract's quota is used up."))
        self.vacancies[vacancy_id][1] -= 1
        if contract is not None:
            self.contracts[contract][1] -= 1


def places_left(vacancy_ids: set[int]) -> Places:
    """The vacancies' and their contracts' places left, the rows locked (vacancies, then contracts, each by
    id) so two hires never take the same last place: one hire (`_check_capacity`) and an import's many.
    Four queries at most, whatever the number of vacancies (none for contracts when there are none)."""
    vacancies = Vacancy.objects.select_for_update().filter(pk__in=vacancy_ids).order_by("pk")
    vacancies = list(vacancies.values_list("pk", "positions", "contract"))
    contract_of = {pk: contract for pk, _positions, contract in vacancies}
    contract_ids = {contract for contract in contract_of.values() if contract is not None}
    contracts = LabourSupplyContract.objects.select_for_update().filter(pk__in=contract_ids).order_by("pk")
    filling = Placement.objects.filling()
    by_vacancy = _count_by(filling.filter(vacancy__in=vacancy_ids), "vacancy")
    by_contract = _count_by(filling.filter(vacancy__contract__in=contract_ids), "vacancy__contract")
    return Places(
        vacancies={pk: [positions, positions - by_vacancy.get(pk, 0)] for pk, positions, _contract in vacancies},
        contracts={pk: [quota, quota - by_contract.get(pk, 0)] for pk, quota in contracts.values_list("pk", "quota")},
        contract_of=contract_of,
    )


def _count_by(placements, field: str) -> dict[int, int]:
    return dict(placements.values(field).annotate(n=Count("pk")).values_list(field, "n"))


def _move(application: Application, by, move: str, note: str) -> Application:
    source = APPLICATION_FLOW.move(application, move)
    ApplicationEvent.objects.create(
        application=application, from_status=source, to_status=application.status, by=by, note=note
    )
    return application


def _placement_from(application: Application) -> Placement:
    worker, vacancy = application.worker, application.vacancy
    today = timezone.localdate()
    return Placement.objects.create(
        worker=worker,
        application=application,
        vacancy=vacancy,
        organisation=vacancy.organisation,
        placed_on=today,
        is_abroad=vacancy.is_overseas,
        expected_return_on=abroad.expected_return(application, today) if vacancy.is_overseas else None,
        country=vacancy.country,
        programme=vacancy.programme_in_force,
        occupation=vacancy.occupation,
        **as_counted(worker, today),
    )


# --- Placements -----------------------------------------------------------------------------

# Only confirmed placements count toward the targets; a withdrawn one counts nowhere.
PLACEMENT_FLOW = Workflow(
    [
        ({Placement.Status.PENDING}, "confirm", Placement.Status.CONFIRMED),
        ({Placement.Status.PENDING, Placement.Status.CONFIRMED}, "withdraw", Placement.Status.WITHDRAWN),
    ],
    refused={
        "confirm": gettext_lazy("Only a placement awaiting confirmation can be confirmed."),
        "withdraw": gettext_lazy("This placement is withdrawn already."),
    },
)


@transaction.atomic
def placement_confirm(*, placement: Placement, by) -> Placement:
    """Only confirmed placements count toward the targets; each counts once."""
    require_officer(by)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    PLACEMENT_FLOW.move(placement, "confirm", confirmed_by=by, confirmed_at=timezone.now())
    officer_audit(by=by, what=f"confirmed placement {placement.pk}")
    return placement


@transaction.atomic
def placements_confirm(*, ids: list[int], by) -> int:
    """Confirm many at once (the queue's ticked placements): only those still awaiting confirmation
    change, so a placement ticked twice, or confirmed meanwhile, is counted once. How many changed."""
    require_officer(by)
    ticked = Placement.objects.filter(pk__in=ids)
    changed = PLACEMENT_FLOW.bulk(ticked, "confirm", confirmed_by=by, confirmed_at=timezone.now())
    for pk, _status in changed:
        officer_audit(by=by, what=f"confirmed placement {pk}")
    return len(changed)


@transaction.atomic
def placement_withdraw(*, placement: Placement, by, reason: str) -> Placement:
    require_officer(by)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the placement is withdrawn.")]})
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    PLACEMENT_FLOW.move(placement, "withdraw")
    officer_audit(by=by, what=f"withdrew placement {placement.pk}", why=reason)
    return placement


@transaction.atomic
def placement_record(*, by, **fields) -> Placement:
    """An officer records a placement made outside the portal (a job fair, a direct hire)."""
    require_officer(by)
    placement = Placement(**fields)
    if placement.source == Placement.Source.PORTAL:
        raise ValidationError({"source": [_("Say where the placement was made: a job fair or a direct hire.")]})
    placement.full_clean()
    placement.save()
    officer_audit(by=by, what=f"recorded placement {placement.pk}")
    return placement


# --- The worker's own data ------------------------------------------------------------------


def worker_export(*, worker: WorkerProfile) -> dict:
    """Everything the portal holds about the worker, for the worker (Law 91/2025: right of access)."""
    user = worker.user
    return {
        "account": {"phone": user.phone, "email": user.email, "joined": user.date_joined.isoformat()},
        "profile": {
            "full_name": worker.full_name,
            "date_of_birth": worker.date_of_birth.isoformat(),
            "sex": worker.sex,
            "commune": worker.commune.name,
            "education": worker.education,
            "skills": worker.skills,
            "desired_occupations": list(worker.desired_occupations.values_list("code", flat=True)),
            "desired_communes": list(worker.desired_communes.values_list("name", flat=True)),
            "wants_home": worker.wants_home,
            "wants_abroad": worker.wants_abroad,
            "desired_countries": list(worker.desired_countries.values_list("code", flat=True)),
            "desired_programmes": list(worker.desired_programmes.values_list("code", flat=True)),
            "expected_salary_vnd": worker.expected_salary_vnd,
            "available_from": worker.available_from and worker.available_from.isoformat(),
        },
        "sensitive": getattr(getattr(worker, "sensitive", None), "data", {}),
        "certificates": list(
            worker.certificates.values(
                "kind", "level", "institution", "serial_number", "register_number", "issued_on", "verified"
            )
        ),
        "languages": list(worker.languages.values("framework", "level", "issued_on", "verified")),
        "experience": list(worker.experience.values("employer_name", "place", "started_on", "ended_on", "description")),
        "consents": list(worker.consents.values("purpose", "text_version", "granted_at", "withdrawn_at")),
        "applications": [
            {
                "vacancy": a.vacancy.title,
                "status": a.status,
                "history": [
                    {"from_status": e.from_status, "to_status": e.to_status, "at": e.at} for e in a.events.all()
                ],
            }
            for a in worker.applications.select_related("vacancy").prefetch_related("events")
        ],
        "placements": list(worker.placements.values("placed_on", "is_abroad", "country", "status")),
        "enrolments": list(  # training/: the courses the worker asked for, and how they ended
            worker.enrolments.values("course__title", "course__organisation__name", "status", "accepted_on")
            .annotate(completed=F("completed_on"))
            .order_by("applied_at")
        ),
        "invitations": list(worker.invitations.values("vacancy__title", "status", "created_at", "answered_at")),
        "saved_vacancies": list(worker.saved.values("vacancy__title", "created_at")),
        "messages_sent": list(
            Message.objects.filter(event__user=user).values("event__kind", "channel", "to", "status", "created_at")
        ),
        # Who saw the worker's data: the person, whether an officer, the organisations they act for.
        "seen_by": list(
            user.audit_entries.values("id", "action", "at", "detail", viewer=F("actor__username"))
            .annotate(
                officer=F("actor__is_officer"),
                organisations=ArrayAgg(
                    "actor__memberships__organisation__name",
                    filter=Q(actor__memberships__isnull=False),
                    distinct=True,
                    default=Value([]),
                ),
            )
            .order_by("at", "id")
        ),
    }


# Apps above candidates/ that keep what a person left (desk/'s reports: the contact; fairs/' registrations: the
# number) forget it when the account is erased; each adds its function here from its AppConfig.ready() (README,
# Architecture: no import upwards).
ERASERS: list = []


@transaction.atomic
def account_erase(*, user) -> None:
    """Erase an account and everything personal about it, with a worker's profile or without one: the
    profile and all that hangs on it, memberships, the contact the person left on reports (the case
    stays, as evidence, without them) and the number on fair registrations (the rows stay). Placements
    stay as anonymous records (commune, sex, age band, priority groups as they were), so the province's
    counts do not change, nor do the fairs'."""
    if is_officer(user):
        raise PermissionDenied(_("An officer's account is closed by the department's administrators."))
    for forget in ERASERS:  # first: they may find what the person left through the profile
        forget(user)
    worker = WorkerProfile.objects.filter(user=user).first()
    if worker is not None:
        pk = worker.pk
        Placement.objects.filter(worker=worker).update(worker=None, application=None)
        worker.delete()  # profile, sensitive record, certificates, consents, applications, experience
        index_on_commit(WorkerProfile, [pk])
    Membership.objects.filter(user=user).delete()
    # Messages to them go with the account (Event.user cascades); codes were sent to the number alone.
    Event.objects.filter(phone=user.phone).delete()
    PhoneCode.objects.filter(phone=user.phone).delete()
    erased = f"worker {pk}" if worker is not None else f"account {user.pk}"
    audit(actor=None, action=AuditEntry.Action.ERASE, detail=f"{erased} erased their account")
    user.delete()
