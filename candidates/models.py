"""Workers, their certificates and consents, their applications, and the placements that count.

Personal data is minimised and split: `WorkerProfile` holds what matching needs; `SensitiveRecord`
holds the ID number, ethnicity, priority groups and health checks, encrypted at rest, shown masked
to anyone but the worker and officers, and every view of it by someone else is audited.
"""

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.crypto import EncryptedJSONField
from jobs.models import (
    Commune,
    Country,
    LanguageRequirement,
    Occupation,
    Organisation,
    Programme,
    TrainingLevel,
    Vacancy,
    end_of,
)
from search.models import IndexedModel, IndexedQuerySet


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class EducationLevel(models.TextChoices):
    NONE = "none", _("no schooling completed")
    PRIMARY = "primary", _("primary school")
    LOWER_SECONDARY = "lower_secondary", _("lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("upper secondary school")
    HIGHER = "higher", _("college or university")


class PriorityGroup(models.TextChoices):
    """Groups with support under Decree 61/2015 and the national target programmes."""

    POOR = "poor", _("poor household")
    NEAR_POOR = "near_poor", _("near-poor household")
    ETHNIC_MINORITY = "ethnic_minority", _("ethnic minority")
    MERITORIOUS = "meritorious", _("family of a person with meritorious service")
    LAND_RECOVERED = "land_recovered", _("farmland recovered")
    DISABILITY = "disability", _("person with a disability")
    # Named by the vocational training support rules (training/data/support_rules.json).
    RURAL = "rural", _("rural worker")
    DEMOBILISED = "demobilised", _("demobilised soldier")


class WorkerQuerySet(IndexedQuerySet):
    def indexable(self):
        """Only workers who agreed to be found by employers are in the candidates index."""
        consented = Consent.objects.filter(worker=OuterRef("pk"), purpose=Consent.Purpose.BE_FOUND, withdrawn_at=None)
        return self.filter(Exists(consented))

    def findable_on(self, day: date):
        """Workers who had agreed to be found at the end of `day` (the labour-market tables' supply side)."""
        moment = end_of(day)
        consented = Consent.objects.filter(worker=OuterRef("pk"), purpose=Consent.Purpose.BE_FOUND)
        in_force = Q(granted_at__lt=moment) & (Q(withdrawn_at=None) | Q(withdrawn_at__gte=moment))
        return self.filter(Exists(consented.filter(in_force)))


class WorkerProfile(IndexedModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="worker")
    full_name = models.CharField(_("full name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    commune = models.ForeignKey(Commune, models.PROTECT, verbose_name=_("commune of residence"))
    education = models.CharField(_("education"), max_length=16, choices=EducationLevel.choices)
    desired_occupations = models.ManyToManyField(Occupation, blank=True, verbose_name=_("desired occupations"))
    skills = ArrayField(models.CharField(max_length=100), verbose_name=_("skills"), default=list, blank=True)
    desired_communes = models.ManyToManyField(
        Commune, blank=True, related_name="+", verbose_name=_("desired workplaces at home")
    )
    wants_abroad = models.BooleanField(_("wants to work abroad"), default=False)
    wants_home = models.BooleanField(_("wants to work in Vietnam"), default=True)  # False: abroad only
    desired_countries = models.ManyToManyField(Country, blank=True, verbose_name=_("desired countries"))
    desired_programmes = models.ManyToManyField(Programme, blank=True, verbose_name=_("desired programmes"))
    expected_salary_vnd = models.PositiveBigIntegerField(_("expected monthly salary (VND)"), null=True, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self):
        return self.full_name

    def clean(self):
        if not (self.wants_home or self.wants_abroad):
            raise ValidationError({"wants_home": [_("Choose work in Vietnam, abroad, or both.")]})

    def age_on(self, day) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        """Age today, in Vietnam."""
        return self.age_on(timezone.localdate())


class SensitiveRecord(models.Model):
    """The ID number, ethnicity, priority groups and health checks: encrypted, kept apart.

    `data` holds {"id_number", "ethnicity", "priority_groups": [{"group", "year", "evidence"}],
    "health_checks": [{"date", "result", "valid_until", "facility"}]}.
    """

    worker = models.OneToOneField(WorkerProfile, models.CASCADE, related_name="sensitive")
    data = EncryptedJSONField(default=dict)
    # A keyed hash of the ID number, to find the same person registered twice without decrypting.
    id_number_index = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["id_number_index"], condition=~Q(id_number_index=""), name="one_id_number")
        ]

    def __str__(self):
        return f"#{self.worker_id}"


class Certificate(models.Model):
    """A vocational or education diploma or certificate, or the pre-departure orientation certificate."""

    class Kind(models.TextChoices):
        VOCATIONAL = "vocational", _("vocational or education certificate")
        ORIENTATION = "orientation", _("pre-departure orientation certificate")

    worker = models.ForeignKey(WorkerProfile, models.CASCADE, related_name="certificates")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.VOCATIONAL)
    level = models.CharField(_("level"), max_length=12, choices=TrainingLevel.choices, blank=True)
    occupation = models.ForeignKey(Occupation, models.PROTECT, null=True, blank=True, verbose_name=_("occupation"))
    institution = models.CharField(_("institution"), max_length=200)
    serial_number = models.CharField(_("serial number"), max_length=50, blank=True)
    register_number = models.CharField(_("register number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"))
    verified = models.BooleanField(_("verified by an officer"), default=False)

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_level_display()} — {self.institution}"


class LanguageCertificate(models.Model):
    worker = models.ForeignKey(WorkerProfile, models.CASCADE, related_name="languages")
    framework = models.CharField(_("certificate"), max_length=10, choices=LanguageRequirement.Framework.choices)
    level = models.CharField(_("level"), max_length=10)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    verified = models.BooleanField(_("verified by an officer"), default=False)

    class Meta:
        verbose_name = _("language certificate")
        verbose_name_plural = _("language certificates")

    def __str__(self):
        return f"{self.get_framework_display()} {self.level}"


class WorkExperience(models.Model):
    worker = models.ForeignKey(WorkerProfile, models.CASCADE, related_name="experience")
    occupation = models.ForeignKey(Occupation, models.PROTECT, null=True, blank=True, verbose_name=_("occupation"))
    employer_name = models.CharField(_("employer"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    # Work abroad under contract, written when the return is recorded (candidates/abroad.py): matching values it.
    country = models.ForeignKey(Country, models.PROTECT, null=True, blank=True, verbose_name=_("country"))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)
    description = models.TextField(_("what you did"), blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")

    def __str__(self):
        return self.employer_name


class Consent(models.Model):
    """One consent, for one purpose, given at one time with one wording; withdrawing it stamps it.

    A new consent after a withdrawal is a new row, so the history stays whole (Law 91/2025).
    """

    class Purpose(models.TextChoices):
        BE_FOUND = "be_found", _("be found by employers and service enterprises")
        SHARE_ABROAD = "share_abroad", _("share my CV with a foreign partner")
        ALERTS = "alerts", _("receive job alerts")

    worker = models.ForeignKey(WorkerProfile, models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    text_version = models.CharField(max_length=20)
    granted_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_live_consent_per_purpose",
            )
        ]

    def __str__(self):
        return f"{self.worker_id} {self.purpose}"


class ApplicationQuerySet(models.QuerySet):
    def unselected(self, *, decided_before, deadline_before):
        """Applications that ended without a hire: not selected or withdrawn, last changed before
        `decided_before`; or left before an offer on a vacancy whose deadline passed before `deadline_before`."""
        ended = Q(status__in=[Application.Status.REJECTED, Application.Status.WITHDRAWN])
        # An offer stands until the hire or the departure (abroad often months later): never "lapsed".
        waiting = [Application.Status.APPLIED, Application.Status.SHORTLISTED, Application.Status.INTERVIEWED]
        lapsed = Q(status__in=waiting, vacancy__deadline__lt=deadline_before)
        last_change = Coalesce(Max("events__at"), "created_at")
        return self.alias(last_change=last_change).filter(ended & Q(last_change__lt=decided_before) | lapsed)


class Application(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        SHORTLISTED = "shortlisted", _("shortlisted")
        INTERVIEWED = "interviewed", _("interviewed")
        OFFERED = "offered", _("offered")
        HIRED = "hired", _("hired")
        DEPARTED = "departed", _("departed")
        REJECTED = "rejected", _("not selected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    worker = models.ForeignKey(WorkerProfile, models.CASCADE, related_name="applications")
    vacancy = models.ForeignKey(Vacancy, models.PROTECT, related_name="applications")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["worker", "vacancy"], name="one_application_per_vacancy")]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"{self.worker_id} → {self.vacancy_id} ({self.status})"


class SavedVacancy(models.Model):
    """A vacancy a worker keeps an eye on: reminded two days before its deadline (with the alerts consent)."""

    worker = models.ForeignKey(WorkerProfile, models.CASCADE, related_name="saved")
    vacancy = models.ForeignKey(Vacancy, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["worker", "vacancy"], name="one_save_per_vacancy")]

    def __str__(self):
        return f"{self.worker_id} ☆ {self.vacancy_id}"


class Invitation(models.Model):
    """An organisation invites a worker who agreed to be found to apply; accepting shows them their
    name and contact, as applying would."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    vacancy = models.ForeignKey(Vacancy, models.CASCADE, related_name="invitations")
    worker = models.ForeignKey(WorkerProfile, models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["vacancy", "worker"], name="one_invitation_per_vacancy")]

    def __str__(self):
        return f"{self.vacancy_id} → {self.worker_id} ({self.status})"


class ApplicationEvent(models.Model):
    application = models.ForeignKey(Application, models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class CountedPerson(models.Model):
    """What the department's figures cut a person by (desk/statistics.py's Dimensions), kept as it was on
    the day of the record, so the counts survive the worker's erasure and need no decryption: a placement,
    an enrolment (training/)."""

    occupation = models.ForeignKey(Occupation, models.PROTECT)
    commune = models.ForeignKey(Commune, models.PROTECT)
    sex = models.CharField(max_length=6, choices=Sex.choices)
    age_band = models.CharField(max_length=5)  # "15-24", "25-34", "35-44", "45-54", "55+"
    priority_groups = ArrayField(
        models.CharField(max_length=16, choices=PriorityGroup.choices), default=list, blank=True
    )

    class Meta:
        abstract = True


class ReturnSource(models.TextChoices):
    AGENCY = "agency", _("the sending organisation")
    IMPORT = "import", _("the sending organisation's monthly list")
    WORKER = "worker", _("the worker")
    OFFICER = "officer", _("an officer")


class PlacementQuerySet(models.QuerySet):
    def counted(self):
        """What counts toward the targets: confirmed placements only."""
        return self.filter(status=Placement.Status.CONFIRMED)

    def filling(self):
        """The placements that stand, pending or confirmed, not withdrawn: they fill a vacancy's positions
        and a contract's quota (placements, not applications: they stay when a placed worker erases their
        data), and only they have a return abroad to record and count."""
        return self.exclude(status=Placement.Status.WITHDRAWN)


class Placement(CountedPerson):
    """A worker placed in a job at home or departed abroad: the unit the targets count.

    It keeps, as they were on the day, what reports cut by (commune, sex, age band, priority groups),
    so the count survives the worker's erasure as an anonymous record.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Source(models.TextChoices):
        PORTAL = "portal", _("through the portal")
        JOB_FAIR = "job_fair", _("job fair")
        DIRECT = "direct", _("direct hire")

    worker = models.ForeignKey(WorkerProfile, models.SET_NULL, null=True, blank=True, related_name="placements")
    application = models.OneToOneField(Application, models.SET_NULL, null=True, blank=True, related_name="placement")
    # The vacancy it filled: positions and contract quotas count placements, which outlive erasure.
    vacancy = models.ForeignKey(Vacancy, models.SET_NULL, null=True, blank=True, related_name="placements")
    organisation = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.PORTAL)
    placed_on = models.DateField(_("date"))
    is_abroad = models.BooleanField(_("abroad"))
    country = models.ForeignKey(Country, models.PROTECT, null=True, blank=True)
    programme = models.ForeignKey(Programme, models.PROTECT, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Abroad: when the contract brings the worker home, and the return as it was recorded (candidates/abroad.py).
    expected_return_on = models.DateField(_("expected return"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    return_recorded_by = models.CharField(
        _("return recorded by"), max_length=10, choices=ReturnSource.choices, blank=True
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_on"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self):
        return f"{self.placed_on} {self.occupation_id} ({self.status})"


AGE_BANDS = [(15, 24), (25, 34), (35, 44), (45, 54)]


def age_band(age: int) -> str:
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}"
    return "55+" if age >= 55 else "<15"


class DepartureChecklist(models.Model):
    """What stands between "offered" and "departed" for work abroad (candidates/abroad.py): the orientation
    certificate, a health check still valid on departure, the visa, and the worker's word that the signed
    contract's wage and term are the advertised ones. A mismatch opens a contract-substitution case."""

    application = models.OneToOneField(Application, models.CASCADE, related_name="departure")
    orientation_certificate = models.ForeignKey(
        Certificate, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("orientation certificate")
    )
    health_check_on = models.DateField(_("health check on"), null=True, blank=True)
    health_check_valid_until = models.DateField(_("health check valid until"), null=True, blank=True)
    visa_number = models.CharField(_("visa number"), max_length=30, blank=True)
    visa_valid_until = models.DateField(_("visa valid until"), null=True, blank=True)
    signed_monthly_wage = models.DecimalField(
        _("monthly wage in the signed contract"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    signed_term_months = models.PositiveSmallIntegerField(
        _("term of the signed contract (months)"), null=True, blank=True
    )
    contract_confirmed_at = models.DateTimeField(_("confirmed by the worker at"), null=True, blank=True)
    substitution_case = models.ForeignKey(
        "desk.Case",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contract-substitution case"),
    )
    override_reason = models.CharField(_("officer's override"), max_length=500, blank=True)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("departure checklist")
        verbose_name_plural = _("departure checklists")

    def __str__(self):
        return f"{self.application_id}"
