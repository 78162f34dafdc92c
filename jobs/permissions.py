"""Who may do what in the jobs domain: the one place services ask."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.permissions import is_officer, require_officer  # noqa: F401 (this app's services ask here)
from jobs.models import Membership, Organisation


def visible_to(user, records: QuerySet, organisation: str = "organisation", *, also: Q | None = None) -> QuerySet:
    """The records `user` may see: all of them for an officer; for anyone else those of the organisations
    they are a member of (`organisation` is the path to it: "vacancy__organisation", "pk" for
    organisations themselves), and `also` (their own, the public ones)."""
    if is_officer(user):
        return records
    theirs = Q(**{f"{organisation}__in": Organisation.objects.of_member(user)})
    return records.filter(theirs | also if also is not None else theirs)


def require_member(user, organisation, *, owner: bool = False) -> None:
    """Members act for their organisation; officers may act for any."""
    if is_officer(user):
        return
    roles = [Membership.Role.OWNER] if owner else Membership.Role.values
    if not Membership.objects.filter(user=user.pk, organisation=organisation, role__in=roles).exists():
        raise PermissionDenied(
            _("Only the owner of this organisation may do this.")
            if owner
            else _("You are not a member of this organisation.")
        )


def may_act_for(user, organisation) -> bool:
    try:
        require_member(user, organisation)
    except PermissionDenied:
        return False
    return True


def member_or_404(user, organisation) -> None:
    """Another organisation's records are none of this user's business: a 404 (pages and API alike),
    never a 403 that tells them the record exists."""
    if not may_act_for(user, organisation):
        raise Http404()
