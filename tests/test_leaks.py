"""What an organisation must not learn about workers it cannot see or about another enterprise's contracts,
and the trace every view of a worker leaves in that worker's own data export."""

import pytest
from django.utils import timezone

from candidates.models import WorkerProfile
from tests.factories import (
    VerifiedAgencyFactory,
    as_payload,
    contract_for,
    japan_welding,
    member_of,
    overseas_fields,
    signed_up,
)

pytestmark = pytest.mark.search


def test_inviting_a_worker_it_cannot_see_tells_an_organisation_nothing_about_them(api, actors, index, client):
    vacancy = japan_welding(actors)  # work abroad: 18 or older
    too_young = signed_up(api, "0912 222 001", age=16, consent=True)
    not_findable = signed_up(api, "0912 222 002")
    index()
    ids = {
        "too young": too_young.get("/api/v1/workers/me").json()["id"],
        "not findable": not_findable.get("/api/v1/workers/me").json()["id"],
        "no such worker": WorkerProfile.objects.order_by("pk").last().pk + 1000,
    }
    agency = api(actors.agency, language="vi")
    client.force_login(actors.agency)

    answers = {
        why: agency.post(f"/api/v1/vacancies/{vacancy.pk}/invitations", {"worker": pk}).json()
        for why, pk in ids.items()
    }
    pages = {
        why: client.post(f"/org/vacancies/{vacancy.pk}/invite", {"worker": pk}, follow=True).content.decode()
        for why, pk in ids.items()
    }

    generic = {"worker": ["Người lao động này không có trong danh sách ứng viên của tin tuyển dụng này."]}
    assert answers == dict.fromkeys(ids, generic)
    for page in pages.values():
        assert "Người lao động này không có trong danh sách ứng viên của tin tuyển dụng này." in page
        assert "chưa đồng ý cho doanh nghiệp tìm thấy" not in page and "tuổi" not in page


def test_a_vacancy_naming_another_enterprises_contract_gets_the_answer_of_a_contract_that_does_not_exist(api, actors):
    other = VerifiedAgencyFactory()
    member_of(other)
    theirs = contract_for(other, quota=3, months=24)
    agency = api(actors.agency, language="vi")

    def naming(contract_pk):
        fields = overseas_fields(theirs, months=36, positions=9)  # more places and a longer term than theirs
        payload = as_payload({"organisation": actors.agency_org.pk, **fields}) | {"contract": contract_pk}
        return agency.post("/api/v1/vacancies", payload, format="json")

    another, missing = naming(theirs.pk), naming(theirs.pk + 1000)

    assert another.status_code == missing.status_code == 400
    assert another.json() == missing.json() == {"contract": [missing.json()["contract"][0]]}
    assert "không có hợp đồng" in missing.json()["contract"][0].lower()


def test_every_worker_an_organisation_is_shown_is_audited_once_with_the_viewer_in_the_workers_export(
    api, actors, index, client
):
    vacancy = japan_welding(actors)
    workers = [signed_up(api, f"0912 333 00{i}", jlpt="N4", consent=True) for i in range(3)]
    for worker in workers:
        assert worker.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).status_code == 201
    index()
    agency = api(actors.agency)
    client.force_login(actors.agency)

    agency.get("/api/v1/applications", {"vacancy": vacancy.pk})
    client.get(f"/org/vacancies/{vacancy.pk}/applicants/")

    for worker in workers:
        seen = worker.get("/api/v1/workers/me/export").json()["seen_by"]
        by_agency = [entry for entry in seen if entry["viewer"] == actors.agency.username]
        assert len(by_agency) == 2  # once for the API's list, once for the page
        assert {entry["organisations"][0] for entry in by_agency} == {actors.agency_org.name}
        assert all(entry["at"][:4] == str(timezone.now().year) for entry in by_agency)
