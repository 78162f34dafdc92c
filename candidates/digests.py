"""What is told once a day rather than as it happens (beat, after 07:00 so nothing waits for quiet hours):
new applicants to the organisations, placements awaiting confirmation to the officers, and the
deadline of a saved vacancy two days ahead to the worker who saved it. Each event is keyed by the day,
so a task run twice tells once. They read applications, placements and saved vacancies, so they live here,
with that data, and tell through notifications.notify_many below (README, Architecture)."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from candidates.models import Application, Placement, SavedVacancy
from jobs.models import Membership
from notifications.services import VIETNAM_TIME, notify_many


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=VIETNAM_TIME)
    return start, start + timedelta(days=1)


def applicants_digest(*, day: date | None = None) -> int:
    """Yesterday's new applicants, counted per organisation, told to each of its members."""
    day = day or timezone.localdate() - timedelta(days=1)
    start, end = _day_bounds(day)
    counts = dict(
        Application.objects.filter(created_at__gte=start, created_at__lt=end)
        .values_list("vacancy__organisation")
        .annotate(n=Count("pk"))
    )
    members = Membership.objects.filter(organisation_id__in=counts).select_related("user", "organisation")
    events = [
        {
            "kind": "applicants_digest",
            "user": member.user,
            "context": {
                "count": counts[member.organisation_id],
                "organisation": member.organisation.name,
                "path": "/org/",
            },
            "key": f"applicants:{day}:{member.pk}",
        }
        for member in members
    ]
    notify_many(events)
    return len(events)


def placements_digest(*, day: date | None = None) -> int:
    """Placements waiting for an officer's confirmation, told to every active officer."""
    day = day or timezone.localdate()
    waiting = Placement.objects.filter(status=Placement.Status.PENDING).count()
    if not waiting:
        return 0
    officers = User.objects.filter(is_officer=True, is_active=True)
    events = [
        {
            "kind": "placements_digest",
            "user": officer,
            "context": {"count": waiting, "path": "/desk/queues/"},
            "key": f"placements:{day}:{officer.pk}",
        }
        for officer in officers
    ]
    notify_many(events)
    return len(events)


def deadlines_soon(*, today: date | None = None) -> int:
    """Saved vacancies whose deadline is two days away (the alerts consent is checked when sent)."""
    today = today or timezone.localdate()
    deadline = today + timedelta(days=2)
    saved = SavedVacancy.objects.filter(vacancy__deadline=deadline).select_related("vacancy", "worker__user")
    events = [
        {
            "kind": "deadline_soon",
            "user": row.worker.user,
            "context": {
                "vacancy": row.vacancy.title,
                "deadline": f"{deadline:%d/%m/%Y}",
                "path": f"/vacancies/{row.vacancy_id}/",
            },
            "key": f"deadline:{row.vacancy_id}:{row.worker.user_id}",
        }
        for row in saved
    ]
    notify_many(events)
    return len(events)
