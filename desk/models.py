"""The department's yearly targets and monthly report workbooks; the cases people report and the
files officers import."""

import base64

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidates.crypto import EncryptedJSONField
from jobs.models import Commune, Organisation, Sanction, Vacancy


class Target(models.Model):
    """One planned figure for a year: for the province (no commune) or for one 2025 commune.

    Counts are whole people; rates are percentages. Only the new-jobs figures are measured by the
    portal (from confirmed placements); enrolment and the trained-labour rates come from the
    vocational schools and the labour survey, and are shown as planned.
    """

    class Indicator(models.TextChoices):
        NEW_JOBS = "new_jobs", _("new jobs")
        NEW_JOBS_ABROAD = "new_jobs_abroad", _("of them, workers sent abroad under contract")
        ENROLMENT = "enrolment", _("vocational enrolment")
        ENROLMENT_COLLEGE = "enrolment_college", _("of it, college")
        ENROLMENT_INTERMEDIATE = "enrolment_intermediate", _("of it, intermediate")
        ENROLMENT_ELEMENTARY = "enrolment_elementary", _("of it, elementary and short courses")
        TRAINED_RATE = "trained_rate", _("trained-labour rate (%)")
        CERTIFIED_RATE = "certified_rate", _("share of workers with a degree or certificate (%)")

    RATES = {Indicator.TRAINED_RATE, Indicator.CERTIFIED_RATE}

    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    commune = models.ForeignKey(
        Commune, models.PROTECT, null=True, blank=True, verbose_name=_("commune (empty: the province)")
    )
    value = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "commune", "indicator"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator"], condition=Q(commune=None), name="one_province_target_per_indicator"
            ),
            models.UniqueConstraint(fields=["year", "indicator", "commune"], name="one_commune_target_per_indicator"),
        ]

    def __str__(self):
        return f"{self.year} {self.get_indicator_display()}: {self.value}"


class MonthlyReport(models.Model):
    """The workbook of a month: the year to the month's last day, as the dashboard shows it then."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    file = models.FileField(_("workbook"), upload_to="reports/")
    built_at = models.DateTimeField(_("built at"), auto_now=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="one_report_per_month")]

    def __str__(self):
        return f"{self.month:02d}/{self.year}"

    @property
    def download_name(self) -> str:
        """The stored file may carry a suffix (a rebuilt month is saved beside the old one first)."""
        return f"bao-cao-viec-lam-{self.year}-{self.month:02d}.xlsx"


# --- Work queues, cases and imports ---


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Case.Status.OPEN, Case.Status.IN_REVIEW])


class Case(models.Model):
    """A report about a vacancy or an organisation, from anyone (anonymous too), which an officer
    takes through open → in review → resolved or dismissed, with a note (desk/cases.py)."""

    class Reason(models.TextChoices):
        UNLAWFUL_FEE = "unlawful_fee", _("charges fees above the legal cap or before the contract")
        BROKERAGE = "brokerage", _("charges the worker brokerage")
        FALSE_INFORMATION = "false_information", _("false or misleading information")
        SCAM = "scam", _("looks like a scam")
        DISCRIMINATION = "discrimination", _("discrimination")
        # The harms the law names beyond fees (Law 69/2020 art. 7): reported about anyone, on the portal or not.
        TRAFFICKING = "trafficking", _("trafficking or forced labour")
        CHILD_LABOUR = "child_labour", _("child labour")
        CONTRACT_SUBSTITUTION = "contract_substitution", _("the contract signed differs from the one offered")
        UNPAID_WAGES_ABROAD = "unpaid_wages_abroad", _("wages abroad not paid")
        OTHER = "other", _("something else")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_REVIEW = "in_review", _("in review")
        RESOLVED = "resolved", _("resolved")
        DISMISSED = "dismissed", _("dismissed")

    # A case is evidence: deleting the vacancy keeps the case, and an organisation with cases cannot be deleted.
    vacancy = models.ForeignKey(Vacancy, models.SET_NULL, null=True, blank=True, related_name="cases")
    organisation = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="cases")
    # A broker or agency that is not on the portal: what the reporter knows of them (no organisation then).
    broker_name = models.CharField(_("name of the broker or agency"), max_length=200, blank=True)
    broker_phone = models.CharField(_("their phone number"), max_length=20, blank=True)
    broker_place = models.CharField(_("where they work or met you"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    details = models.TextField(_("what happened"), max_length=2000, blank=True)
    contact = models.CharField(_("how to reach you (optional)"), max_length=100, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    officer_note = models.CharField(_("officer's note"), max_length=500, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    sanction = models.OneToOneField(
        Sanction, models.PROTECT, null=True, blank=True, related_name="case", verbose_name=_("sanction")
    )
    # The reporter follows the case with a code shown once; only its hash is kept (desk/cases.py).
    follow_code_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001 — cases reported before codes have none; unique needs NULL, not ""
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(broker_name=""), name="case_names_who_is_reported"
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_reason_display()} ({self.get_status_display()})"

    @property
    def reported_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.broker_name


class ImportJob(models.Model):
    """One uploaded file of vacancies or worker registrations, validated row by row and imported by
    a Celery task (or `manage.py import_records`); `errors` is the report: [{row, field, message}]."""

    class Kind(models.TextChoices):
        VACANCIES = "vacancies", _("vacancies")
        WORKERS = "workers", _("worker registrations")
        ENROLMENTS = "enrolments", _("course enrolments")
        COMPLETIONS = "completions", _("course completions")
        RETURNS = "returns", _("returns from work abroad")
        PLACEMENTS = "placements", _("job fair hires")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        VALIDATING = "validating", _("validating")
        IMPORTING = "importing", _("importing")
        INVALID = "invalid", _("not imported, some rows are invalid")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")
        SUPERSEDED = "superseded", _("replaced by the import of its valid rows")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    filename = models.CharField(_("file"), max_length=200)
    # The uploaded file, base64, encrypted at rest (it holds ID numbers). Emptied once the import is done,
    # failed or superseded, and after 7 days whatever happened (desk.imports.import_files_purge):
    # emptied is NULL, which the nightly purge can find (an encrypted "" never equals "").
    content = EncryptedJSONField(null=True)
    valid_only = models.BooleanField(_("import the valid rows only"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    checked_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    invalid_rows = models.PositiveIntegerField(_("invalid rows"), default=0)
    imported_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    errors = models.JSONField(_("report"), default=list, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    # An import stopped by invalid rows points at the import of its valid rows, once the officer asked for it.
    superseded_by = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(condition=Q(imported_rows__lte=models.F("total_rows")), name="imported_within_total")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def file_bytes(self) -> bytes:
        return base64.b64decode(self.content or "")

    @file_bytes.setter
    def file_bytes(self, data: bytes) -> None:
        self.content = base64.b64encode(data).decode()

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.INVALID, self.Status.DONE, self.Status.FAILED, self.Status.SUPERSEDED)

    @property
    def progress(self) -> int:
        """Percent of rows checked; the import itself is one transaction, shown as its status."""
        if self.finished:
            return 100
        return int(100 * self.checked_rows / self.total_rows) if self.total_rows else 0
