"""One-time codes: the proof that whoever types the code holds the phone it was sent to.

Six digits, valid 5 minutes, at most 5 tries, a new one no sooner than 60 s after the last; a number
gets at most PHONE_CODE_NUMBER_RATE codes and an address may ask for PHONE_CODE_ADDRESS_RATE. Only
HMAC(PHONE_CODE_KEY, purpose|number|code) is stored, so a database dump gives no codes, and a code sent
to sign up is no code to reset a password.

Callers ask for a code whether or not the number has an account, and only choose whether it is really
sent (`deliver`): the row, the timers, the limits and the answer are the same either way, so nobody
learns from them whether a number is registered.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import PhoneCode
from notifications.services import notify
from portal.throttling import Limit, TooMany

LIFETIME = timedelta(minutes=5)
MAX_TRIES = 5
RESEND_AFTER = timedelta(seconds=60)


def _digest(purpose: str, phone: str, code: str) -> str:
    return hmac.new(settings.PHONE_CODE_KEY.encode(), f"{purpose}|{phone}|{code}".encode(), hashlib.sha256).hexdigest()


def code_send(*, purpose: str, phone: str, address: str, deliver: bool, user=None, payload=None) -> None:
    """Issue a code for `phone` and, when `deliver`, send it by SMS (in the caller's transaction)."""
    last = PhoneCode.objects.filter(phone=phone, purpose=purpose).order_by("-created_at").first()
    if last and (wait := last.created_at + RESEND_AFTER - timezone.now()) > timedelta(0):
        raise ValidationError(
            {"phone": [_("A code was sent less than a minute ago; ask again in %(s)s s.") % {"s": wait.seconds + 1}]}
        )
    for limit, ident in (
        (Limit("codes-address", settings.PHONE_CODE_ADDRESS_RATE), address),
        (Limit("codes-number", settings.PHONE_CODE_NUMBER_RATE), phone),
    ):
        if not limit.allow(ident):
            raise TooMany(limit.wait())
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.create(
        phone=phone, purpose=purpose, digest=_digest(purpose, phone, code), user=user, payload=payload or {}
    )
    if deliver:
        notify(kind="code", phone=phone, context={"code": code})


WRONG = gettext_lazy("The code is wrong or has expired. Check the SMS, or ask for a new code.")


def code_check(*, purpose: str, phone: str, code: str) -> PhoneCode:
    """The live code for this number and purpose, used up; a ValidationError on `code` otherwise.
    Every try counts, right or wrong; the sixth is refused even when right."""
    with transaction.atomic():  # the try is counted even when the answer is "wrong"
        live = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, used_at=None, created_at__gt=timezone.now() - LIFETIME)
            .order_by("-created_at")
            .first()
        )
        right = live is not None and live.tries < MAX_TRIES
        if right:
            PhoneCode.objects.filter(pk=live.pk).update(tries=F("tries") + 1)
            right = hmac.compare_digest(live.digest, _digest(purpose, phone, code.strip()))
        if right:
            live.used_at = timezone.now()
            live.save(update_fields=["used_at"])
    if not right:
        raise ValidationError({"code": [str(WRONG)]})
    return live
