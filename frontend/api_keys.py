"""The owners' page for their organisation's API keys, without JavaScript: the list (prefix, rate, last use),
a new key shown once, and revoking one. jobs/keys.py does the work, as it does for the API."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobs import keys
from jobs.models import Organisation
from jobs.permissions import member_or_404, require_member
from portal.pages import posted


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the key"),
        max_length=100,
        help_text=gettext_lazy("Which system uses it, so you know which key to revoke."),
    )
    per_minute = forms.IntegerField(label=gettext_lazy("Requests per minute"), min_value=1, max_value=6000, initial=120)


def _owned(request, org) -> Organisation:
    """Another organisation's keys are a 404; a member who is not the owner is told only the owner may (403)."""
    organisation = get_object_or_404(Organisation, pk=org)
    member_or_404(request.user, organisation)
    require_member(request.user, organisation, owner=True)
    return organisation


@login_required
def api_keys(request, org):
    organisation = _owned(request, org)
    form, text = ApiKeyForm(posted(request)), None
    if request.method == "POST" and form.is_valid():
        _key, text = keys.api_key_create(organisation=organisation, by=request.user, **form.cleaned_data)
        form = ApiKeyForm()  # the answer to this POST is the only place the key is ever shown (no redirect)
    context = {
        "organisation": organisation,
        "keys": organisation.api_keys.select_related("created_by"),
        "form": form,
        "new_key": text,
    }
    return render(request, "frontend/org_keys.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def api_key_revoke(request, org, pk):
    organisation = _owned(request, org)
    keys.api_key_revoke(key=get_object_or_404(organisation.api_keys, pk=pk), by=request.user)
    messages.success(request, _("Key revoked: the systems that used it are refused from now on."))
    return redirect("org-keys", org=organisation.pk)
