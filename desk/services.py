"""Every write of the desk's statistics side: targets, and the monthly report workbook."""

import calendar
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import officer_audit
from desk import exports, labour_market, statistics
from desk.models import MonthlyReport, Target
from jobs.permissions import require_officer

Indicator = Target.Indicator

# The provincial plan for 2023 (the figures the department was given): 12.000 new jobs, 1.200 of
# them abroad; vocational enrolment 9.000; 72,66 % of workers trained, 33 % with a certificate.
PROVINCIAL_PLAN = {
    Indicator.NEW_JOBS: Decimal(12_000),
    Indicator.NEW_JOBS_ABROAD: Decimal(1_200),
    Indicator.ENROLMENT: Decimal(9_000),
    Indicator.ENROLMENT_COLLEGE: Decimal(200),
    Indicator.ENROLMENT_INTERMEDIATE: Decimal(800),
    Indicator.ENROLMENT_ELEMENTARY: Decimal(8_000),
    Indicator.TRAINED_RATE: Decimal("72.66"),
    Indicator.CERTIFIED_RATE: Decimal(33),
}
PLAN_SOURCE = "Kế hoạch giải quyết việc làm, đào tạo nghề của tỉnh Quảng Trị năm 2023"
# Parts that may not exceed their whole.
PARTS = {
    Indicator.NEW_JOBS_ABROAD: Indicator.NEW_JOBS,
    Indicator.ENROLMENT_COLLEGE: Indicator.ENROLMENT,
    Indicator.ENROLMENT_INTERMEDIATE: Indicator.ENROLMENT,
    Indicator.ENROLMENT_ELEMENTARY: Indicator.ENROLMENT,
}


def _checked(values: dict) -> dict[str, Decimal]:
    """Targets as numbers: people in whole numbers, rates between 0 and 100, parts within wholes."""
    errors, clean = {}, {}
    for indicator, raw in values.items():
        if indicator not in Indicator.values:
            errors[indicator] = [_("Unknown indicator.")]
            continue
        if raw in (None, ""):
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            errors[indicator] = [_("Enter a number.")]
            continue
        if not value.is_finite() or value < 0:
            errors[indicator] = [_("Enter a number of zero or more.")]
        elif indicator in Target.RATES and value > 100:
            errors[indicator] = [_("A rate is at most 100 %.")]
        elif indicator not in Target.RATES and value != value.to_integral_value():
            errors[indicator] = [_("Enter a whole number of people.")]
        elif value >= 10**8:
            errors[indicator] = [_("This number is too large.")]
        else:
            clean[indicator] = value.quantize(Decimal("0.01"))
    for part, whole in PARTS.items():
        if part in clean and whole in clean and clean[part] > clean[whole]:
            errors.setdefault(part, []).append(_("A part cannot be larger than its whole."))
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def targets_set(*, year: int, values: dict, by, commune=None, source: str = "") -> list[Target]:
    """Set a year's targets (for the province, or one commune); an empty value removes a target.
    All are checked before any is written."""
    require_officer(by)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": [_("Give a year between 2000 and 2100.")]})
    clean = _checked(values)
    saved = []
    for indicator in values:
        if indicator in clean:
            target, _created = Target.objects.update_or_create(
                year=year,
                indicator=indicator,
                commune=commune,
                defaults={"value": clean[indicator], "updated_by": by, **({"source": source} if source else {})},
            )
            saved.append(target)
        else:
            Target.objects.filter(year=year, indicator=indicator, commune=commune).delete()
    where = f" commune {commune.code}" if commune else ""
    officer_audit(by=by, what=f"set the {year} targets{where}")
    return saved


# --- The monthly report -------------------------------------------------------------------------


def report_build(*, year: int, month: int) -> MonthlyReport:
    """The workbook of the year to the month's last day, in Vietnamese; building it again replaces it."""
    as_of = date(year, month, calendar.monthrange(year, month)[1])
    with translation.override("vi"):
        board = statistics.dashboard(statistics.Period(year, as_of))
        content = exports.workbook(board.tables + labour_market.tables(board.period), board.period)
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().filter(year=year, month=month).first()
        report = report or MonthlyReport(year=year, month=month)
        old = report.file.name if report.file else None
        report.file.save(report.download_name, ContentFile(content), save=False)
        report.save()
    if old and old != report.file.name:
        report.file.storage.delete(old)
    return report


def report_link(report: MonthlyReport) -> str:
    """The workbook's officer-only download page, as an address to follow from an e-mail: on the first
    trusted origin (DJANGO_CSRF_TRUSTED_ORIGINS, the portal's https address in a deployment), else the
    local run's address."""
    site = (settings.CSRF_TRUSTED_ORIGINS or ["http://127.0.0.1:8000"])[0].rstrip("/")
    return site + reverse("desk-monthly-report", args=[report.pk])


def report_send(*, report: MonthlyReport) -> int:
    """E-mail the officers a link to the workbook; returns how many were sent to. The workbook is not
    attached: its tables count people by commune, occupation and priority group down to 1, so it
    stays behind the officers' sign-in and never sits in mailboxes and their backups."""
    recipients = list(
        User.objects.filter(is_officer=True, is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if not recipients:
        return 0
    with translation.override("vi"):
        subject = _("Monthly report on jobs: %(period)s") % {"period": f"{report.month:02d}/{report.year}"}
        body = _(
            "The workbook of the new jobs of %(year)s to the end of %(period)s, against the year's targets, "
            "by month, commune, occupation, destination and group of workers, is ready. Sign in to download "
            "it: %(link)s"
        ) % {"year": report.year, "period": f"{report.month:02d}/{report.year}", "link": report_link(report)}
    EmailMessage(subject, body, to=recipients).send()
    return len(recipients)
