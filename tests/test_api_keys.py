"""An organisation's own system uses the API with a key, as its members do, and nothing more."""

import pytest
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from tests.factories import domestic_fields, member_of, published_vacancy, signed_up


def with_key(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}")


def new_key(api, owner, organisation, **fields):
    answer = api(owner).post(f"/api/v1/organisations/{organisation.pk}/keys", {"name": "ERP", **fields})
    assert answer.status_code == 201, answer.content
    return answer.json()


@pytest.mark.django_db
def test_an_owner_makes_a_key_that_is_shown_once_and_kept_hashed(api, actors):
    made = new_key(api, actors.employer, actors.employer_org)
    assert made["key"].startswith(f"qt_{made['prefix']}_")
    listed = api(actors.employer).get(f"/api/v1/organisations/{actors.employer_org.pk}/keys").json()
    assert [key["prefix"] for key in listed] == [made["prefix"]] and "key" not in listed[0]
    from jobs.models import ApiKey

    assert made["key"] not in str(list(ApiKey.objects.values()))  # only its digest is stored
    recruiter = member_of(actors.employer_org, role="recruiter")
    assert api(recruiter).post(f"/api/v1/organisations/{actors.employer_org.pk}/keys", {"name": "x"}).status_code == 403
    assert api(actors.agency).get(f"/api/v1/organisations/{actors.employer_org.pk}/keys").status_code == 404
    assert AuditEntry.objects.filter(actor=actors.employer, action="api_key").count() == 1


@pytest.mark.django_db
def test_with_a_key_the_organisation_posts_edits_submits_and_reads_applicants(api, actors):
    system = with_key(new_key(api, actors.employer, actors.employer_org)["key"])
    fields = domestic_fields()
    body = {**fields, "organisation": actors.employer_org.pk, "occupation": fields["occupation"].code}
    body |= {"commune": fields["commune"].code, "deadline": fields["deadline"].isoformat()}
    created = system.post("/api/v1/vacancies", body, format="json")
    assert created.status_code == 201, created.content
    vacancy = created.json()["id"]
    assert system.patch(f"/api/v1/vacancies/{vacancy}", {"title": "Thợ hàn MIG"}, format="json").status_code == 200
    submitted = system.post(f"/api/v1/vacancies/{vacancy}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "pending_review"

    open_vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    worker = signed_up(api, "0912 000 111")
    assert worker.post("/api/v1/workers/me/applications", {"vacancy": open_vacancy.pk}).status_code == 201
    applicants = system.get("/api/v1/applications").json()["results"]
    assert [a["vacancy"] for a in applicants] == [open_vacancy.pk]
    # Reading applicants' personal data is audited under the key's own account.
    key_account = actors.employer_org.api_keys.get().account
    assert AuditEntry.objects.filter(actor=key_account, action="view_personal").exists()


@pytest.mark.django_db
def test_a_key_cannot_touch_another_organisations_records(api, actors):
    system = with_key(new_key(api, actors.employer, actors.employer_org)["key"])
    theirs = published_vacancy(actors.agency_org, officer=actors.officer)
    draft = (
        api(actors.agency)
        .post(
            "/api/v1/vacancies",
            {
                **domestic_fields(),
                "organisation": actors.agency_org.pk,
                "occupation": theirs.occupation.code,
                "commune": theirs.commune.code,
                "deadline": theirs.deadline.isoformat(),
            },
            format="json",
        )
        .json()["id"]
    )
    assert system.get(f"/api/v1/vacancies/{draft}").status_code == 404
    assert system.patch(f"/api/v1/vacancies/{draft}", {"title": "x"}, format="json").status_code == 404
    # Their published vacancy is public: the key is refused closing it exactly as a member would be.
    close = f"/api/v1/vacancies/{theirs.pk}/close"
    assert (
        system.post(close, {"reason": "x"}).status_code
        == api(actors.employer).post(close, {"reason": "x"}).status_code
        == 403
    )
    assert system.get(f"/api/v1/organisations/{actors.agency_org.pk}").status_code == 404
    assert system.get(f"/api/v1/organisations/{actors.agency_org.pk}/keys").status_code == 404
    # Nor act as its owner: keys and members are the owner's alone.
    assert system.post(f"/api/v1/organisations/{actors.employer_org.pk}/keys", {"name": "x"}).status_code == 403


@pytest.mark.django_db
def test_a_revoked_or_wrong_key_is_a_401_and_over_its_rate_a_429(api, actors):
    made = new_key(api, actors.employer, actors.employer_org, per_minute=3)
    system = with_key(made["key"])
    assert [system.get("/api/v1/contracts").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert with_key(made["key"] + "x").get("/api/v1/contracts").status_code == 401
    assert with_key("qt_nothing").get("/api/v1/contracts").status_code == 401
    assert APIClient(HTTP_AUTHORIZATION="Api-Key").get("/api/v1/contracts").status_code == 401
    assert APIClient().get("/api/v1/contracts").status_code == 403  # no key offered: as before

    revoked = api(actors.employer).delete(f"/api/v1/organisations/{actors.employer_org.pk}/keys/{made['id']}")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    answer = system.get("/api/v1/vacancies")
    assert answer.status_code == 401 and answer["WWW-Authenticate"] == "Api-Key"
    assert AuditEntry.objects.filter(actor=actors.employer, action="api_key").count() == 2
