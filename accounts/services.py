from django.contrib.auth import authenticate, login
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.codes import WRONG, code_check, code_send
from accounts.models import AuditEntry, PhoneCode, User
from accounts.phones import normalise_mobile
from notifications.services import notify
from portal.throttling import TooMany


def _mobile(phone: str) -> str:
    try:
        return normalise_mobile(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None


# Sign-up, password reset and a new number each take two steps: a code is sent, then typed back.
# The first step answers the same whether or not the number has an account (accounts/codes.py).


def sign_up_start(*, phone: str, password: str, address: str, email: str = "") -> None:
    """A worker asks to sign up with a mobile number and a password (e-mail optional): a code goes to
    the number. A number registered at a job fair (desk/imports.py, no password) is claimed this way,
    with its imported profile. A number that has an account already gets a warning instead of a code."""
    e164 = _mobile(phone)
    _check_password(password, User(username=e164, phone=e164, email=email))
    owner = User.objects.filter(phone=e164).first()
    taken = owner is not None and owner.has_usable_password()
    with transaction.atomic():
        payload = {"password": make_password(password), "email": email}
        code_send(purpose=PhoneCode.Purpose.SIGN_UP, phone=e164, address=address, deliver=not taken, payload=payload)
        if taken:
            notify(kind="number_taken", user=owner)


def sign_up_confirm(*, phone: str, code: str) -> User:
    """The code proves the number: the account is created, or the job fair's account claimed."""
    e164 = _mobile(phone)
    proof = code_check(purpose=PhoneCode.Purpose.SIGN_UP, phone=e164, code=code)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(phone=e164).first()
        if user is not None and user.has_usable_password():
            raise ValidationError({"code": [str(WRONG)]})  # taken meanwhile; nothing to tell apart
        if user is None:
            user = User(username=e164, phone=e164)
        user.password = proof.payload["password"]
        user.email = user.email or proof.payload.get("email", "")
        user.save()
    return user


def password_reset_start(*, phone: str, address: str) -> None:
    e164 = _mobile(phone)
    exists = User.objects.filter(phone=e164, is_active=True).exists()
    with transaction.atomic():
        code_send(purpose=PhoneCode.Purpose.RESET, phone=e164, address=address, deliver=exists)


def password_reset_confirm(*, phone: str, code: str, password: str) -> User:
    e164 = _mobile(phone)
    user = User.objects.filter(phone=e164, is_active=True).first()
    _check_password(password, user or User(username=e164, phone=e164))
    code_check(purpose=PhoneCode.Purpose.RESET, phone=e164, code=code)
    if user is None:  # no code was sent; a guess that matched a row nobody received still opens nothing
        raise ValidationError({"code": [str(WRONG)]})
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def phone_change_start(*, user: User, phone: str, address: str) -> None:
    e164 = _mobile(phone)
    free = not User.objects.filter(phone=e164).exclude(pk=user.pk).exists()
    with transaction.atomic():
        code_send(purpose=PhoneCode.Purpose.CHANGE, phone=e164, address=address, deliver=free, user=user)


def phone_change_confirm(*, user: User, phone: str, code: str) -> User:
    e164 = _mobile(phone)
    proof = code_check(purpose=PhoneCode.Purpose.CHANGE, phone=e164, code=code)
    if proof.user_id != user.pk or User.objects.filter(phone=e164).exclude(pk=user.pk).exists():
        raise ValidationError({"code": [str(WRONG)]})
    # Workers sign in with their number, which is also their user name; officers keep theirs.
    if user.username == user.phone:
        user.username = e164
    user.phone = e164
    user.save(update_fields=["phone", "username"])
    return user


def worker_create(*, phone: str, password: str, email: str = "") -> User:
    """An account whose number is already proven: the end of sign-up, demo data and tests."""
    e164 = _mobile(phone)
    user = User(username=e164, phone=e164, email=email)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    return user


def sign_in(request, *, login_name: str, password: str) -> User:
    """A mobile number (any way it is typed) or a user name, and its password; the session starts.
    A malformed number fails like a wrong password: nothing is learnt from the answer. Too many failures
    (accounts/signin.py) raise TooMany."""
    try:
        username = normalise_mobile(login_name)
    except ValidationError:
        username = login_name
    user = authenticate(request, username=username, password=password)
    if user is None:
        if wait := getattr(request, "sign_in_wait", 0):
            raise TooMany(wait)
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
