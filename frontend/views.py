from django.shortcuts import render
from django.utils.translation import gettext as _
from elasticsearch import ApiError, TransportError

from search import queries
from search.api import unavailable


def home(request):
    """The front door: look up an occupation, typed with or without diacritics."""
    text = request.GET.get("q", "").strip()[:100]
    context = {"q": text, "occupations": [], "error": ""}
    if text:
        try:
            context["occupations"] = queries.occupations_matching(text)
        except (TransportError, ApiError) as exc:
            if not unavailable(exc):
                raise
            context["error"] = _("Search is briefly unavailable; please try again in a few minutes.")
    return render(request, "frontend/home.html", context, status=503 if context["error"] else 200)
