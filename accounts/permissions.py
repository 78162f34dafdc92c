"""Who is an officer, the one question every app asks: services (`require_officer`), the API (`IsOfficer`,
`OfficersRecord`), pages (`officer_only`). It lives with the user model it reads, below every app that asks."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission


def is_officer(user) -> bool:
    return bool(user and user.is_authenticated and user.is_officer)


def require_officer(user) -> None:
    if not is_officer(user):
        raise PermissionDenied(_("Only department officers may do this."))


class IsOfficer(BasePermission):
    def has_permission(self, request, view):
        return is_officer(request.user)


class OfficersRecord(IsOfficer):
    """A record only officers may read (a worker's data, an import's file): to anyone else signed in it
    does not exist, a 404 like any record they may not see; not signed in, the usual refusal."""

    def has_permission(self, request, view):
        if super().has_permission(request, view):
            return True
        if request.user.is_authenticated:
            raise exceptions.NotFound()
        return False


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
