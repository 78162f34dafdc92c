"""GET /healthz names each dependency; 200 only when all four answer."""

import pytest
from django.db import connection

from tests.conftest import CLOSED_PORT, broker_at

pytestmark = [pytest.mark.search, pytest.mark.celery]

DEPENDENCIES = {"database", "redis", "elasticsearch", "celery_worker"}


def test_all_dependencies_ok(client, celery_worker):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == dict.fromkeys(DEPENDENCIES, "ok")


def test_no_worker_is_a_failure(client, db):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert "no worker answered" in response.json()["celery_worker"]


@pytest.mark.parametrize(
    ("setting", "value", "failed"),
    [
        ("ELASTICSEARCH_URL", f"http://127.0.0.1:{CLOSED_PORT}", "elasticsearch"),
        ("REDIS_URL", f"redis://127.0.0.1:{CLOSED_PORT}/0", "redis"),
    ],
)
def test_a_stopped_service_is_reported_failed_with_503(client, celery_worker, settings, setting, value, failed):
    setattr(settings, setting, value)

    response = client.get("/healthz")

    assert response.status_code == 503
    report = response.json()
    assert report[failed] != "ok" and report[failed]  # the error, in words
    assert all(report[name] == "ok" for name in DEPENDENCIES - {failed})


def test_a_stopped_broker_is_reported_failed(client, celery_worker):
    with broker_at(f"redis://127.0.0.1:{CLOSED_PORT}/0"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["celery_worker"] != "ok"


def test_a_stopped_database_is_reported_failed(client, transactional_db):
    connection.close()
    port = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = CLOSED_PORT
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port

    assert response.status_code == 503
    assert "database" in response.json() and response.json()["database"] != "ok"
