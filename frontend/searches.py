"""Saved searches in pages, without JavaScript: "save this search" on the results page, the list to pause,
resume and delete them, and the stop link every alert carries (search/alerts.py does the work)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from portal.pages import posted
from search import alerts
from search.models import SavedSearch


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of this search"), max_length=100, required=False)
    rhythm = forms.ChoiceField(
        label=gettext_lazy("Tell me"),
        choices=SavedSearch.Rhythm.choices,
        initial=SavedSearch.Rhythm.DAILY,
        widget=forms.RadioSelect,
    )


def save_params(query) -> list[tuple[str, str]]:
    """The search's input on a results page, as the hidden fields of its "save this search" form."""
    return [(name, value) for name in alerts.PARAMS for value in query.getlist(name) if value]


def _errors(error: ValidationError) -> list[str]:
    detail = error.detail if isinstance(error.detail, dict) else {"": error.detail}
    return [str(message) for messages_ in detail.values() for message in messages_]


@login_required
def saved_searches(request):
    form = SaveSearchForm(posted(request))
    errors, status = [], 200
    if request.method == "POST" and form.is_valid():
        try:
            alerts.saved_search_create(user=request.user, params=request.POST, **form.cleaned_data)
        except ValidationError as error:  # the search's own message for a bad filter, or the consent missing
            errors, status = _errors(error), 400
        else:
            messages.success(request, _("Search saved. We will tell you of new vacancies it finds."))
            return redirect("saved-searches")
    elif form.errors:
        status = 400
    searches = SavedSearch.objects.filter(user=request.user)
    for search in searches:
        search.results_path = alerts.results_path(search)
    context = {"searches": searches, "errors": errors, "form": form}
    return render(request, "frontend/saved_searches.html", context, status=status)


@require_POST
@login_required
def saved_search_pause(request, pk):
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    paused = search.paused_at is None
    alerts.saved_search_pause(search, paused=paused)
    messages.success(request, _("Alerts paused.") if paused else _("Alerts resumed."))
    return redirect("saved-searches")


@require_POST
@login_required
def saved_search_delete(request, pk):
    get_object_or_404(SavedSearch, pk=pk, user=request.user).delete()
    messages.success(request, _("Search deleted."))
    return redirect("saved-searches")


@csrf_exempt  # the token is the proof; nothing else to forge
def saved_search_stop(request, token):
    """GET shows one button, POST stops this search's alerts (link previews must not stop anything)."""
    search = alerts.search_from_stop_token(token)
    if search is None:
        raise Http404
    if request.method == "POST":
        alerts.stop(search)
        return render(request, "frontend/saved_search_stopped.html", {"search": search})
    return render(request, "frontend/saved_search_stop.html", {"search": search})
