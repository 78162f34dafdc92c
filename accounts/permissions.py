"""Who is an officer, the one question every app asks: services (`require_officer`), the API
(`IsOfficer`), pages (`officer_only`). It lives with the user model it reads, below every app that asks."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission


def is_officer(user) -> bool:
    return bool(user and user.is_authenticated and user.is_officer)


def require_officer(user) -> None:
    if not is_officer(user):
        raise PermissionDenied(_("Only department officers may do this."))


class IsOfficer(BasePermission):
    def has_permission(self, request, view):
        return is_officer(request.user)


def officer_only(view):
    """Who may use the officers' pages (the desk's, and those of fairs, training and messages): department
    officers who proved their second factor (TOTP). Signed out → sign in; an officer without the second
    factor → its page; anyone else → 403."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_officer(request.user)  # PermissionDenied: a 403
        if not request.user.is_verified():
            return redirect(f"{reverse('second-factor')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return checked
