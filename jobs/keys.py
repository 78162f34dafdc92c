"""API keys for organisations: an organisation's own system uses the API as its members do.

A key is `qt_<prefix>_<secret>`, shown once at creation; only its SHA-256 is kept (the secret is 256
random bits, so a fast hash is as safe as a slow one, and a request costs one indexed lookup). Each key
acts through an account of its own, a recruiter member of its organisation: the services, the querysets
and `jobs/permissions.py` then treat it exactly as a member (another organisation's records are 404),
and what it does is audited under that account. Owner-only acts (members, keys) stay out of its reach.
Each key has its own rate, counted like every other limit (portal/throttling.py).
"""

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.models import AuditEntry, User
from accounts.services import audit
from jobs.models import ApiKey, Membership, Organisation
from jobs.permissions import require_member
from portal.throttling import Limit

KEYWORD = "Api-Key"  # Authorization: Api-Key qt_…


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, organisation: Organisation, by, name: str, per_minute: int = 120) -> tuple[ApiKey, str]:
    """A new key for `organisation`, made by its owner; returns the key and its text, which is not kept."""
    require_member(by, organisation, owner=True)
    prefix = secrets.token_hex(4)
    text = f"qt_{prefix}_{secrets.token_urlsafe(32)}"
    account = User(username=f"api-key-{prefix}")
    account.set_unusable_password()  # nobody signs in as a key
    account.save()
    Membership.objects.create(user=account, organisation=organisation, role=Membership.Role.RECRUITER)
    key = ApiKey.objects.create(
        organisation=organisation,
        account=account,
        name=name,
        prefix=prefix,
        digest=_digest(text),
        per_minute=per_minute,
        created_by=by,
    )
    audit(actor=by, action=AuditEntry.Action.API_KEY, subject=account, detail=f"created API key {prefix} ({name})")
    return key, text


@transaction.atomic
def api_key_revoke(*, key: ApiKey, by) -> ApiKey:
    """The owner revokes a key: its next request is a 401, and its account is no longer a member."""
    require_member(by, key.organisation, owner=True)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        Membership.objects.filter(user=key.account_id).delete()
        User.objects.filter(pk=key.account_id).update(is_active=False)
        audit(actor=by, action=AuditEntry.Action.API_KEY, subject=key.account, detail=f"revoked API key {key.prefix}")
    return key


def _key_for(text: str) -> ApiKey | None:
    _qt, _sep, rest = text.partition("_")
    prefix = rest.partition("_")[0]
    key = ApiKey.objects.select_related("account").filter(prefix=prefix[:12], revoked_at=None).first()
    if key is None or not hmac.compare_digest(key.digest, _digest(text)):
        return None
    return key


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key qt_…`: the request acts as the key's account, within the key's rate."""

    def authenticate(self, request):
        if "HTTP_AUTHORIZATION" not in request.META:
            return None  # a browser's session, or nobody
        # A credential offered is a key of ours or a 401, whatever session cookie comes with it: a client whose
        # key is wrong learns so, rather than being served as the browser's account.
        words = get_authorization_header(request).split()
        offered = len(words) == 2 and words[0].decode(errors="replace") == KEYWORD
        key = _key_for(words[1].decode(errors="replace")) if offered else None
        if key is None or not key.account.is_active:
            raise exceptions.AuthenticationFailed(_("This API key is wrong or was revoked."))
        limit = Limit("api-key", f"{key.per_minute}/m")
        if not limit.allow(str(key.pk)):
            raise exceptions.Throttled(limit.wait())
        now = timezone.now()
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:  # a write a minute at most
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return key.account, key

    def authenticate_header(self, request):
        # Only a request that offered a credential is told 401 with this challenge; the rest keep their 403.
        return KEYWORD if "HTTP_AUTHORIZATION" in request.META else None


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """In the OpenAPI schema: the key in the Authorization header."""

    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": f"{KEYWORD} qt_…"}
