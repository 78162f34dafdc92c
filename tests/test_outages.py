"""A dependency down, seen from one request: Redis, PostgreSQL, a worker or a message lost. (The same
failures on real processes under load are in tests/faults/.)"""

from datetime import timedelta

import psycopg
import pytest
import redis
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from candidates.models import WorkerProfile
from desk import imports
from desk.models import ImportJob, MonthlyReport
from desk.tasks import IMPORT_LOCK, monthly_report, run_import, sweep_imports
from portal import throttling
from tests.conftest import CLOSED_PORT, ThreeAMinute, broker_at, eventually
from tests.factories import WORKER_HEADER, OfficerFactory, as_csv, worker_row

CLOSED_REDIS = f"redis://127.0.0.1:{CLOSED_PORT}/0"
STOPPED = (
    "Việc nhập dữ liệu dừng giữa chừng (tiến trình xử lý bị dừng); chưa có dòng nào được nhập. Hãy tải tệp lên lại."
)


@pytest.fixture
def redis_down(monkeypatch, settings):
    monkeypatch.setattr(throttling, "_redis", lambda: redis.Redis.from_url(CLOSED_REDIS, socket_connect_timeout=2))
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": CLOSED_REDIS}}
    throttling.local.counts.clear()


@pytest.mark.search
def test_with_redis_down_search_answers_and_the_rate_limit_holds_in_each_process(redis_down, rf, api, index, reference):
    index()
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    request.user = AnonymousUser()

    answers = [ThreeAMinute().allow_request(request, None) for _ in range(4)]

    assert answers == [True, True, True, False]
    assert api().get("/api/v1/vacancies/search", {"q": "tho han"}).status_code == 200


def test_with_redis_down_the_cached_statistics_are_computed_instead(redis_down, api, reference):
    response = api().get("/api/v1/statistics/placements", {"year": 2026})

    assert response.status_code == 200


def test_with_the_database_unreachable_the_api_and_pages_answer_503_in_vietnamese(client, transactional_db):
    connection.close()
    port, connection.settings_dict["PORT"] = connection.settings_dict["PORT"], CLOSED_PORT
    try:
        api = client.get("/api/v1/communes")
        page = client.get("/vacancies/1/")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port

    message = "Cổng việc làm tạm thời gián đoạn; vui lòng thử lại sau ít phút."
    assert (api.status_code, api.json(), api["Retry-After"]) == (503, {"detail": message}, "10")
    assert page.status_code == 503 and message in page.content.decode()


@pytest.fixture
def officer(reference):
    return OfficerFactory()


def queued(officer, tmp_path) -> ImportJob:
    content = as_csv([worker_row(1), worker_row(2)], WORKER_HEADER, tmp_path).read_bytes()
    return imports.import_start(by=officer, kind="workers", filename="hoi-cho.csv", content=content, queue=False)


def test_an_import_whose_worker_died_ends_failed_with_its_report_and_nothing_written(officer, tmp_path):
    job = queued(officer, tmp_path)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)  # as a killed worker left it

    run_import(job.pk)  # its message again: redelivered, or sent by the sweep

    job.refresh_from_db()
    assert (job.status, [entry["message"] for entry in job.errors], job.content) == ("failed", [STOPPED], None)
    again = queued(officer, tmp_path)  # the officer uploads it again
    run_import(again.pk)
    again.refresh_from_db()
    assert (again.status, again.imported_rows) == ("done", 2)


def test_an_import_another_worker_is_running_is_left_alone(officer, tmp_path):
    job = queued(officer, tmp_path)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], password=settings["PASSWORD"],
        dbname=settings["NAME"],
    ) as other_worker:  # fmt: skip
        other_worker.execute("SELECT pg_advisory_lock(%s, %s)", [IMPORT_LOCK, job.pk])
        run_import(job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING


@pytest.mark.celery
def test_an_import_uploaded_with_the_broker_down_is_run_by_the_sweep(celery_worker, reference, api, tmp_path):
    officer = OfficerFactory()
    with broker_at(CLOSED_REDIS), as_csv([worker_row(1)], WORKER_HEADER, tmp_path).open("rb") as file:
        response = api(officer).post("/api/v1/desk/imports", {"kind": "workers", "file": file}, format="multipart")
    assert response.status_code == 202  # the upload stands, its message lost
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.status == ImportJob.Status.QUEUED
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - timedelta(minutes=2))

    sweep_imports.delay()  # what beat sends every minute

    assert eventually(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE)
    assert WorkerProfile.objects.get().user.phone == "+84912000001"


def test_the_daily_sweep_builds_a_missing_monthly_workbook_and_only_then(reference, settings, tmp_path, mailoutbox):
    settings.MEDIA_ROOT = tmp_path
    OfficerFactory(email="canbo@soNoiVu.quangtri.gov.vn")
    sweep = settings.CELERY_BEAT_SCHEDULE["desk-monthly-report-sweep"]
    assert (sweep["task"], sweep["kwargs"]) == (monthly_report.name, {"unless_built": True})

    assert monthly_report(unless_built=True) == 1  # the 1st's message was lost: built, and one officer told
    assert monthly_report(unless_built=True) == 0  # the next day: built already, nothing sent again

    assert MonthlyReport.objects.count() == 1 and len(mailoutbox) == 1
    assert settings.CELERY_BEAT_SCHEDULE["desk-imports-sweep"]["task"] == sweep_imports.name
