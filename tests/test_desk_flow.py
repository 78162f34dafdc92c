"""The department's day, end to end: an officer imports a job fair's registrations, records and
confirms the placements made there, and watches the year's figures move toward the targets."""

import pytest
from django.test import Client
from django.utils import timezone

from candidates.models import Placement, WorkerProfile
from desk.models import Target
from jobs.models import Commune, Country, Occupation
from tests.conftest import eventually, page_saying, page_tables
from tests.factories import WORKER_HEADER, OfficerFactory, as_csv, signed_in, worker_row


@pytest.mark.celery
def test_an_officer_imports_a_job_fair_confirms_placements_and_the_dashboard_moves(
    celery_worker, reference, tmp_path, api
):
    officer = OfficerFactory()
    today = timezone.localdate()
    for indicator, value in [("new_jobs", 12_000), ("new_jobs_abroad", 1_200)]:
        Target.objects.create(year=today.year, indicator=indicator, value=value)
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    signed_in(client, officer)
    query = f"year={today.year}&as_of={today.isoformat()}"
    before = page_tables(client, query)["targets"]

    with as_csv([worker_row(i) for i in range(3)], WORKER_HEADER, tmp_path).open("rb") as file:
        job_page = client.post("/desk/imports/", {"kind": "workers", "file": file})["Location"]
    assert eventually(lambda: page_saying(client, job_page, "Đã nhập")), "the job fair's file was not imported"
    assert WorkerProfile.objects.count() == 3

    officer_api = api(officer)
    recorded = []
    for abroad in (False, False, True):
        response = officer_api.post(
            "/api/v1/placements",
            {
                "source": "job_fair",
                "placed_on": today.isoformat(),
                "is_abroad": abroad,
                "country": "JP" if abroad else None,
                "occupation": Occupation.objects.get(code="7212").code,
                "commune": Commune.objects.get(name="Đông Hà").code,
                "sex": "male",
                "age_band": "25-34",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        recorded.append(response.json()["id"])
    assert page_tables(client, query)["targets"] == before  # recorded, not yet confirmed: nothing counts

    for pk in recorded:
        assert client.post(f"/desk/placements/{pk}/confirm").status_code == 302

    after = page_tables(client, query)["targets"]
    assert after[1][:3] == ["mới giải quyết việc làm", "12.000", str(int(before[1][2]) + 3)]
    assert after[2][:3] == ["trong đó, đi làm việc ở nước ngoài theo hợp đồng", "1.200", str(int(before[2][2]) + 1)]
    assert Placement.objects.filter(status="confirmed", country=Country.objects.get(code="JP")).count() == 1
