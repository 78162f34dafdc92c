"""Who may use the desk's pages: department officers. Signed out → sign in; anyone else → 403."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from jobs.permissions import is_officer


def officer_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_officer(request.user):
            raise PermissionDenied(_("Only department officers may do this."))
        return view(request, *args, **kwargs)

    return checked
