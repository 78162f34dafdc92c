"""The department's yearly targets, and the monthly report workbooks built from the statistics."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobs.models import Commune


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
