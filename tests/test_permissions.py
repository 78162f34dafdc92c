"""The permission matrix: every jobs endpoint against every kind of user.

404 where the record is none of the user's business (nobody learns another organisation's draft
exists, nor that a worker or an import only officers read exists), 403 where they may see it but not do
this, 400 where the rules refuse.
"""

import pytest

from candidates.models import WorkerProfile
from desk.models import ImportJob
from jobs.models import Occupation
from tests.factories import (
    as_payload,
    contract_for,
    domestic_fields,
    draft_vacancy,
    member_of,
    published_vacancy,
    signed_up,
    submitted_vacancy,
)

ACTORS = ["anonymous", "worker", "employer", "agency", "unlicensed_agency", "officer", "outsider"]


def contract_payload(actors, organisation):
    return {
        "organisation": getattr(actors, organisation).pk,
        "foreign_partner": "Gyeonggi Manufacturing",
        "country": "KR",
        "occupation": Occupation.objects.get(code="8219").code,
        "quota": 5,
        "monthly_wage": "2100000",
        "currency": "KRW",
        "term_months": 36,
        "approval_number": "55/QLLĐNN-HĐ",
        "approved_on": "2026-09-01",
    }


# (what, method, path, payload, expected status per actor, in the order of ACTORS)
MATRIX = [
    ("list vacancies", "get", lambda a: "/api/v1/vacancies", None, [200, 200, 200, 200, 200, 200, 200]),
    (
        "read a draft",
        "get",
        lambda a: f"/api/v1/vacancies/{draft_vacancy(a.employer_org).pk}",
        None,
        [404, 404, 200, 404, 404, 200, 404],
    ),
    (
        "post a vacancy for the employer",
        "post",
        lambda a: "/api/v1/vacancies",
        lambda a: as_payload({"organisation": a.employer_org.pk, **domestic_fields()}),
        [403, 403, 201, 403, 403, 201, 403],
    ),
    (
        "edit a draft",
        "patch",
        lambda a: f"/api/v1/vacancies/{draft_vacancy(a.employer_org).pk}",
        lambda a: {"positions": 4},
        [403, 404, 200, 404, 404, 200, 404],
    ),
    (
        "submit a draft",
        "post",
        lambda a: f"/api/v1/vacancies/{draft_vacancy(a.employer_org).pk}/submit",
        None,
        [403, 404, 200, 404, 404, 200, 404],
    ),
    (
        "approve a vacancy",
        "post",
        lambda a: f"/api/v1/vacancies/{submitted_vacancy(a.employer_org).pk}/approve",
        None,
        [403, 404, 403, 404, 404, 200, 404],
    ),
    (
        "reject a vacancy",
        "post",
        lambda a: f"/api/v1/vacancies/{submitted_vacancy(a.employer_org).pk}/reject",
        lambda a: {"reason": "Trùng tin"},
        [403, 404, 403, 404, 404, 200, 404],
    ),
    (
        "close a published vacancy",
        "post",
        lambda a: f"/api/v1/vacancies/{published_vacancy(a.employer_org, officer=a.officer).pk}/close",
        None,
        [403, 403, 200, 403, 403, 200, 403],
    ),
    ("list organisations", "get", lambda a: "/api/v1/organisations", None, [403, 200, 200, 200, 200, 200, 200]),
    (
        "list members",
        "get",
        lambda a: f"/api/v1/organisations/{a.employer_org.pk}/members",
        None,
        [403, 404, 200, 404, 404, 200, 404],
    ),
    (
        "edit a contract",
        "patch",
        lambda a: f"/api/v1/contracts/{contract_for(a.agency_org).pk}",
        lambda a: {"quota": 12},
        [403, 404, 404, 200, 404, 200, 404],
    ),
    (
        "remove a member",
        "delete",
        lambda a: f"/api/v1/organisations/{a.employer_org.pk}/members",
        lambda a: {"username": member_of(a.employer_org, role="recruiter").username},
        [403, 404, 200, 404, 404, 200, 404],
    ),
    ("list contracts", "get", lambda a: "/api/v1/contracts", None, [403, 200, 200, 200, 200, 200, 200]),
    (
        "read an organisation",
        "get",
        lambda a: f"/api/v1/organisations/{a.employer_org.pk}",
        None,
        [403, 404, 200, 404, 404, 200, 404],
    ),
    (
        "edit an organisation",
        "patch",
        lambda a: f"/api/v1/organisations/{a.employer_org.pk}",
        lambda a: {"phone": "0233 3999 999"},
        [403, 404, 200, 404, 404, 200, 404],
    ),
    (
        "verify an organisation",
        "post",
        lambda a: f"/api/v1/organisations/{a.employer_org.pk}/verify",
        lambda a: {"approve": True},
        [403, 404, 403, 404, 404, 200, 404],
    ),
    (
        "suspend a licence",
        "post",
        lambda a: f"/api/v1/organisations/{a.agency_org.pk}/licence",
        lambda a: {"status": "suspended"},
        [403, 404, 404, 403, 404, 200, 404],
    ),
    (
        "add a member",
        "post",
        lambda a: f"/api/v1/organisations/{a.employer_org.pk}/members",
        lambda a: {"username": a.outsider.username},
        [403, 404, 200, 404, 404, 200, 404],
    ),
    (
        "register a contract for the agency",
        "post",
        lambda a: "/api/v1/contracts",
        lambda a: contract_payload(a, "agency_org"),
        [403, 403, 403, 201, 403, 201, 403],
    ),
    (
        "register a contract without an active licence",
        "post",
        lambda a: "/api/v1/contracts",
        lambda a: contract_payload(a, "unlicensed_org"),
        [403, 403, 403, 403, 400, 400, 403],
    ),
    (
        "read a contract",
        "get",
        lambda a: f"/api/v1/contracts/{contract_for(a.agency_org).pk}",
        None,
        [403, 404, 404, 200, 404, 200, 404],
    ),
]
CASES = [
    pytest.param(method, path, payload, actor, expected[index], id=f"{what} / {actor}")
    for what, method, path, payload, expected in MATRIX
    for index, actor in enumerate(ACTORS)
]


@pytest.mark.parametrize(("method", "path", "payload", "actor", "expected"), CASES)
def test_permission_matrix(api, actors, method, path, payload, actor, expected):
    client = api(None if actor == "anonymous" else getattr(actors, actor))

    response = getattr(client, method)(path(actors), payload(actors) if payload else None, format="json")

    assert response.status_code == expected, response.content


OFFICERS_RECORDS = {
    "a worker's data": lambda worker, job: f"/api/v1/workers/{worker.pk}",
    "a worker's matches": lambda worker, job: f"/api/v1/workers/{worker.pk}/matches",
    "an import": lambda worker, job: f"/api/v1/desk/imports/{job.pk}",
}


@pytest.mark.parametrize("record", OFFICERS_RECORDS)
@pytest.mark.parametrize(("actor", "expected"), [("anonymous", 403), *((a, 404) for a in ACTORS[1:] if a != "officer")])
def test_a_record_only_officers_read_does_not_exist_for_anyone_else(api, actors, record, actor, expected):
    """One policy (README, "Who may do what"): a record you may not read answers 404, whoever owns it."""
    worker = signed_up(api, "0912 000 901").get("/api/v1/workers/me").json()
    worker = WorkerProfile.objects.get(pk=worker["id"])
    job = ImportJob.objects.create(kind="workers", filename="nguoi-lao-dong.csv", created_by=actors.officer)
    client = api(None if actor == "anonymous" else getattr(actors, actor))

    assert client.get(OFFICERS_RECORDS[record](worker, job)).status_code == expected
    if record != "a worker's matches":  # the matches need the search index: tests/test_matching.py
        assert api(actors.officer).get(OFFICERS_RECORDS[record](worker, job)).status_code == 200
