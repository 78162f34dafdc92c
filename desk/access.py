"""Who may use the desk's pages: department officers. Signed out → sign in; anyone else → 403."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login

from jobs.permissions import require_officer


def officer_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_officer(request.user)  # PermissionDenied: a 403
        return view(request, *args, **kwargs)

    return checked
