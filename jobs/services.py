"""Every write to the jobs domain: reference data, organisations, contracts, vacancies.

Services check permissions (jobs/permissions.py) and rules, raise ValidationError with a message per
field, write in one transaction, and queue the vacancies whose visibility may have changed for
search (`index_on_commit`), so the index follows every change that matters to the public.
"""

import csv
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import officer_audit
from jobs.fees import FeeCheck, check_fees, describe, within_cap
from jobs.languages import validate_level
from jobs.models import (
    MIN_AGE_ABROAD,
    MIN_WORKING_AGE,
    Commune,
    Country,
    ExchangeRate,
    FeeRule,
    LabourSupplyContract,
    LanguageRequirement,
    Membership,
    Occupation,
    OldDistrict,
    Organisation,
    OverseasTerms,
    Programme,
    Sanction,
    Vacancy,
    VacancyEvent,
)
from jobs.permissions import is_officer, require_member, require_officer
from jobs.stream import index_on_commit
from notifications.services import notify
from portal.workflow import Workflow

DATA = Path(__file__).parent / "data"
Status = Vacancy.Status

# --- Reference data -------------------------------------------------------------------------


@transaction.atomic
def occupation_save(*, code: str, name_vi: str, name_en: str, aliases: list[str]) -> Occupation:
    occupation, _created = Occupation.objects.update_or_create(
        code=code, defaults={"name_vi": name_vi, "name_en": name_en, "aliases": aliases}
    )
    index_on_commit(Occupation, [occupation.pk])
    _reindex(Vacancy.objects.filter(occupation=occupation))  # they carry the occupation's name
    return occupation


@transaction.atomic
def programme_save(programme: Programme) -> Programme:
    """Save a programme (the admin edits its age band and requirements): its vacancies carry the band in
    the index, where matching filters on it, so they are indexed again."""
    programme.save()
    _reindex(Vacancy.objects.filter(Q(programme=programme) | Q(contract__programme=programme)))
    return programme


@transaction.atomic
def occupations_load(*, path: Path = DATA / "occupations.csv") -> int:
    """Insert or update the occupation reference list from its CSV, in one statement."""
    with path.open(encoding="utf-8") as file:
        rows = [
            Occupation(code=row["code"], name_vi=row["name_vi"], name_en=row["name_en"], aliases=_split(row["aliases"]))
            for row in csv.DictReader(file)
        ]
    saved = Occupation.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name_vi", "name_en", "aliases", "modified_at"],
    )
    index_on_commit(Occupation, [occupation.pk for occupation in saved])
    return len(saved)


def _split(aliases: str) -> list[str]:
    return [alias.strip() for alias in aliases.split("|") if alias.strip()]


@transaction.atomic
def communes_load(*, path: Path = DATA / "admin_units.json") -> int:
    """The 2025 communes and the pre-2025 districts they came from (source: vietnamadminunits 1.0.4)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    districts = OldDistrict.objects.bulk_create(
        [OldDistrict(code=d["code"], name=d["name"], old_province=d["old_province"]) for d in data["old_districts"]],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "old_province"],
    )
    communes = Commune.objects.bulk_create(
        [
            Commune(code=c["code"], name=c["name"], kind=c["kind"], latitude=c["latitude"], longitude=c["longitude"])
            for c in data["communes"]
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "kind", "latitude", "longitude"],
    )
    district_pk = {d.code: d.pk for d in districts}
    links = Commune.old_districts.through
    links.objects.filter(commune__in=communes).delete()
    links.objects.bulk_create(
        [
            links(commune_id=commune.pk, olddistrict_id=district_pk[code])
            for commune, source in zip(communes, data["communes"], strict=True)
            for code in source["old_districts"]
        ]
    )
    return len(communes)


@transaction.atomic
def reference_load(*, path: Path = DATA / "reference.json") -> None:
    """Countries, programmes, fee rules and exchange rates. Fee rules and rates are only added when
    the table is empty: once loaded, officers own them in the admin."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for code, name_vi, name_en in data["countries"]:
        Country.objects.update_or_create(code=code, defaults={"name_vi": name_vi, "name_en": name_en})
    for programme in data["programmes"]:
        country, code = programme.pop("country"), programme.pop("code")
        saved = Programme.objects.filter(code=code).first() or Programme(code=code)
        wanted = {**programme, "country_id": country}
        if saved.pk is None or any(getattr(saved, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(saved, name, value)
            programme_save(saved)  # a changed age band reaches the index
    if not FeeRule.objects.exists():
        for rule in data["fee_rules"]:
            occupations, country = rule.pop("occupations", []), rule.pop("country", None)
            programme = Programme.objects.filter(code=rule.pop("programme", None)).first()
            created = FeeRule.objects.create(**rule, country_id=country, programme=programme)
            created.occupations.set(Occupation.objects.filter(code__in=occupations))
    rates = data["exchange_rates"]
    if not ExchangeRate.objects.exists():
        ExchangeRate.objects.bulk_create(
            ExchangeRate(currency=currency, vnd_per_unit=Decimal(rate), as_of=rates["as_of"], source=rates["_source"])
            for currency, rate in rates["rates"].items()
        )


# --- Organisations --------------------------------------------------------------------------

LICENCE_FIELDS = ["licence_number", "licence_issued_on", "licence_expires_on"]


@transaction.atomic
def organisation_register(*, by, kind: str, name: str, tax_code: str, **fields) -> Organisation:
    """A user registers an organisation and becomes its owner; it awaits verification. The public
    employment service centre is the department's own: only an officer registers one."""
    if kind == Organisation.Kind.PUBLIC_CENTRE and not is_officer(by):
        raise ValidationError({"kind": [_("The public employment service centre is registered by the department.")]})
    organisation = Organisation(kind=kind, name=name, tax_code=tax_code, **fields)
    if kind == Organisation.Kind.AGENCY:
        missing = {
            field: [_("A service enterprise must give its licence.")]
            for field in LICENCE_FIELDS
            if not fields.get(field)
        }
        if missing:
            raise ValidationError(missing)
        organisation.licence_status = Organisation.LicenceStatus.ACTIVE
    else:
        for field in LICENCE_FIELDS:
            setattr(organisation, field, None if field != "licence_number" else "")
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(user=by, organisation=organisation, role=Membership.Role.OWNER)
    return organisation


CONTACT_FIELDS = ["commune", "address", "phone", "email", "website"]


@transaction.atomic
def organisation_update(*, organisation: Organisation, by, **fields) -> Organisation:
    """Members keep their contact details current. What the department verified (kind, name, tax
    code, licence) changes only through an officer."""
    require_member(by, organisation)
    if locked := sorted(set(fields) - set(CONTACT_FIELDS)):
        raise ValidationError({field: [_("Ask the department to change this; it was verified.")] for field in locked})
    for field, value in fields.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_verify(*, organisation: Organisation, by, approve: bool, note: str = "") -> Organisation:
    require_officer(by)
    if not approve and not note.strip():
        raise ValidationError({"note": [_("Say why the organisation is rejected.")]})
    organisation.verification = Organisation.Verification.VERIFIED if approve else Organisation.Verification.REJECTED
    organisation.verification_note = note
    organisation.verified_at = timezone.now()
    organisation.save()
    _reindex(Vacancy.objects.by_organisation(organisation))
    officer_audit(by=by, what=f"{organisation.verification} organisation {organisation.pk}", why=note)
    return organisation


@transaction.atomic
def licence_set_status(*, organisation: Organisation, by, status: str, note: str = "") -> Organisation:
    """Suspending or revoking a licence takes the enterprise's overseas vacancies out of view at once."""
    require_officer(by)
    if organisation.kind != Organisation.Kind.AGENCY:
        raise ValidationError({"licence_status": [_("Only service enterprises hold a licence.")]})
    organisation.licence_status = status
    organisation.verification_note = note or organisation.verification_note
    organisation.full_clean()
    organisation.save()
    _reindex(Vacancy.objects.by_organisation(organisation))
    officer_audit(by=by, what=f"licence of organisation {organisation.pk} {status}", why=note)
    return organisation


SANCTION_LICENCE = {
    Sanction.Kind.SUSPENSION: Organisation.LicenceStatus.SUSPENDED,
    Sanction.Kind.REVOCATION: Organisation.LicenceStatus.REVOKED,
}


@transaction.atomic
def sanction_record(
    *,
    by,
    kind: str,
    decision_number: str = "",
    decided_on: date | None = None,
    organisation: Organisation | None = None,
    subject_name: str = "",
    fine_vnd: int | None = None,
    until: date | None = None,
    note: str = "",
) -> Sanction:
    """An officer records a sanction decided against an enterprise or an unlisted broker. A suspension or
    revocation sets the licence's status, which takes the enterprise's overseas vacancies out of search."""
    require_officer(by)
    errors = {}
    if kind not in Sanction.Kind.values:
        errors["sanction_kind"] = [_("Choose a sanction.")]
    if not decision_number.strip():
        errors["decision_number"] = [_("Give the number of the sanction decision.")]
    if decided_on is None or decided_on > timezone.localdate():
        errors["decided_on"] = [_("Give the day the sanction was decided, today or earlier.")]
    if kind == Sanction.Kind.FINE and not fine_vnd:
        errors["fine_vnd"] = [_("Give the amount of the fine.")]
    if kind in SANCTION_LICENCE and (organisation is None or organisation.kind != Organisation.Kind.AGENCY):
        errors["sanction_kind"] = [_("Only a service enterprise on the portal holds a licence to suspend or revoke.")]
    if until is not None and (kind != Sanction.Kind.SUSPENSION or (decided_on and until <= decided_on)):
        errors["until"] = [_("A suspension ends after the day it was decided; other sanctions have no end date.")]
    if errors:
        raise ValidationError(errors)
    sanction = Sanction.objects.create(
        organisation=organisation,
        subject_name=organisation.name if organisation else subject_name.strip(),
        kind=kind,
        decision_number=decision_number.strip(),
        decided_on=decided_on,
        fine_vnd=fine_vnd if kind == Sanction.Kind.FINE else None,
        until=until,
        recorded_by=by,
    )
    if kind in SANCTION_LICENCE:
        licence_set_status(organisation=organisation, by=by, status=SANCTION_LICENCE[kind], note=note)
    elif organisation is not None:
        _reindex(Vacancy.objects.by_organisation(organisation))  # a warning shows on its vacancies in search
    officer_audit(by=by, what=f"sanction {sanction.pk} ({kind} {sanction.decision_number})", why=note)
    return sanction


@transaction.atomic
def fee_rule_revise(*, current: FeeRule, by, valid_from: date, changes: dict, occupations=None) -> FeeRule:
    """A change to a fee rule is a new version from `valid_from`; the current one ends the day before and
    stays, with the verdicts checked against it (jobs/fees.py)."""
    require_officer(by)
    current = FeeRule.objects.select_for_update().get(pk=current.pk)
    if hasattr(current, "superseded_by"):
        raise ValidationError({"valid_from": [_("This version was already replaced; change the latest one.")]})
    if valid_from <= current.valid_from:
        raise ValidationError(
            {
                "valid_from": [
                    _("A new version starts after the current one (from %(date)s).")
                    % {"date": current.valid_from.strftime("%d/%m/%Y")}
                ]
            }
        )
    previous_occupations = list(current.occupations.all())
    revised = FeeRule(**{f.attname: getattr(current, f.attname) for f in FeeRule._meta.concrete_fields})
    for name, value in changes.items():
        setattr(revised, name, value)
    revised.pk, revised.supersedes, revised.version = None, current, current.version + 1
    revised.valid_from, revised.valid_to = valid_from, None
    current.valid_to = valid_from - timedelta(days=1)
    current.save(update_fields=["valid_to"])
    revised.full_clean(exclude=["supersedes"])
    revised.save()
    revised.occupations.set(previous_occupations if occupations is None else occupations)
    officer_audit(by=by, what=f"fee rule {current.pk} v{current.version} → {revised.pk} v{revised.version}", why="")
    return revised


def _reindex(vacancies) -> None:
    """What the index holds of these vacancies changed with another record (their organisation,
    contract, occupation or programme): mark them changed, so reconcile finds them if the task is lost,
    and queue them."""
    vacancies.update(modified_at=timezone.now())
    index_on_commit(Vacancy, vacancies.values_list("pk", flat=True))


@transaction.atomic
def member_remove(*, organisation: Organisation, by, user) -> None:
    """The owner removes a member; an organisation always keeps an owner."""
    require_member(by, organisation, owner=True)
    owners = organisation.memberships.filter(role=Membership.Role.OWNER)
    if owners.filter(user=user).exists() and owners.count() == 1:
        raise ValidationError({"username": [_("The last owner cannot be removed.")]})
    organisation.memberships.filter(user=user).delete()


@transaction.atomic
def member_add(*, organisation: Organisation, by, user, role: str = Membership.Role.RECRUITER) -> Membership:
    require_member(by, organisation, owner=True)
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    return membership


# --- Labour supply contracts ----------------------------------------------------------------


@transaction.atomic
def contract_register(*, organisation: Organisation, by, **fields) -> LabourSupplyContract:
    """An enterprise records a labour supply contract approved by the Department of Overseas Labour."""
    return _contract_save(LabourSupplyContract(organisation=organisation), by, fields)


@transaction.atomic
def contract_update(*, contract: LabourSupplyContract, by, **fields) -> LabourSupplyContract:
    """Correct a contract; its quota never drops below what its vacancies already hold."""
    contract = LabourSupplyContract.objects.select_for_update().get(pk=contract.pk)
    keep_organisation(contract, fields)
    held = contract.quota - contract_remaining(contract)
    contract = _contract_save(contract, by, fields)
    if contract.quota < held:
        raise ValidationError(
            {"quota": [_("Vacancies already hold %(held)s places of this contract.") % {"held": held}]}
        )
    _reindex(contract.vacancies.all())  # their fee checks and trust lines read the contract
    return contract


def _contract_save(contract: LabourSupplyContract, by, fields: dict) -> LabourSupplyContract:
    """An enterprise's contract, or the public employment service centre's intake under a programme the
    state runs (EPS, Triple Win): the programme's places for the province stand for the enterprise's licence."""
    require_member(by, contract.organisation)
    for field, value in fields.items():
        setattr(contract, field, value)
    if contract.organisation.kind == Organisation.Kind.PUBLIC_CENTRE:
        _check_state_intake(contract)
    elif not contract.organisation.licence_is_active():
        raise ValidationError(
            {"organisation": [_("Only a service enterprise with an active licence may register contracts.")]}
        )
    if contract.programme and contract.programme.country_id not in (None, contract.country_id):
        raise ValidationError({"programme": [_("This programme is for another country.")]})
    _vnd(contract.monthly_wage, contract.currency, field="currency")
    contract.full_clean()
    contract.save()
    return contract


def _check_state_intake(contract: LabourSupplyContract) -> None:
    programme = contract.programme
    if programme is None or not programme.run_by_state:
        raise ValidationError(
            {"programme": [_("The public employment service centre registers intakes of programmes the state runs.")]}
        )
    if programme.quota is None or contract.quota is None:
        return
    others = LabourSupplyContract.objects.filter(organisation=contract.organisation, programme=programme)
    held = sum(others.exclude(pk=contract.pk).values_list("quota", flat=True))
    if contract.quota > programme.quota - held:
        raise ValidationError(
            {
                "quota": [
                    _("The programme has %(left)s places left for the province.")
                    % {"left": max(programme.quota - held, 0)}
                ]
            }
        )


def contract_remaining(contract: LabourSupplyContract, *, excluding: Vacancy | None = None) -> int:
    """Workers the contract can still take, leaving out `excluding` (the vacancy being checked)."""
    remaining = LabourSupplyContract.objects.with_remaining().values_list("remaining", flat=True).get(pk=contract.pk)
    if excluding is not None and excluding.pk:  # what the vacancy holds itself, as stored
        held = Vacancy.objects.reserving().filter(pk=excluding.pk)
        remaining += sum(held.values_list("positions", flat=True))
    return remaining


# --- Vacancies ------------------------------------------------------------------------------

# The review workflow, in one place: (from statuses, action, to). Courses are reviewed by it too (training/).
VACANCY_FLOW = Workflow(
    [
        ({Status.DRAFT, Status.REJECTED}, "submit", Status.PENDING_REVIEW),
        ({Status.PENDING_REVIEW}, "approve", Status.PUBLISHED),
        ({Status.PENDING_REVIEW}, "reject", Status.REJECTED),
        ({Status.PUBLISHED}, "close", Status.CLOSED),
        ({Status.PUBLISHED}, "expire", Status.EXPIRED),
        # An edit keeps the status, except that a published vacancy goes back to review: the public sees
        # only what an officer approved. Closed and expired vacancies are not edited.
        ({Status.DRAFT}, "edit", Status.DRAFT),
        ({Status.REJECTED}, "edit", Status.REJECTED),
        ({Status.PENDING_REVIEW, Status.PUBLISHED}, "edit", Status.PENDING_REVIEW),
    ],
    refused=gettext_lazy("A vacancy that is %(status)s cannot be %(action)s."),
    words={
        "submit": gettext_lazy("submitted for review"),
        "approve": gettext_lazy("approved"),
        "reject": gettext_lazy("rejected"),
        "close": gettext_lazy("closed"),
        "expire": gettext_lazy("expired"),
        "edit": gettext_lazy("edited"),
    },
)


@transaction.atomic
def vacancy_create(
    *, organisation: Organisation, by, languages: list[dict] = (), overseas_terms: dict | None = None, **fields
) -> Vacancy:
    require_member(by, organisation)
    vacancy = Vacancy(organisation=organisation, created_by=by)
    _apply(vacancy, fields, languages, overseas_terms)
    _record(vacancy, by, "", Status.DRAFT)
    return vacancy


@transaction.atomic
def vacancy_update(
    *, vacancy: Vacancy, by, languages: list[dict] | None = None, overseas_terms: dict | None = None, **fields
) -> Vacancy:
    """Edit a vacancy. A published one goes back to review: the public sees only what an officer approved."""
    require_member(by, vacancy.organisation)
    keep_organisation(vacancy, fields)
    # First: the change stream must never show the unapproved edit of a published vacancy.
    vacancy = transition(vacancy, by, "edit", _("edited after publication"))
    merged = {field: getattr(vacancy, field) for field in VACANCY_FIELDS} | fields
    if hasattr(vacancy, "overseas_terms"):  # a partial change of the terms keeps the rest
        terms = vacancy.overseas_terms
        overseas_terms = {name: getattr(terms, name) for name in TERMS_FIELDS} | (overseas_terms or {})
    if languages is None:
        languages = list(vacancy.languages.values("framework", "level"))
    _apply(vacancy, merged, languages, overseas_terms)
    return vacancy


def keep_organisation(record, fields: dict) -> None:
    """A vacancy, course or contract stays with the organisation that made it: naming another is refused,
    naming its own again (a client sending the whole record back) is no change."""
    organisation = fields.pop("organisation", None)
    if organisation is not None and getattr(organisation, "pk", organisation) != record.organisation_id:
        raise ValidationError({"organisation": [_("The organisation cannot be changed.")]})


VACANCY_FIELDS = [
    "title",
    "description",
    "occupation",
    "skills",
    "positions",
    "is_overseas",
    "commune",
    "country",
    "city",
    "programme",
    "contract",
    "currency",
    "salary_min",
    "salary_max",
    "working_hours",
    "contract_type",
    "training_level",
    "age_min",
    "age_max",
    "sex",
    "benefits",
    "values_overseas_experience",
    "deadline",
    "contact_name",
    "contact_phone",
    "contact_email",
]
TERMS_FIELDS = [
    "contract_months",
    *OverseasTerms.COST_FIELDS,
    "other_fee_note",
    "employer_pays",
    "accommodation",
    "pre_departure_training",
]


def _apply(vacancy: Vacancy, fields: dict, languages, overseas_terms: dict | None) -> None:
    for field, value in fields.items():
        setattr(vacancy, field, value)
    errors = _vacancy_errors(vacancy, overseas_terms)
    if errors:
        raise ValidationError(errors)
    vacancy.salary_min_vnd = _vnd(vacancy.salary_min, vacancy.currency, field="currency")
    vacancy.salary_max_vnd = _vnd(vacancy.salary_max, vacancy.currency, field="currency")
    vacancy.full_clean(exclude=["organisation", "created_by"])
    vacancy.save()
    _save_languages(vacancy, languages)
    if vacancy.is_overseas:
        _save_terms(vacancy, overseas_terms)
    else:
        OverseasTerms.objects.filter(vacancy=vacancy).delete()
    index_on_commit(Vacancy, [vacancy.pk])


def _vacancy_errors(vacancy: Vacancy, overseas_terms: dict | None) -> dict:
    errors = {}
    if vacancy.salary_min is not None and vacancy.salary_max is not None and vacancy.salary_min > vacancy.salary_max:
        errors["salary_max"] = [_("The maximum salary is below the minimum.")]
    if vacancy.age_min and vacancy.age_max and vacancy.age_min > vacancy.age_max:
        errors["age_max"] = [_("The maximum age is below the minimum.")]
    if vacancy.age_min is not None and vacancy.age_min < MIN_WORKING_AGE:  # the API as the page: the law's age
        errors["age_min"] = [_("Workers must be at least %(age)s years old.") % {"age": MIN_WORKING_AGE}]
    if (
        vacancy.deadline
        and vacancy.deadline < timezone.localdate()
        and vacancy.status in (Status.DRAFT, Status.REJECTED)
    ):
        errors["deadline"] = [_("The application deadline has passed.")]
    if not vacancy.is_overseas:
        if vacancy.contract_id or vacancy.country_id or vacancy.programme_id:
            errors["contract"] = [_("A vacancy at home has no labour supply contract, country or programme.")]
        if vacancy.commune_id is None:
            errors["commune"] = [_("Say in which commune the work is.")]
        if vacancy.sex != Vacancy.Sex.ANY:
            errors["sex"] = [_("A vacancy at home may not choose workers by sex.")]
        return errors
    return errors | _overseas_errors(vacancy, overseas_terms)


NO_SUCH_CONTRACT = gettext_lazy("None of your enterprise's approved contracts has this number.")


def _overseas_errors(vacancy: Vacancy, overseas_terms: dict | None) -> dict:
    errors = {}
    if vacancy.contract_id is None:
        return {"contract": [_("A vacancy abroad must name its approved labour supply contract.")]}
    # Locked, so that two vacancies cannot both take the contract's last places. Another enterprise's contract
    # is answered as one that does not exist, before any rule that would read its places, term or country.
    contract = (
        LabourSupplyContract.objects.select_for_update(of=("self",))
        .select_related("programme")
        .filter(pk=vacancy.contract_id, organisation=vacancy.organisation_id)
        .first()
    )
    if contract is None:
        return {"contract": [str(NO_SUCH_CONTRACT)]}
    if vacancy.country_id != contract.country_id:
        errors["country"] = [_("The country must be the contract's.")]
    if vacancy.programme_id and contract.programme_id and vacancy.programme_id != contract.programme_id:
        errors["programme"] = [_("The programme must be the contract's.")]
    remaining = contract_remaining(contract, excluding=vacancy)
    if vacancy.positions and vacancy.positions > remaining:
        errors["positions"] = [
            _("The contract has %(remaining)s places left; this vacancy asks for %(positions)s.")
            % {"remaining": remaining, "positions": vacancy.positions}
        ]
    programme = vacancy.programme or contract.programme
    if vacancy.programme and vacancy.programme.country_id not in (None, vacancy.country_id):
        errors["programme"] = [_("This programme is for another country.")]
    if programme:
        if vacancy.age_min is not None and vacancy.age_min < programme.min_age:
            errors["age_min"] = [_("This programme takes workers from %(age)s.") % {"age": programme.min_age}]
        if vacancy.age_max and programme.max_age and vacancy.age_max > programme.max_age:
            errors["age_max"] = [_("This programme takes workers up to %(age)s.") % {"age": programme.max_age}]
        if vacancy.sex != Vacancy.Sex.ANY and not programme.sex_requirement_allowed:
            errors["sex"] = [_("This programme does not allow choosing workers by sex.")]
    if vacancy.age_min is not None and vacancy.age_min < MIN_AGE_ABROAD:
        errors["age_min"] = [_("Workers going abroad must be at least 18.")]
    months = (overseas_terms or {}).get("contract_months")
    if not months:
        errors["overseas_terms"] = [_("A vacancy abroad must disclose its costs and contract length.")]
    elif error := _term_error(contract, months):
        errors["overseas_terms"] = [error]
    return errors


def _term_error(contract: LabourSupplyContract, months: int) -> str | None:
    # The fee cap grows with the term: the term is the approved contract's, not what the post says.
    if months > contract.term_months:
        return _("The contract length is longer than the approved contract's %(months)s months.") % {
            "months": contract.term_months
        }
    return None


def _save_languages(vacancy: Vacancy, languages) -> None:
    vacancy.languages.all().delete()
    rows = {}
    for index, language in enumerate(languages):
        framework, level = language["framework"], language["level"].strip().upper()
        try:
            validate_level(framework, level)
        except ValidationError as error:
            raise ValidationError({"languages": [f"{index + 1}: {message}" for message in error.messages]}) from None
        if framework in rows:
            raise ValidationError({"languages": [_("Each certificate may be named once.")]})
        rows[framework] = LanguageRequirement(vacancy=vacancy, framework=framework, level=level)
    LanguageRequirement.objects.bulk_create(rows.values())


def _save_terms(vacancy: Vacancy, data: dict) -> None:
    terms = OverseasTerms.objects.filter(vacancy=vacancy).first() or OverseasTerms(vacancy=vacancy)
    for field in TERMS_FIELDS:
        setattr(terms, field, data.get(field, None if field in OverseasTerms.COST_FIELDS else ""))
    _check_fees(vacancy, terms)


def fee_preview(
    *, contract: LabourSupplyContract, contract_months: int, costs: dict, occupation=None, programme=None
) -> FeeCheck:
    """The fee check of costs under one of an agency's contracts, against today's rules and rates: what
    saving the vacancy will store (the form shows it as the costs are typed)."""
    if error := _term_error(contract, contract_months):
        raise ValidationError({"overseas_terms": [error]})
    return check_fees(
        costs=costs,
        contract_months=contract_months,
        monthly_wage_vnd=_vnd(contract.monthly_wage, contract.currency, field="currency"),
        country=contract.country,
        programme=programme or contract.programme,
        occupation=occupation or contract.occupation,
    )


def _check_fees(vacancy: Vacancy, terms: OverseasTerms) -> None:
    """Run the fee check against today's rules and rates, and store its verdict with the terms."""
    check = fee_preview(
        contract=vacancy.contract,
        contract_months=terms.contract_months,
        costs={name: getattr(terms, name) for name in OverseasTerms.COST_FIELDS},
        occupation=vacancy.occupation,
        programme=vacancy.programme,
    )
    terms.fee_verdict, terms.fee_cap_vnd, terms.fee_findings = check.verdict, check.cap_vnd, check.findings
    terms.fee_rule, terms.fee_checked_at = check.rule, timezone.now()
    terms.full_clean(exclude=["vacancy"])
    terms.save()


def _vnd(amount, currency: str, *, field: str) -> int:
    try:
        return ExchangeRate.to_vnd(amount, currency)
    except LookupError:
        raise ValidationError(
            {field: [_("No exchange rate is known for %(currency)s.") % {"currency": currency}]}
        ) from None


def _publishable_errors(vacancy: Vacancy, *, require_verified: bool = True) -> list[str]:
    """What stands between a vacancy and the public, each in words."""
    problems = []
    organisation = vacancy.organisation
    if require_verified and not organisation.is_verified:
        problems.append(_("The organisation has not been verified by the department."))
    if vacancy.deadline < timezone.localdate():
        problems.append(_("The application deadline has passed."))
    if vacancy.is_overseas:
        # visible()'s rule for work abroad, on the loaded row (licence_is_active is licence_active() for a row)
        if not (organisation.licence_is_active() or vacancy.state_programme):
            problems.append(_("The enterprise's licence to send workers abroad is not active."))
        terms = OverseasTerms.objects.filter(vacancy=vacancy).first()
        if terms is None:
            problems.append(_("A vacancy abroad must disclose its costs and contract length."))
        else:
            _check_fees(vacancy, terms)  # rules and rates may have changed since the last save
            if not within_cap(terms.fee_verdict):
                problems += [describe(finding) for finding in terms.fee_findings]
        contract = LabourSupplyContract.objects.select_for_update().get(pk=vacancy.contract_id)
        if vacancy.positions > contract_remaining(contract, excluding=vacancy):
            problems.append(_("The contract has no places left for this vacancy."))
    return problems


@transaction.atomic
def vacancy_submit(*, vacancy: Vacancy, by) -> Vacancy:
    """Send a draft for review. A vacancy that could not be published is refused now, with the reasons
    (the organisation's verification may still be under way)."""
    require_member(by, vacancy.organisation)
    if problems := _publishable_errors(vacancy, require_verified=False):
        raise ValidationError({"status": problems})
    return transition(vacancy, by, "submit")


@transaction.atomic
def vacancy_approve(*, vacancy: Vacancy, by) -> Vacancy:
    require_officer(by)
    if problems := _publishable_errors(vacancy):
        raise ValidationError({"status": problems})
    # The date first: the move records the vacancy in the change stream (jobs/stream.py) as it then is.
    Vacancy.objects.filter(pk=vacancy.pk).update(published_at=timezone.now(), modified_at=timezone.now())
    vacancy = transition(vacancy, by, "approve")
    officer_audit(by=by, what=f"approved vacancy {vacancy.pk}")
    _tell_members(vacancy, "published")
    return vacancy


@transaction.atomic
def vacancy_reject(*, vacancy: Vacancy, by, reason: str) -> Vacancy:
    require_officer(by)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the vacancy is rejected.")]})
    vacancy = transition(vacancy, by, "reject", reason)
    officer_audit(by=by, what=f"rejected vacancy {vacancy.pk}", why=reason)
    _tell_members(vacancy, "rejected", reason)
    return vacancy


def _tell_members(vacancy: Vacancy, outcome: str, reason: str = "") -> None:
    context = {"vacancy": vacancy.title, "outcome": outcome, "reason": reason, "path": f"/org/vacancies/{vacancy.pk}/"}
    for member in Membership.objects.filter(organisation_id=vacancy.organisation_id).select_related("user"):
        notify(kind="vacancy_reviewed", user=member.user, context=context)


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, by, reason: str = "") -> Vacancy:
    require_member(by, vacancy.organisation)
    return transition(vacancy, by, "close", reason)


def transition(record, by, action: str, reason: str = "", *, flow: Workflow = VACANCY_FLOW):
    """Move a vacancy, or anything else reviewed the same way (a training course, with its own `flow`
    wording), along VACANCY_FLOW, and record the step. The record needs `status` with these choices and
    `events` like VacancyEvent. A move that keeps the status (editing a draft) records nothing."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if flow.check(record, action) != record.status:
        source = flow.move(record, action, status_reason=reason)
        _record(record, by, source, record.status, reason)
        index_on_commit(type(record), [record.pk])
    return record


def _record(record, by, source: str, target: str, reason: str = "") -> None:
    record.events.create(from_status=source, to_status=target, by=by, reason=reason)


@transaction.atomic
def vacancies_expire(*, today: date | None = None) -> int:
    """Expire, in bulk, published vacancies whose deadline has passed, and requeue the overseas vacancies
    of enterprises whose licence ran out: both leave public view today."""
    today = today or timezone.localdate()
    now = timezone.now()
    due = VACANCY_FLOW.bulk(Vacancy.objects.due_to_expire(today), "expire", status_reason="")
    ids = [pk for pk, _status in due]
    VacancyEvent.objects.bulk_create(
        VacancyEvent(vacancy_id=pk, from_status=status, to_status=Status.EXPIRED, at=now) for pk, status in due
    )
    active = Organisation.objects.licence_active
    ran_out = active(today - timedelta(days=1)).exclude(pk__in=active(today))
    lapsed = Vacancy.objects.published().filter(is_overseas=True, organisation__in=ran_out)
    lapsed_ids = list(lapsed.values_list("pk", flat=True))
    lapsed.update(modified_at=now)
    index_on_commit(Vacancy, ids + lapsed_ids)
    return len(ids)
