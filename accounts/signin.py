"""Sign-in limits, for every way in (the API, the pages, the admin): one authentication backend.

Failed sign-ins are counted three ways on the project's Redis counters (portal/throttling.py):
- one account from one address (SIGNIN_PAIR_RATE, 5 in 15 minutes): the lock an attacker meets, and only
  them: the owner signs in from their own phone's address meanwhile;
- one account from everywhere (SIGNIN_ACCOUNT_RATE, 50 an hour): slows an attack spread over many
  addresses; once spent, only addresses this account signed in from before (remembered 90 days) get in,
  so even then the owner is not locked out from everywhere;
- one address, any account (SIGNIN_ADDRESS_RATE, 30 in 15 minutes): one address trying many accounts.
A locked attempt checks no password and counts nothing more. Redis down: the limits fail open.
"""

from contextlib import suppress

import redis
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.throttling import BaseThrottle

from accounts.phones import normalise_mobile
from portal.throttling import Limit, _redis

KNOWN_FOR = 90 * 86400


def _limits():
    return {
        "pair": Limit("signin-pair", settings.SIGNIN_PAIR_RATE),
        "account": Limit("signin-account", settings.SIGNIN_ACCOUNT_RATE),
        "address": Limit("signin-address", settings.SIGNIN_ADDRESS_RATE),
    }


def client_address(request) -> str:
    """The client's address as the rate limits see it (NUM_PROXIES decides whom to believe)."""
    return BaseThrottle().get_ident(request)


def account_key(login_name: str) -> str:
    try:
        return normalise_mobile(login_name)
    except ValidationError:
        return login_name.strip().lower()


def _known(account: str, address: str) -> str:
    return f"signin-known:{account}:{address}"


def locked_for(request, login_name: str) -> float:
    """Seconds this client must wait before trying this account again; 0 when it may try now."""
    limits = _limits()
    address, account = client_address(request), account_key(login_name)
    idents = {"pair": f"{account}|{address}", "account": account, "address": address}
    for name, limit in limits.items():
        if limit.spent(idents[name]):
            if name == "account" and _was_here(account, address):
                continue
            return limit.duration
    return 0


def _was_here(account: str, address: str) -> bool:
    try:
        return bool(_redis().exists(_known(account, address)))
    except redis.RedisError:
        return False


def record(request, login_name: str, *, succeeded: bool) -> None:
    limits = _limits()
    address, account = client_address(request), account_key(login_name)
    if succeeded:
        with suppress(redis.RedisError):
            _redis().set(_known(account, address), 1, ex=KNOWN_FOR)
        return
    limits["pair"].allow(f"{account}|{address}")
    limits["account"].allow(account)
    limits["address"].allow(address)


class LimitedModelBackend(ModelBackend):
    """Django's model backend behind the limits. A locked attempt leaves `request.sign_in_wait` (seconds)
    so the page, the API and the admin can say why, rather than "wrong password"."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:  # not a person at a sign-in form (a shell, a test's login())
            return super().authenticate(request, username=username, password=password, **kwargs)
        if wait := locked_for(request, username):
            request.sign_in_wait = wait
            raise PermissionDenied  # authenticate() then tries no other backend and returns None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        record(request, username, succeeded=user is not None)
        return user
