"""How the API knows who is asking: the session, as for pages; an officer's only with the second factor."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from accounts.permissions import is_officer


def needs_second_factor(user) -> bool:
    """Officers and staff prove a TOTP code after the password (accounts/second_factor.py)."""
    return is_officer(user) or user.is_staff


class VerifiedSession(SessionAuthentication):
    """The API's session sign-in (settings.REST_FRAMEWORK). An officer's or staff member's session counts only
    once the second factor is proven, as on /desk/ and /admin/: until then each API request is a 403 saying
    where to prove it, so no officer-only endpoint is reached with the password alone."""

    def authenticate(self, request):
        signed_in = super().authenticate(request)
        if signed_in and needs_second_factor(signed_in[0]) and not signed_in[0].is_verified():
            raise exceptions.PermissionDenied(
                _("Officers must first type the code from their authenticator app at %(url)s.")
                % {"url": reverse("second-factor")}
            )
        return signed_in
