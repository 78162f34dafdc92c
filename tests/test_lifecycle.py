"""Personal data over its life: what a search that found nothing keeps and for how long, the numbers a job
fair's registrations keep and for how long, erasure of any account and of the contact it left on reports and
fairs, retiring an encryption key, no copy kept by caches, and a
health page that tells strangers only whether the portal is up."""

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.services import worker_create
from candidates.models import SensitiveRecord, WorkerProfile
from desk import cases, imports
from desk.models import Case, ImportJob
from fairs.models import Fair, Registration
from fairs.tasks import purge_registrations
from jobs.models import Commune
from search.models import ZeroResultQuery
from tests.conftest import Tables
from tests.factories import ID_NUMBER, PASSWORD, published_vacancy, signed_in, signed_up

# --- Searches that found nothing --------------------------------------------------------------


@pytest.mark.search
def test_a_search_that_found_nothing_is_kept_without_phone_id_numbers_or_e_mails(api, reference, index):
    index()

    api().get("/api/v1/vacancies/search", {"q": "Nguyễn Văn Hùng 0912 345 678 an.nguyen@gmail.com 045095000001"})
    api().get("/api/v1/vacancies/search", {"q": "thợ hàn lương 15.000.000 +84.912.345.678"})

    assert sorted(ZeroResultQuery.objects.values_list("text", flat=True)) == [
        "Nguyễn Văn Hùng … … …",
        "thợ hàn lương 15.000.000 …",
    ]


def test_searches_that_found_nothing_are_deleted_after_90_days_by_beat(db):
    from search.tasks import purge_zero_results

    old, recent = ZeroResultQuery.objects.create(text="tho xay"), ZeroResultQuery.objects.create(text="tho moc")
    ZeroResultQuery.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=91))
    ZeroResultQuery.objects.filter(pk=recent.pk).update(at=timezone.now() - timedelta(days=89))

    assert purge_zero_results() == 1

    assert list(ZeroResultQuery.objects.values_list("text", flat=True)) == ["tho moc"]
    schedule = django_settings.CELERY_BEAT_SCHEDULE.values()
    assert "search.tasks.purge_zero_results" in {entry["task"] for entry in schedule}


# --- Job fairs' registrations ------------------------------------------------------------------


def held_fair(days_ago: int) -> Fair:
    day = timezone.localdate() - timedelta(days=days_ago)
    return Fair.objects.create(title=f"Phiên {day:%d/%m}", held_on=day, commune=Commune.objects.get(name="Đông Hà"))


def fairs_row(client, officer, fair) -> list[str]:
    page = signed_in(client, officer).get(f"/desk/dashboard/?as_of={fair.held_on.isoformat()}")
    return next(row for row in Tables(page.content.decode()).tables["fairs"] if row[0].startswith(fair.title))


def test_a_month_after_a_fair_its_registrations_forget_their_numbers_and_its_counts_stay(api, actors, client):
    old, recent = held_fair(days_ago=31), held_fair(days_ago=29)
    signed_up(api, "0912 444 011")
    worker = WorkerProfile.objects.get(user__phone="+84912444011")
    for fair in (old, recent):
        Registration.objects.create(fair=fair, phone="+84912444010", checked_in_at=timezone.now())
        Registration.objects.create(fair=fair, phone="+84912444011", worker=worker)
    before = fairs_row(client, actors.officer, old)

    assert purge_registrations() == 2

    assert set(Registration.objects.filter(fair=old).values_list("phone", flat=True)) == {""}
    assert set(Registration.objects.filter(fair=recent).values_list("phone", flat=True)) == {
        "+84912444010",
        "+84912444011",
    }
    assert fairs_row(client, actors.officer, old) == before and before[1:3] == ["2", "1"]
    schedule = django_settings.CELERY_BEAT_SCHEDULE.values()
    assert "fairs.tasks.purge_registrations" in {entry["task"] for entry in schedule}


# --- Erasure ----------------------------------------------------------------------------------


def test_erasure_removes_the_contact_a_worker_left_on_a_report_and_keeps_the_case(api, actors):
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    worker = signed_up(api, "0912 444 001", sensitive=True)
    user = User.objects.get(phone="+84912444001")
    case = cases.case_report(reason="scam", vacancy=vacancy, contact="0912 444 001, Zalo", by=user)

    assert worker.delete("/api/v1/workers/me").status_code == 204

    case = Case.objects.get(pk=case.pk)
    assert (case.contact, case.reported_by, case.vacancy) == ("", None, vacancy)


def test_erasure_keeps_a_fairs_registration_without_the_person_or_the_number(api, actors, client):
    fair = held_fair(days_ago=0)
    worker = signed_up(api, "0912 444 012")
    assert worker.post(f"/api/v1/fairs/{fair.pk}/registrations").status_code == 201
    before = fairs_row(client, actors.officer, fair)

    assert worker.delete("/api/v1/workers/me").status_code == 204

    assert list(Registration.objects.filter(fair=fair).values_list("phone", "worker")) == [("", None)]
    assert fairs_row(client, actors.officer, fair) == before and before[1] == "1"


def test_an_account_without_a_profile_erases_itself_through_the_api_and_the_page(api, reference, client):
    by_api = api()
    by_api.force_login(worker_create(phone="0912 444 002", password=PASSWORD))
    client.force_login(worker_create(phone="0912 444 003", password=PASSWORD))

    answered = by_api.delete("/api/v1/workers/me")
    page = client.post("/me/data/", {"confirm": "on"})

    assert answered.status_code == 204 and page.status_code == 302
    assert not User.objects.filter(phone__in=["+84912444002", "+84912444003"]).exists()


def test_an_officer_cannot_erase_their_account_from_the_workers_page(api, actors):
    assert api(actors.officer).delete("/api/v1/workers/me").status_code == 403
    assert User.objects.filter(pk=actors.officer.pk).exists()


# --- Retiring an encryption key ---------------------------------------------------------------


def test_after_rotate_field_keys_the_old_key_can_be_removed_and_everything_still_reads(api, actors, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    signed_up(api, "0912 444 001", sensitive=True)
    job = imports.import_start(by=actors.officer, kind="workers", filename="a.csv", content=b"x" * 10, queue=False)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]  # the new key first: it encrypts, both decrypt

    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key removed

    assert SensitiveRecord.objects.get().data["id_number"] == ID_NUMBER
    assert ImportJob.objects.get(pk=job.pk).file_bytes == b"x" * 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM candidates_sensitiverecord")
        (token,) = cursor.fetchone()
    Fernet(new).decrypt(bytes(token))  # raises unless written under the new key


# --- Caches -----------------------------------------------------------------------------------


def test_personal_data_is_never_stored_by_a_cache(api, actors, client):
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    worker = signed_up(api, "0912 444 001", sensitive=True)
    assert worker.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).status_code == 201
    answers = []
    client.force_login(User.objects.get(phone="+84912444001"))
    for path in ["/me/data/download", "/me/profile/personal/", "/me/data/", "/api/v1/workers/me"]:
        answers.append(client.get(path))
    answers.append(client.get("/api/v1/workers/me/export"))
    client.force_login(actors.employer)
    answers.append(client.get(f"/org/vacancies/{vacancy.pk}/applicants/"))
    answers.append(client.get("/api/v1/applications", {"vacancy": vacancy.pk}))

    for answer in answers:
        assert answer.status_code == 200, answer.request["PATH_INFO"]
        assert {"no-store", "private"} <= set(answer["Cache-Control"].replace(" ", "").split(","))


# --- /healthz ---------------------------------------------------------------------------------


def test_healthz_tells_strangers_only_whether_the_portal_is_up(client, actors):
    """No Celery worker runs in this test: a dependency is down, and its error says how."""
    stranger = client.get("/healthz", REMOTE_ADDR="203.0.113.7")
    forwarded = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    client.force_login(actors.officer)  # the password alone: the second factor not yet proven
    half_signed_in = client.get("/healthz", REMOTE_ADDR="203.0.113.7")
    officer = signed_in(client, actors.officer).get("/healthz", REMOTE_ADDR="203.0.113.7")

    assert stranger.status_code == forwarded.status_code == half_signed_in.status_code == officer.status_code == 503
    assert stranger.json() == forwarded.json() == half_signed_in.json() == {"status": "unavailable"}
    assert officer.json()["celery_worker"] == "RuntimeError: no worker answered a ping"
    assert officer.json()["database"] == "ok"
