"""The API's contract with its clients: bad ids and values are answered 404 or 400, never 500."""

import pytest
from django.urls import get_resolver
from rest_framework.test import APIClient

from tests.factories import contract_for


@pytest.mark.django_db
@pytest.mark.parametrize("bad_id", ["983909920436862999999", "null,null", "-1", "1e3", "%20"])
def test_an_id_that_cannot_be_a_row_is_no_such_page(api, actors, bad_id):
    agency, worker = api(actors.agency), api(actors.worker)
    contract_for(actors.agency_org)
    assert agency.get(f"/api/v1/contracts/{bad_id}").status_code == 404
    assert agency.patch(f"/api/v1/contracts/{bad_id}", {"quota": 1}, format="json").status_code == 404
    assert worker.post(f"/api/v1/workers/me/applications/{bad_id}/withdraw").status_code == 404
    assert worker.post(f"/api/v1/workers/me/invitations/{bad_id}/accept").status_code == 404
    assert worker.post(f"/api/v1/workers/me/invitations/{bad_id}/decline").status_code == 404
    assert api(actors.officer).get(f"/api/v1/workers/{bad_id}/matches").status_code == 404


def test_every_address_with_an_id_takes_only_ids():
    """The root of the fix: no URL pattern of ours, page or API, lets anything but digits reach a view as an id
    (the admin's, Django's and django-otp's own, answers a bad id itself)."""
    loose = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith("admin/"):
                continue
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            elif ("pk" in pattern.pattern.regex.groupindex) and "[0-9]{1,18}" not in pattern.pattern.regex.pattern:
                loose.append(route)

    walk(get_resolver().url_patterns)
    assert loose == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"year": 2026, "values": {"new_jobs": "99999999999"}},
        {"year": 2026, "values": {"new_jobs": 1e20}},
        {"year": 99999999999, "values": {}},
        {"year": 2026, "values": {"new_jobs": 5}, "commune": "null,null"},
    ],
)
def test_an_out_of_range_target_is_a_400(api, actors, body):
    assert api(actors.officer).put("/api/v1/targets", body, format="json").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/api/v1/organisations/0/keys/x", "/api/v1/vacancies/%C2%84", "/api/v1/nothing"])
def test_an_api_address_that_names_no_operation_is_the_apis_json_404(api, address):
    answer = api().get(address)
    assert answer.status_code == 404 and answer["Content-Type"] == "application/json"
    assert answer.json() == {"detail": "Không tìm thấy."}


@pytest.mark.django_db
def test_a_write_through_the_session_declares_the_403_of_a_missing_csrf_token(api, reference):
    """Sign-in checks the CSRF token before anyone is signed in (login CSRF): the schema says it may refuse."""
    schema = api().get("/api/schema/?format=json").json()
    assert "403" in schema["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert APIClient(enforce_csrf_checks=True).post("/api/v1/auth/login", {}, format="json").status_code == 403


@pytest.mark.django_db
def test_a_write_to_an_address_that_names_no_operation_is_the_json_404_not_the_csrf_page(reference):
    answer = APIClient(enforce_csrf_checks=True).patch("/api/v1/courses/%C2%84", {}, format="json")
    assert answer.status_code == 404 and answer["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_following_a_code_that_names_no_report_is_a_declared_404(api, reference):
    schema = api().get("/api/schema/?format=json").json()
    assert "404" in schema["paths"]["/api/v1/reports/follow"]["post"]["responses"]
    assert api().post("/api/v1/reports/follow", {"code": "0000-0000-0000"}, format="json").status_code == 404


@pytest.mark.django_db
def test_suggestions_within_filters_that_leave_no_vacancy_are_none(api, actors, search_index):
    answer = api().get("/api/v1/vacancies/suggest", {"q": "0", "abroad": "true", "employment_type": "permanent"})
    assert answer.status_code == 200 and answer.json() == []


@pytest.mark.django_db
def test_the_schema_says_an_optional_query_field_may_be_sent_empty(api, search_index, reference):
    """DRF and django-filter read `?training_level=` as not sent: the schema must not call it invalid."""
    paths = api().get("/api/schema/?format=json").json()["paths"]
    level = next(p for p in paths["/api/v1/vacancies/search"]["get"]["parameters"] if p["name"] == "training_level")
    assert "" in level["schema"]["enum"]
    occupation = next(p for p in paths["/api/v1/courses/search"]["get"]["parameters"] if p["name"] == "occupation")
    assert "minLength" not in occupation["schema"]
    assert api().get("/api/v1/vacancies/search", {"training_level": ""}).status_code == 200
    assert api().get("/api/v1/courses/search", {"occupation": ""}).status_code == 200


@pytest.mark.django_db
def test_a_workers_own_records_before_the_profile_exists_are_a_declared_404(api, actors):
    schema = api().get("/api/schema/?format=json").json()
    assert "404" in schema["paths"]["/api/v1/workers/me/certificates"]["post"]["responses"]
    assert api(actors.outsider).get("/api/v1/workers/me/consents").status_code == 404  # an account, no profile


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["null", "", "yes"])
def test_a_yes_no_filter_it_cannot_read_is_a_400_not_every_vacancy(api, reference, value):
    answer = api().get("/api/v1/vacancies", {"is_overseas": value})
    assert answer.status_code == 400 and list(answer.json()) == ["is_overseas"]
    assert api().get("/api/v1/vacancies", {"is_overseas": "false"}).status_code == 200


@pytest.mark.django_db
def test_request_bodies_are_documented_as_json_and_uploads_as_forms(api, reference):
    paths = api().get("/api/schema/?format=json").json()["paths"]
    assert list(paths["/api/v1/vacancies"]["post"]["requestBody"]["content"]) == ["application/json"]
    assert "multipart/form-data" in paths["/api/v1/desk/imports"]["post"]["requestBody"]["content"]


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["0", "99999", "", "2026x"])
def test_a_summary_year_no_date_can_hold_is_a_400(api, actors, year):
    answer = api(actors.officer).get("/api/v1/placements/summary", {"year": year})
    assert answer.status_code == 400 and list(answer.json()) == ["year"]


@pytest.mark.django_db
def test_members_and_keys_are_documented_as_the_plain_lists_they_are(api, actors):
    paths = api().get("/api/schema/?format=json").json()["paths"]
    for path in ("/api/v1/organisations/{id}/members", "/api/v1/organisations/{id}/keys"):
        body = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array", path
    members = api(actors.employer).get(f"/api/v1/organisations/{actors.employer_org.pk}/members").json()
    assert isinstance(members, list)
