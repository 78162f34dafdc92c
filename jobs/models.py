from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.indexing import IndexedModel, IndexedQuerySet

# --- Reference data -------------------------------------------------------------------------


class OldDistrict(models.Model):
    """A district of old Quảng Trị or old Quảng Bình before the 2025 reform (reports on the old map)."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    old_province = models.CharField(_("old province"), max_length=50)

    class Meta:
        ordering = ["code"]
        verbose_name = _("pre-2025 district")
        verbose_name_plural = _("pre-2025 districts")

    def __str__(self):
        return self.name


class Commune(models.Model):
    """A commune-level unit of the 2025 Quảng Trị (Resolution 202/2025/QH15): 69 communes, 8 wards, Cồn Cỏ."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("commune")
        WARD = "ward", _("ward")
        SPECIAL_ZONE = "special_zone", _("special zone")

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    old_districts = models.ManyToManyField(OldDistrict, related_name="communes", verbose_name=_("pre-2025 districts"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return f"{self.get_kind_display().capitalize()} {self.name}"


class OccupationQuerySet(IndexedQuerySet):
    def indexable(self):
        return self.all()


class Occupation(IndexedModel):
    """A VSCO 2020 occupation (Decision 34/2020/QĐ-TTg); levels 1-4 equal ISCO-08 unit groups."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    # What workers and employers type for this job; search reads them as synonyms.
    aliases = ArrayField(models.CharField(max_length=100), verbose_name=_("aliases"), default=list, blank=True)

    objects = OccupationQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self):
        return f"{self.code} {self.name_vi}"


class Country(models.Model):
    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)  # Taiwan is TW
    name_vi = models.CharField(_("Vietnamese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name_vi


MIN_WORKING_AGE = 15  # Employment Law 74/2025: a worker is a citizen aged 15 or over
MIN_AGE_ABROAD = 18  # Law 69/2020 art. 3: a guest worker is 18 or over


class Programme(models.Model):
    """A channel for work abroad (Japan TITP, Korea EPS...), with its hard requirements as editable data."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    country = models.ForeignKey(Country, models.PROTECT, null=True, blank=True, verbose_name=_("country"))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=MIN_AGE_ABROAD)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    language_requirement = models.CharField(_("language requirement"), max_length=200, blank=True)
    # Where the host country's rules require it, a vacancy may name the sex of the workers it seeks.
    sex_requirement_allowed = models.BooleanField(_("may require a sex"), default=False)
    # A programme the state runs itself (EPS Korea, Triple Win): the public employment service centre posts
    # its vacancies without an enterprise licence, within the places the programme gives the province.
    run_by_state = models.BooleanField(_("run by the state"), default=False)
    quota = models.PositiveIntegerField(_("places for the province"), null=True, blank=True)
    # What a worker pays under the programme: [{"item", "vnd", "source"}], as published by its operator.
    worker_costs = models.JSONField(_("costs the worker pays"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=500)
    confirmed = models.BooleanField(_("confirmed against the legal text"), default=False)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name_vi


class ExchangeRate(models.Model):
    """VND per unit of a foreign currency, to show foreign wages and costs in đồng."""

    currency = models.CharField(_("currency"), max_length=3, primary_key=True)
    vnd_per_unit = models.DecimalField(_("VND per unit"), max_digits=12, decimal_places=4)
    as_of = models.DateField(_("as of"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self):
        return f"1 {self.currency} = {self.vnd_per_unit} VND"

    @classmethod
    def to_vnd(cls, amount, currency: str) -> int:
        if currency == "VND":
            return int(amount)
        rate = cls.objects.filter(currency=currency).values_list("vnd_per_unit", flat=True).first()
        if rate is None:
            raise LookupError(currency)
        return int(amount * rate)


class FeeRuleQuerySet(models.QuerySet):
    def in_force(self, on: date):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)


class FeeRule(models.Model):
    """A legal limit on what a worker going abroad may be charged, with its source (jobs/fees.py applies them).

    A rule applies to every overseas vacancy unless scoped to a country, a programme or some occupations
    (seafarers), or to contracts of at least `min_contract_months`. The cap it sets is the smallest of
    `months_per_12` months' wage per 12 months of contract, `max_months` months' wage in all, and `max_vnd`.
    """

    class Kind(models.TextChoices):
        SERVICE_FEE = "service_fee", _("service fee charged to the worker")
        BROKERAGE = "brokerage", _("brokerage charged to the worker")
        COMMISSION = "commission", _("commission paid by the enterprise to an intermediary")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(Country, models.CASCADE, null=True, blank=True, verbose_name=_("country"))
    programme = models.ForeignKey(Programme, models.CASCADE, null=True, blank=True, verbose_name=_("programme"))
    occupations = models.ManyToManyField(Occupation, blank=True, verbose_name=_("only for these occupations"))
    min_contract_months = models.PositiveSmallIntegerField(
        _("for contracts of at least (months)"), null=True, blank=True
    )
    months_per_12 = models.DecimalField(
        _("months' wage per 12 months"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    max_months = models.DecimalField(_("months' wage in all"), max_digits=4, decimal_places=2, null=True, blank=True)
    max_vnd = models.PositiveBigIntegerField(_("amount in VND"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500)
    confirmed = models.BooleanField(_("confirmed against the legal text"), default=False)
    # A rule is never edited in place: a change is a new version from a date (jobs.services.fee_rule_revise),
    # so a verdict keeps the version it was checked against, and the history stays readable.
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    supersedes = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="superseded_by",
        verbose_name=_("previous version"),
    )

    objects = FeeRuleQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="fee_rule_dates_ordered"
            )
        ]

    def __str__(self):
        scope = self.programme or self.country or _("all markets")
        return f"{self.get_kind_display()} — {scope} (v{self.version})"


# --- Organisations --------------------------------------------------------------------------

tax_code_validator = RegexValidator(
    r"^\d{10}(-\d{3})?$", _("A tax code has 10 digits, or 10 digits, a hyphen and a 3-digit branch number.")
)


class OrganisationQuerySet(models.QuerySet):
    def of_member(self, user):
        return self.filter(memberships__user=user) if user.is_authenticated else self.none()

    def pending_verification(self):
        return self.filter(verification=Organisation.Verification.PENDING)

    def verified(self):
        return self.filter(verification=Organisation.Verification.VERIFIED)

    def licence_active(self, today: date | None = None):
        """Service enterprises whose licence to send workers abroad is in force today (Law 69/2020 art. 8):
        an officer's "active", not past its expiry date. `Organisation.licence_is_active` reads the same
        rule from a row already loaded."""
        today = today or timezone.localdate()
        return self.filter(
            kind=Organisation.Kind.AGENCY,
            licence_status=Organisation.LicenceStatus.ACTIVE,
            licence_expires_on__gte=today,
        )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("domestic employer")
        AGENCY = "agency", _("licensed overseas-labour service enterprise")
        PUBLIC_CENTRE = "public_centre", _("public employment service centre")
        # Vocational education institutions (Law 74/2014) and enterprises that train: they publish courses.
        COLLEGE = "college", _("vocational college")
        INTERMEDIATE_SCHOOL = "intermediate_school", _("intermediate vocational school")
        TRAINING_CENTRE = "training_centre", _("vocational education centre")
        TRAINING_ENTERPRISE = "training_enterprise", _("enterprise that trains")

    class Verification(models.TextChoices):
        PENDING = "pending", _("awaiting verification")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")

    class LicenceStatus(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        REVOKED = "revoked", _("revoked")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    tax_code = models.CharField(_("tax code"), max_length=14, unique=True, validators=[tax_code_validator])
    commune = models.ForeignKey(Commune, models.PROTECT, null=True, blank=True, verbose_name=_("commune"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)

    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    verification_note = models.CharField(_("reason"), max_length=500, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    # Law 69/2020 art. 8: only licensed enterprises send workers abroad.
    licence_number = models.CharField(_("licence number"), max_length=50, blank=True)
    licence_issued_on = models.DateField(_("licence issued on"), null=True, blank=True)
    licence_expires_on = models.DateField(_("licence expires on"), null=True, blank=True)
    licence_status = models.CharField(_("licence status"), max_length=10, choices=LicenceStatus.choices, blank=True)

    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organisations")
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="agency") | (Q(licence_number__gt="") & Q(licence_expires_on__isnull=False)),
                name="agency_has_licence",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self):
        return self.verification == self.Verification.VERIFIED

    @property
    def trains(self) -> bool:
        return self.kind in INSTITUTION_KINDS

    def licence_is_active(self, today: date | None = None) -> bool:
        """`OrganisationQuerySet.licence_active` for a row already loaded (tests/test_vacancy_rules.py pins
        that both agree)."""
        return self.kind == self.Kind.AGENCY and self.licence_state(today) == self.LicenceStatus.ACTIVE

    def licence_state(self, today: date | None = None) -> str:
        """What the public agency check says: the status an officer set, or "expired" once the date passed."""
        today = today or timezone.localdate()
        if self.licence_status == self.LicenceStatus.ACTIVE and (
            self.licence_expires_on is None or self.licence_expires_on < today
        ):
            return "expired"
        return self.licence_status


# A warning shows beside the enterprise's vacancies for 6 months: after that, a warned party that did not
# offend again counts as not sanctioned (Law 15/2012 on handling administrative violations, art. 7)
# [UNCONFIRMED: checked against a summary, not the amended text]. The agency check lists it for good.
WARNING_SHOWN_DAYS = 183


class SanctionQuerySet(models.QuerySet):
    def warnings_shown(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(
            kind=Sanction.Kind.WARNING,
            organisation__isnull=False,
            decided_on__gt=today - timedelta(days=WARNING_SHOWN_DAYS),
        )

    def warning_by_organisation(self, organisation_ids) -> dict:
        """{organisation id: its latest warning still shown}, in one query."""
        found = self.warnings_shown().filter(organisation_id__in=organisation_ids).order_by("decided_on", "id")
        return {sanction.organisation_id: sanction for sanction in found}


class Sanction(models.Model):
    """A sanction an officer records when resolving a case (desk/cases.py): against a service enterprise on
    the portal, or against a broker who is not on it (by the name reported). The agency check shows it;
    a suspension or revocation also sets the licence's status (jobs.services.sanction_record)."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("warning")
        FINE = "fine", _("fine")
        SUSPENSION = "suspension", _("licence suspension")
        REVOCATION = "revocation", _("licence revocation")

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="sanctions", verbose_name=_("organisation")
    )
    subject_name = models.CharField(_("sanctioned person or business"), max_length=200)
    kind = models.CharField(_("sanction"), max_length=12, choices=Kind.choices)
    decision_number = models.CharField(_("decision number"), max_length=50)
    decided_on = models.DateField(_("decided on"))
    fine_vnd = models.PositiveBigIntegerField(_("fine (VND)"), null=True, blank=True)
    until = models.DateField(_("suspended until"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        constraints = [
            models.CheckConstraint(condition=~Q(decision_number=""), name="sanction_has_decision"),
            models.CheckConstraint(condition=~Q(kind="fine") | Q(fine_vnd__gt=0), name="fine_has_amount"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.decision_number} — {self.subject_name}"


INSTITUTION_KINDS = {
    Organisation.Kind.COLLEGE,
    Organisation.Kind.INTERMEDIATE_SCHOOL,
    Organisation.Kind.TRAINING_CENTRE,
    Organisation.Kind.TRAINING_ENTERPRISE,
}


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        RECRUITER = "recruiter", _("recruiter")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.RECRUITER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_user")]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class ContractQuerySet(models.QuerySet):
    def with_remaining(self):
        """Annotate `remaining`: the quota less the positions of the vacancies holding places on it."""
        held = Vacancy.objects.reserving().filter(contract=OuterRef("pk")).order_by().values("contract")
        held = held.annotate(total=Sum("positions")).values("total")
        return self.annotate(remaining=F("quota") - Coalesce(Subquery(held), 0))


class LabourSupplyContract(models.Model):
    """An overseas job order approved by the Department of Overseas Labour (Law 69/2020 art. 19-20)."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="contracts")
    foreign_partner = models.CharField(_("foreign partner"), max_length=255)
    country = models.ForeignKey(Country, models.PROTECT, verbose_name=_("country"))
    programme = models.ForeignKey(Programme, models.PROTECT, null=True, blank=True, verbose_name=_("programme"))
    occupation = models.ForeignKey(Occupation, models.PROTECT, verbose_name=_("occupation"))
    quota = models.PositiveIntegerField(_("workers"), validators=[MinValueValidator(1)])
    monthly_wage = models.DecimalField(_("monthly wage"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="VND")
    term_months = models.PositiveSmallIntegerField(_("term (months)"), validators=[MinValueValidator(1)])
    approval_number = models.CharField(_("approval number"), max_length=50)
    approved_on = models.DateField(_("approved on"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_on"]
        verbose_name = _("labour supply contract")
        verbose_name_plural = _("labour supply contracts")

    def __str__(self):
        return f"{self.approval_number} — {self.foreign_partner} ({self.country_id})"


# --- Vacancies ------------------------------------------------------------------------------


class TrainingLevel(models.TextChoices):
    """Vocational and education levels, lowest first (Law 74/2014 on vocational education)."""

    NONE = "none", _("no training required")
    SHORT_COURSE = "short_course", _("short course under 3 months")
    ELEMENTARY = "elementary", _("elementary (sơ cấp)")
    INTERMEDIATE = "intermediate", _("intermediate (trung cấp)")
    COLLEGE = "college", _("college (cao đẳng)")
    UNIVERSITY = "university", _("university")


def end_of(day: date) -> datetime:
    """The first instant after `day`, local time: "at the end of the day" in history queries."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class VacancyQuerySet(IndexedQuerySet):
    def visible(self, today: date | None = None):
        """What the public sees: published, open, from a verified organisation, and for work abroad
        only from an enterprise whose licence is active today (Law 69/2020 art. 8), or from the public
        employment service centre under a programme the state runs."""
        today = today or timezone.localdate()
        return (
            self.published()
            .filter(deadline__gte=today, organisation__in=Organisation.objects.verified())
            .filter(
                Q(is_overseas=False)
                | Q(organisation__in=Organisation.objects.licence_active(today))
                | Q(organisation__kind=Organisation.Kind.PUBLIC_CENTRE, contract__programme__run_by_state=True)
            )
        )

    def published(self):
        """Approved by an officer and not yet closed or expired (the deadline may have passed: see `visible`)."""
        return self.filter(status=Vacancy.Status.PUBLISHED)

    def seen_by(self, user):
        """What `user` may open: the visible vacancies, their organisations' own at every stage, and all of
        them for a department officer (the API's detail and the vacancy page alike)."""
        from jobs.permissions import visible_to  # it reads Membership from this module

        return visible_to(user, self, also=Q(pk__in=Vacancy.objects.visible()))

    def indexable(self):
        return self.visible()

    def pending_review(self):
        return self.filter(status=Vacancy.Status.PENDING_REVIEW)

    def reserving(self):
        """Holding places on their contract: awaiting review or published (`ContractQuerySet.with_remaining`)."""
        return self.filter(status__in=[Vacancy.Status.PENDING_REVIEW, Vacancy.Status.PUBLISHED])

    def by_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def due_to_expire(self, today: date | None = None):
        """Past their deadline: the workflow's `expire` move (jobs.services.VACANCY_FLOW) takes those it may."""
        return self.filter(deadline__lt=today or timezone.localdate())

    def open_on(self, day: date):
        """Vacancies open at the end of `day`, from their history: their last review event by then published
        them and their deadline is `day` or later (the labour-market tables count month-end stocks)."""
        moment = end_of(day)
        last = VacancyEvent.objects.filter(vacancy=OuterRef("pk"), at__lt=moment).order_by("-at", "-id")
        return (
            self.filter(published_at__lt=moment, deadline__gte=day)
            .alias(status_then=Subquery(last.values("to_status")[:1]))
            .filter(status_then=Vacancy.Status.PUBLISHED)
        )


class Vacancy(IndexedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PENDING_REVIEW = "pending_review", _("awaiting review")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")
        REJECTED = "rejected", _("rejected")
        EXPIRED = "expired", _("expired")

    class ContractType(models.TextChoices):
        PERMANENT = "permanent", _("indefinite-term contract")
        FIXED_TERM = "fixed_term", _("fixed-term contract")
        SEASONAL = "seasonal", _("seasonal work")
        PART_TIME = "part_time", _("part-time")
        OVERSEAS = "overseas", _("overseas contract")

    class Sex(models.TextChoices):
        ANY = "any", _("any")
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="vacancies")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    occupation = models.ForeignKey(Occupation, models.PROTECT, verbose_name=_("occupation"))
    skills = ArrayField(models.CharField(max_length=100), verbose_name=_("skills"), default=list, blank=True)
    positions = models.PositiveIntegerField(_("positions"), validators=[MinValueValidator(1)])

    is_overseas = models.BooleanField(_("work abroad"), default=False)
    commune = models.ForeignKey(Commune, models.PROTECT, null=True, blank=True, verbose_name=_("commune"))
    country = models.ForeignKey(Country, models.PROTECT, null=True, blank=True, verbose_name=_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    programme = models.ForeignKey(Programme, models.PROTECT, null=True, blank=True, verbose_name=_("programme"))
    contract = models.ForeignKey(
        LabourSupplyContract,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="vacancies",
        verbose_name=_("labour supply contract"),
    )

    currency = models.CharField(_("currency"), max_length=3, default="VND")
    salary_min = models.DecimalField(_("minimum monthly salary"), max_digits=14, decimal_places=2)
    salary_max = models.DecimalField(_("maximum monthly salary"), max_digits=14, decimal_places=2)
    salary_min_vnd = models.PositiveBigIntegerField(_("minimum monthly salary (VND)"), editable=False)
    salary_max_vnd = models.PositiveBigIntegerField(_("maximum monthly salary (VND)"), editable=False)
    working_hours = models.CharField(_("working hours"), max_length=200, blank=True)
    contract_type = models.CharField(_("contract type"), max_length=12, choices=ContractType.choices)
    training_level = models.CharField(
        _("required training"), max_length=12, choices=TrainingLevel.choices, default=TrainingLevel.NONE
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, default=Sex.ANY)
    benefits = models.TextField(_("benefits"), blank=True)
    # The employer prefers returnees with experience of this occupation abroad (matching scores it).
    values_overseas_experience = models.BooleanField(_("values experience abroad"), default=False)
    deadline = models.DateField(_("application deadline"))
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(condition=Q(salary_min__lte=models.F("salary_max")), name="salary_range_ordered"),
            models.CheckConstraint(
                condition=Q(is_overseas=False, commune__isnull=False)
                | Q(is_overseas=True, country__isnull=False, contract__isnull=False),
                name="workplace_matches_kind",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def programme_in_force(self):
        """The vacancy's own programme, or its contract's."""
        return self.programme or (self.contract.programme if self.contract_id else None)

    @property
    def state_programme(self) -> bool:
        """Posted by the public employment service centre under a programme the state runs (no licence)."""
        return (
            self.is_overseas
            and self.organisation.kind == Organisation.Kind.PUBLIC_CENTRE
            and bool(self.contract_id and self.contract.programme and self.contract.programme.run_by_state)
        )

    def age_limits(self) -> tuple[int, int | None]:
        return age_limits(
            is_overseas=self.is_overseas, age_min=self.age_min, age_max=self.age_max, programme=self.programme_in_force
        )


def age_limits(*, is_overseas: bool, age_min: int | None, age_max: int | None, programme) -> tuple[int, int | None]:
    """The ages a vacancy takes: its own limits within its programme's, never under the legal floor."""
    floor = MIN_AGE_ABROAD if is_overseas else MIN_WORKING_AGE
    low = max(filter(None, [age_min, programme and programme.min_age, floor]))
    ceilings = [age for age in (age_max, programme and programme.max_age) if age]
    return low, min(ceilings) if ceilings else None


class LanguageRequirement(models.Model):
    """A language certificate a vacancy asks for, at a typed level (jobs/languages.py knows the scales)."""

    class Framework(models.TextChoices):
        JLPT = "jlpt", "JLPT"
        JFT_BASIC = "jft_basic", "JFT-Basic"
        EPS_TOPIK = "eps_topik", "EPS-TOPIK"
        TOPIK = "topik", "TOPIK"
        # CEFR levels are the same letters for every language: the language is part of the framework,
        # so an English B1 never meets a German B1 requirement.
        CEFR_EN = "cefr_en", _("CEFR, English")
        CEFR_DE = "cefr_de", _("CEFR, German")
        TOCFL = "tocfl", "TOCFL"

    vacancy = models.ForeignKey(Vacancy, models.CASCADE, related_name="languages")
    framework = models.CharField(_("certificate"), max_length=10, choices=Framework.choices)
    level = models.CharField(_("level"), max_length=10)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vacancy", "framework"], name="one_level_per_framework")]

    def __str__(self):
        return f"{self.get_framework_display()} {self.level}"


class OverseasTerms(models.Model):
    """What working abroad costs the worker, itemised, and the fee check's verdict on it."""

    class Verdict(models.TextChoices):
        WITHIN_CAP = "within_cap", _("within the legal cap")
        ABOVE_CAP = "above_cap", _("above the legal cap")
        BROKERAGE = "brokerage", _("charges the worker brokerage")
        INCOMPLETE = "incomplete", _("incomplete disclosure")

    vacancy = models.OneToOneField(Vacancy, models.CASCADE, related_name="overseas_terms")
    contract_months = models.PositiveSmallIntegerField(_("contract length (months)"), validators=[MinValueValidator(1)])
    # Costs the worker pays, in VND. None means "not disclosed"; 0 must be stated.
    service_fee = models.PositiveBigIntegerField(_("service fee"), null=True, blank=True)
    deposit = models.PositiveBigIntegerField(_("deposit (refundable)"), null=True, blank=True)
    training_fee = models.PositiveBigIntegerField(_("training and language course"), null=True, blank=True)
    visa_fee = models.PositiveBigIntegerField(_("passport and visa"), null=True, blank=True)
    health_check_fee = models.PositiveBigIntegerField(_("health check"), null=True, blank=True)
    flight_fee = models.PositiveBigIntegerField(_("flight"), null=True, blank=True)
    other_fee = models.PositiveBigIntegerField(_("other costs"), null=True, blank=True)
    other_fee_note = models.CharField(_("what the other costs are"), max_length=300, blank=True)
    brokerage_fee = models.PositiveBigIntegerField(_("brokerage"), null=True, blank=True)
    employer_pays = models.TextField(_("what the employer pays"), blank=True)
    accommodation = models.CharField(_("accommodation"), max_length=300, blank=True)
    pre_departure_training = models.CharField(_("pre-departure training"), max_length=300, blank=True)

    fee_verdict = models.CharField(_("fee check"), max_length=12, choices=Verdict.choices, editable=False)
    fee_cap_vnd = models.PositiveBigIntegerField(_("service fee cap (VND)"), null=True, editable=False)
    fee_findings = models.JSONField(_("fee check findings"), default=list, editable=False)
    fee_checked_at = models.DateTimeField(_("fee checked at"), editable=False)
    # The version of the rule that set the cap (jobs/fees.py); protected, so the verdict's reason stays.
    fee_rule = models.ForeignKey(
        FeeRule, models.PROTECT, null=True, editable=False, related_name="+", verbose_name=_("fee rule applied")
    )

    COST_FIELDS = [
        "service_fee",
        "deposit",
        "training_fee",
        "visa_fee",
        "health_check_fee",
        "flight_fee",
        "other_fee",
        "brokerage_fee",
    ]

    class Meta:
        verbose_name = _("overseas terms")
        verbose_name_plural = _("overseas terms")

    def __str__(self):
        return f"{self.vacancy}: {self.get_fee_verdict_display()}"

    @property
    def total_cost_vnd(self) -> int:
        """What the worker pays in all, the refundable deposit excluded."""
        return sum(getattr(self, name) or 0 for name in self.COST_FIELDS if name != "deposit")


class ReviewEvent(models.Model):
    """One step of the review workflow (jobs.services.VACANCY_FLOW): who moved the record, when, from what
    to what, and why. Each reviewed model has its own table of them, as `events`."""

    from_status = models.CharField(max_length=15, choices=Vacancy.Status.choices, blank=True)
    to_status = models.CharField(max_length=15, choices=Vacancy.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class VacancyEvent(ReviewEvent):
    vacancy = models.ForeignKey(Vacancy, models.CASCADE, related_name="events")


class VacancyChange(models.Model):
    """One entry of the public change stream (jobs/stream.py): a vacancy came into public view, changed
    there, or left it. `seq` orders the entries in the order their transactions committed."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("published")
        CHANGED = "changed", _("changed")
        REMOVED = "removed", _("removed")

    seq = models.BigIntegerField(primary_key=True)  # 1, 2, 3… with no gap, given under the stream's lock
    vacancy_id = models.BigIntegerField()  # not a key: the entry outlives a deleted vacancy
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(db_index=True)
    data = models.JSONField(null=True, encoder=DjangoJSONEncoder)  # the public API's vacancy; none for a removal

    class Meta:
        indexes = [models.Index(fields=["vacancy_id", "-seq"])]

    def __str__(self):
        return f"{self.seq} {self.kind} {self.vacancy_id}"


class ApiKey(models.Model):
    """An organisation's key to the API (jobs/keys.py). The key acts through an account of its own, a
    recruiter of the organisation, so every service and permission treats it as one of its members."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="api_keys")
    account = models.OneToOneField(settings.AUTH_USER_MODEL, models.PROTECT, related_name="api_key")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)  # shown, to tell keys apart
    digest = models.CharField(max_length=64)  # SHA-256 of the whole key: the key itself is never kept
    per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.prefix} {self.name}"
