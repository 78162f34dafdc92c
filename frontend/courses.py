"""The course search page, without JavaScript: what the course search API answers, as a page (the courses
themselves, enrolling and the institutions' pages are training/views.py)."""

from datetime import date

from django.shortcuts import render
from django.utils.safestring import mark_safe

from candidates.selectors import worker_of
from frontend.workers import SEARCH_DOWN, TOO_MANY, SearchDown, searching, too_many
from search import queries
from training import forms
from training.models import CourseLevel


def courses(request):
    form = forms.CourseSearchForm(request.GET or None)
    context = {"form": form}
    if too_many(request):  # the API's fair share of search, as on the vacancy results
        return render(request, "training/courses.html", {"form": form, "error": TOO_MANY}, status=429)
    if form.is_valid() or not request.GET:
        data = form.cleaned_data if request.GET else {}
        query = queries.course_query(data, worker=worker_of(request.user) if data.get("for_me") else None)
        try:
            context["found"] = presented(searching(queries.course_search, query))
        except SearchDown:
            return render(request, "training/courses.html", {"form": form, "error": SEARCH_DOWN}, status=503)
    return render(request, "training/courses.html", context, status=400 if form.errors else 200)


def presented(found: dict) -> dict:
    """Index documents as the list shows them: dates as dates, the level in words, highlights as HTML."""
    for course in found["results"]:
        course["start"], course["end"] = (
            date.fromisoformat(course["start_date"]),
            date.fromisoformat(course["end_date"]),
        )
        course["level_label"] = CourseLevel(course["level"]).label
        highlighted = course["highlight"].get("title", "")
        course["title_html"] = mark_safe(highlighted)  # noqa: S308 — escaped by search.text.highlight
    return found
