"""Who may use the desk's pages: department officers who proved their second factor (TOTP).
Signed out → sign in; an officer without the second factor → its page; anyone else → 403."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from jobs.permissions import require_officer


def officer_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_officer(request.user)  # PermissionDenied: a 403
        if not request.user.is_verified():
            return redirect(f"{reverse('second-factor')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return checked
