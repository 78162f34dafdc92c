from django.contrib.auth import authenticate, login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.phones import normalise_mobile


@transaction.atomic
def worker_sign_up(*, phone: str, password: str, email: str = "") -> User:
    """A worker signs up with a mobile number and a password; e-mail is optional."""
    try:
        e164 = normalise_mobile(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None
    if existing := User.objects.filter(phone=e164).first():
        # A job-fair registration (desk/imports.py) has no password. Knowing its number proves nothing
        # and no code can be sent to it, so the person is sent to the Centre rather than given the account.
        exists = _("An account with this number exists already.")
        job_fair = _("This number was registered at a job fair: contact the Employment Service Centre to use it.")
        raise ValidationError({"phone": [exists if existing.has_usable_password() else job_fair]})
    user = User(username=e164, phone=e164, email=email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    return user


def sign_in(request, *, login_name: str, password: str) -> User:
    """A mobile number (any way it is typed) or a user name, and its password; the session starts.
    A malformed number fails like a wrong password: nothing is learnt from the answer."""
    try:
        username = normalise_mobile(login_name)
    except ValidationError:
        username = login_name
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise ValidationError({"non_field_errors": [_("The mobile number or the password is wrong.")]})
    login(request, user)
    return user


def audit(*, actor, action: str, subject=None, detail: str = "") -> None:
    AuditEntry.objects.create(actor=actor, action=action, subject=subject, detail=detail[:500])


def officer_audit(*, by, what: str, why: str = "", subject=None) -> None:
    """One entry per officer action: who (by), when (now), what, and why (the note or reason given)."""
    detail = f"{what} — {why.strip()}" if why.strip() else what
    audit(actor=by, action=AuditEntry.Action.OFFICER_ACTION, subject=subject, detail=detail)


def views_audit(*, viewer, shown: dict[int, str]) -> None:
    """Several people's personal data shown at once (applicants, candidates, a queue): one entry per person,
    with them as its subject, so each person's data export says who saw them, when and where."""
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=viewer, action=AuditEntry.Action.VIEW_PERSONAL, subject_id=user_id, detail=detail[:500])
        for user_id, detail in shown.items()
    )
