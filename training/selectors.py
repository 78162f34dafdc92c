"""Reads about training that are more than one queryset call: which courses close a gap that matching
found (a link to the course search, search/queries.py `course_query`)."""

from django.urls import reverse
from django.utils.http import urlencode

from training.models import Course, CourseLevel


def courses_link(item: dict, *, language_courses: set[str]) -> str | None:
    """The course search that closes one "missing" item of matching (search/queries.py `_explained`):
    same occupation, at or above the level, near the worker, starting within three months, seats left.
    For a language, only where courses toward that certificate exist (`language_courses`: frameworks)."""
    if item["criterion"] == "training" and item["required"] in CourseLevel.values:
        params = {"occupation": item.get("occupation", ""), "level": item["required"], "for_me": 1}
    elif item["criterion"] == "language" and item["framework"] in language_courses:
        params = {"language": f"{item['framework']}:{item['required']}", "for_me": 1}
    else:
        return None
    return f"{reverse('courses')}?{urlencode({k: v for k, v in params.items() if v})}"


def language_course_frameworks() -> set[str]:
    """The certificates that published courses teach toward: one query per page of matches."""
    return set(Course.objects.visible().exclude(language_framework="").values_list("language_framework", flat=True))
