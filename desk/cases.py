"""Reports about a vacancy, an organisation or a broker who is not on the portal, and the cases
officers make of them.

Anyone may report (anonymous too, throttled by `ReportThrottle`): a worker asked for brokerage, a
fee above the cap, a vacancy that is not what it says, a broker met on Facebook or Zalo. The reporter
gets a code to follow the case (`case_follow`, throttled by `FollowThrottle`): 60 random bits, of which
only a keyed hash is kept, so neither guessing nor a copy of the database finds a case. The reporter
gives no name; a contact is optional and shown masked except on the officer's case page, where each
view is audited. An officer moves the case along `CASE_FLOW`, with a note (the reporter reads it), and
may record a sanction when resolving it (jobs.services.sanction_record); every move is in the audit log.
"""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import officer_audit
from candidates.crypto import blind_index
from desk import agency_check
from desk.models import Case
from jobs import services as job_services
from jobs.models import Organisation, Vacancy
from jobs.permissions import require_officer
from portal.throttling import UserRateThrottle
from portal.workflow import Workflow

Status = Case.Status

# The case's path, in one place: (from statuses, move, to); an officer names the move by the status it leads to.
CASE_FLOW = Workflow(
    [
        ({Status.OPEN}, Status.IN_REVIEW, Status.IN_REVIEW),
        ({Status.OPEN, Status.IN_REVIEW}, Status.RESOLVED, Status.RESOLVED),
        ({Status.OPEN, Status.IN_REVIEW}, Status.DISMISSED, Status.DISMISSED),
    ],
    refused=gettext_lazy("A case that is %(status)s cannot become %(action)s."),
)
NOTE_REQUIRED = {Status.RESOLVED, Status.DISMISSED}


class ReportThrottle(UserRateThrottle):
    """Reports per signed-in user or, for anonymous people, per address: the page and the API share it."""

    scope = "reports"

    def get_rate(self):
        return settings.REPORT_RATE


class FollowThrottle(UserRateThrottle):
    """Looking a case up by its code, per user or address: the page and the API share it."""

    scope = "case_follow"

    def get_rate(self):
        return settings.CASE_FOLLOW_RATE


# Crockford's base32: no I, L, O or U, so a code read over the phone is not misheard.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits


def _new_code() -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def _code_hash(code: str) -> str:
    typed = re.sub(r"[\s-]", "", code.upper()).translate(str.maketrans("OIL", "011"))
    return blind_index(f"case-code:{typed}")


def masked_contact(contact: str) -> str:
    """A reporter's contact as lists show it: the last 3 characters, enough to tell two reports apart."""
    return "*" * max(len(contact) - 3, 0) + contact[-3:] if contact else ""


PHONE = re.compile(r"^\+?[\d .]{8,18}$")


def reportable_vacancies():
    return Vacancy.objects.visible()


def reportable_organisations():
    return Organisation.objects.verified()


@transaction.atomic
def reporter_forget(user) -> None:
    """An erased account's reports stay, as evidence, without the reporter or the contact they left."""
    Case.objects.filter(reported_by=user).update(contact="", reported_by=None)


def case_report(
    *,
    reason: str,
    vacancy: Vacancy | None = None,
    organisation: Organisation | None = None,
    broker_name: str = "",
    broker_phone: str = "",
    broker_place: str = "",
    details="",
    contact="",
    by,
) -> Case:
    """Anyone reports what the public can see (a visible vacancy or a verified organisation), or a broker
    or agency that is not on the portal, by what they know of it. The case carries `follow_code`, shown
    to the reporter once."""
    if vacancy is not None:
        organisation = vacancy.organisation
    if organisation is None and not (broker_name.strip() or broker_phone.strip() or broker_place.strip()):
        raise ValidationError({"vacancy": [_("Say which vacancy or organisation you report.")]})
    errors = {}
    if organisation is None and not broker_name.strip():
        errors["broker_name"] = [_("Give the name of the broker or agency you report.")]
    if broker_phone.strip() and not PHONE.match(broker_phone.strip()):
        errors["broker_phone"] = [_("A phone number has 8 to 15 digits.")]
    if reason not in Case.Reason.values:
        errors["reason"] = [_("Choose a reason.")]
    if organisation is None and not details.strip():
        errors["details"] = [_("Say what happened and what they asked of you.")]
    elif reason == Case.Reason.OTHER and not details.strip():
        errors["details"] = [_("Say what happened.")]
    if errors:
        raise ValidationError(errors)
    case = Case(vacancy=vacancy, organisation=organisation, reason=reason, details=details, contact=contact)
    if organisation is None:
        case.broker_name, case.broker_phone = broker_name.strip(), broker_phone.strip()
        case.broker_place = broker_place.strip()
    case.reported_by = by if by is not None and by.is_authenticated else None
    case.follow_code = _new_code()
    case.follow_code_hash = _code_hash(case.follow_code)
    case.full_clean()
    case.save()
    return case


def case_follow(code: str) -> Case | None:
    """The case a reporter's code names, or None (the same for a wrong code and a mistyped one)."""
    if not code or len(code) > 40:
        return None
    return Case.objects.select_related("organisation", "sanction").filter(follow_code_hash=_code_hash(code)).first()


def followed_case(case) -> dict:
    """What the reporter sees of their case: no contact, no reporter, nothing about other cases."""
    return {
        "reason": case.reason,
        "reason_label": case.get_reason_display(),
        "status": case.status,
        "status_label": case.get_status_display(),
        "reported": case.reported_name,
        "reported_at": case.created_at,
        "updated_at": case.updated_at,
        "officer_note": case.officer_note if case.status in NOTE_REQUIRED else "",
        "sanction": agency_check.sanction_output(case.sanction) if case.sanction_id else None,
    }


def sanction_of(data: dict) -> dict | None:
    """The sanction fields of a case move (API or page) as case_move takes them; None without a kind."""
    kind = data.pop("sanction_kind", "")
    fields = {name: data.pop(name, None) for name in ("decision_number", "decided_on", "fine_vnd", "until")}
    if not kind:
        return None
    return {"kind": kind, **fields, "decision_number": fields["decision_number"] or ""}


@transaction.atomic
def case_move(*, case: Case, by, status: str, note: str = "", sanction: dict | None = None) -> Case:
    """`sanction` (kind, decision_number, decided_on, and fine_vnd or until) is recorded with a resolution,
    against the case's organisation or, for an unlisted broker, the name reported."""
    require_officer(by)
    case = Case.objects.select_for_update().get(pk=case.pk)
    CASE_FLOW.check(case, status)  # before the note and the sanction: the clearer answer
    if status in NOTE_REQUIRED and not note.strip():
        raise ValidationError({"note": [_("Write what was found and done.")]})
    if sanction:
        if status != Status.RESOLVED:
            raise ValidationError({"sanction_kind": [_("A sanction is recorded when the case is resolved.")]})
        case.sanction = job_services.sanction_record(
            by=by, organisation=case.organisation, subject_name=case.broker_name, note=note, **sanction
        )
    officer_note = note.strip() or case.officer_note
    CASE_FLOW.move(case, status, handled_by=by, officer_note=officer_note, sanction=case.sanction)
    officer_audit(by=by, what=f"case {case.pk} ({case.organisation_id}) → {status}", why=note)
    return case
