"""Law 91/2025 art. 25: applicants who were not recruited are not kept by the organisation."""

from datetime import timedelta

from django.utils import timezone

from candidates.models import Application, ApplicationEvent, WorkerProfile
from candidates.services import UNDECIDED_AFTER_DEADLINE, UNSELECTED_KEPT
from candidates.tasks import purge_unselected_applications
from tests.conftest import eventually
from tests.factories import published_vacancy, signed_up


def backdate(application_id, when):
    Application.objects.filter(pk=application_id).update(created_at=when)
    ApplicationEvent.objects.filter(application_id=application_id).update(at=when)


def test_unselected_applicants_go_after_a_month_the_rest_stay(api, actors, celery_worker):
    vacancy = published_vacancy(actors.employer_org, positions=5, officer=actors.officer)
    employer = api(actors.employer)
    ids = {}
    for name, phone in [("old_no", "0912 000 101"), ("new_no", "0912 000 102"), ("hired", "0912 000 103")]:
        client = signed_up(api, phone)
        ids[name] = client.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).json()["id"]
    steps = {
        "old_no": ["rejected"],
        "new_no": ["rejected"],
        "hired": ["shortlisted", "interviewed", "offered", "hired"],
    }
    for name, statuses in steps.items():
        for status in statuses:
            assert employer.post(f"/api/v1/applications/{ids[name]}/move", {"status": status}).status_code == 200
    long_ago = timezone.now() - UNSELECTED_KEPT - timedelta(days=1)
    backdate(ids["old_no"], long_ago)
    backdate(ids["hired"], long_ago)

    purge_unselected_applications.delay()  # as beat sends it each night, to the real worker

    def listed():
        return {a["id"] for a in employer.get("/api/v1/applications").json()["results"]}

    assert eventually(lambda: listed() == {ids["new_no"], ids["hired"]})
    assert WorkerProfile.objects.exclude(user=actors.worker).count() == 3  # the workers' own profiles stay


def test_an_application_never_decided_lapses_after_the_deadline_but_an_offer_stands(api, actors):
    from candidates.services import applications_purge_unselected

    vacancy = published_vacancy(actors.employer_org, positions=2, officer=actors.officer)
    waiting = signed_up(api, "0912 000 104").post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).json()
    offered = signed_up(api, "0912 000 105").post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).json()
    for status in ["shortlisted", "interviewed", "offered"]:  # abroad, departure can be months away
        moved = api(actors.employer).post(f"/api/v1/applications/{offered['id']}/move", {"status": status})
        assert moved.status_code == 200, moved.json()
    now = timezone.now()

    assert applications_purge_unselected(now=now) == 0
    later = now + (vacancy.deadline - timezone.localdate(now)) + UNDECIDED_AFTER_DEADLINE + UNSELECTED_KEPT
    assert applications_purge_unselected(now=later - timedelta(days=1)) == 0
    assert applications_purge_unselected(now=later + timedelta(days=1)) == 1
    assert not Application.objects.filter(pk=waiting["id"]).exists()
    assert Application.objects.filter(pk=offered["id"], status="offered").exists()
