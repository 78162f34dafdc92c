"""Reports about a vacancy or an organisation, and the cases officers make of them.

Anyone may report (anonymous too, throttled by `ReportThrottle`): a worker asked for brokerage, a
fee above the cap, a vacancy that is not what it says. An officer moves the case along `CASE_NEXT`,
with a note, and every move is in the audit log.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services import officer_audit
from desk.models import Case
from jobs.models import Organisation, Vacancy
from jobs.permissions import require_officer
from portal.throttling import UserRateThrottle

Status = Case.Status

# The case's path, in one place: status → the statuses an officer may move it to.
CASE_NEXT = {
    Status.OPEN: {Status.IN_REVIEW, Status.RESOLVED, Status.DISMISSED},
    Status.IN_REVIEW: {Status.RESOLVED, Status.DISMISSED},
}
NOTE_REQUIRED = {Status.RESOLVED, Status.DISMISSED}


class ReportThrottle(UserRateThrottle):
    """Reports per signed-in user or, for anonymous people, per address: the page and the API share it."""

    scope = "reports"
    rate = "5/hour"


def reportable_vacancies():
    return Vacancy.objects.visible()


def reportable_organisations():
    return Organisation.objects.filter(verification=Organisation.Verification.VERIFIED)


@transaction.atomic
def case_report(
    *, reason: str, vacancy: Vacancy | None = None, organisation: Organisation | None = None, details="", contact="", by
) -> Case:
    """Anyone reports what the public can see: a visible vacancy or a verified organisation."""
    if vacancy is not None:
        organisation = vacancy.organisation
    if organisation is None:
        raise ValidationError({"vacancy": [_("Say which vacancy or organisation you report.")]})
    if reason not in Case.Reason.values:
        raise ValidationError({"reason": [_("Choose a reason.")]})
    if reason == Case.Reason.OTHER and not details.strip():
        raise ValidationError({"details": [_("Say what happened.")]})
    reporter = by if by is not None and by.is_authenticated else None
    case = Case(vacancy=vacancy, organisation=organisation, reason=reason, details=details, contact=contact)
    case.reported_by = reporter
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def case_move(*, case: Case, by, status: str, note: str = "") -> Case:
    require_officer(by)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if status not in CASE_NEXT.get(case.status, set()):
        raise ValidationError(
            {
                "status": [
                    _("A case that is %(current)s cannot become %(next)s.")
                    % {
                        "current": case.get_status_display(),
                        "next": Status(status).label if status in Status.values else status,
                    }
                ]
            }
        )
    if status in NOTE_REQUIRED and not note.strip():
        raise ValidationError({"note": [_("Write what was found and done.")]})
    case.status, case.handled_by = status, by
    case.officer_note = note.strip() or case.officer_note
    case.save(update_fields=["status", "handled_by", "officer_note", "updated_at"])
    officer_audit(by=by, what=f"case {case.pk} ({case.organisation_id}) → {status}", why=note)
    return case
