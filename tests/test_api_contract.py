"""The API's contract with its clients: bad ids and values are answered 404 or 400, never 500."""

import pytest
from django.test import Client
from django.urls import get_resolver
from rest_framework.test import APIClient

from jobs.models import Vacancy
from tests.factories import as_payload, contract_for, domestic_fields, published_vacancy, signed_in


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
def test_an_optional_query_field_sent_empty_is_one_not_sent_as_the_schema_says(api, search_index, actors):
    """`?training_level=`, as a web form sends a field left blank, is no filter: the schema declares it
    (allowEmptyValue) without calling "" a level, and the API answers as if it were not sent."""
    paths = api().get("/api/schema/?format=json").json()["paths"]
    level = next(p for p in paths["/api/v1/vacancies/search"]["get"]["parameters"] if p["name"] == "training_level")
    assert level["allowEmptyValue"] is True and "" not in level["schema"]["enum"]
    overseas = next(p for p in paths["/api/v1/vacancies"]["get"]["parameters"] if p["name"] == "is_overseas")
    assert overseas["allowEmptyValue"] is True and overseas["schema"] == {"type": "boolean"}
    assert api().get("/api/v1/vacancies/search", {"training_level": ""}).status_code == 200
    assert api().get("/api/v1/courses/search", {"occupation": ""}).status_code == 200
    published_vacancy(actors.employer_org, officer=actors.officer)
    everything = api().get("/api/v1/vacancies").json()["count"]
    assert everything > 0 and api().get("/api/v1/vacancies", {"is_overseas": ""}).json()["count"] == everything


@pytest.mark.django_db
def test_a_workers_own_records_before_the_profile_exists_are_a_declared_404(api, actors):
    schema = api().get("/api/schema/?format=json").json()
    assert "404" in schema["paths"]["/api/v1/workers/me/certificates"]["post"]["responses"]
    assert api(actors.outsider).get("/api/v1/workers/me/consents").status_code == 404  # an account, no profile


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["null", "yes", "1", "on"])
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


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", 0, "Hãy nhập một chuỗi ký tự."),  # DRF would store the text "0"
        ("is_overseas", 0, "Hãy chọn có hoặc không."),  # ... read 0 and 1 as no and yes
        ("is_overseas", "no", "Hãy chọn có hoặc không."),
        ("positions", 3.0, "Hãy nhập một số nguyên."),  # ... and 3.0, "3" as integers
        ("positions", "3", "Hãy nhập một số nguyên."),
        ("positions", True, "Hãy nhập một số nguyên."),
        ("occupation", 7212, "Giá trị không hợp lệ."),  # ... and 7212 as the code "7212"
        ("contract_type", 1, "“1” không phải là lựa chọn hợp lệ."),
        ("salary_min", True, "Hãy nhập một số hợp lệ."),  # a number, or its text as the API writes it
        ("organisation", "1", "Sai kiểu dữ liệu: cần mã của mục, nhận được str."),
    ],
)
def test_a_json_value_of_another_type_than_the_schema_says_is_a_400_with_the_fields_message(
    api, actors, field, value, message
):
    body = as_payload({"organisation": actors.employer_org.pk, **domestic_fields()}) | {field: value}
    answer = api(actors.employer).post("/api/v1/vacancies", body, format="json")
    assert answer.status_code == 400 and answer.json() == {field: [message]}
    assert not Vacancy.objects.exists()
    body = as_payload({"organisation": actors.employer_org.pk, **domestic_fields()})
    assert api(actors.employer).post("/api/v1/vacancies", body, format="json").status_code == 201


@pytest.mark.django_db
def test_a_nested_or_listed_value_of_another_type_is_refused_too(api, actors):
    worker = api(actors.worker)
    answer = worker.put("/api/v1/workers/me", {"desired_occupations": ["7212", 7212]}, format="json")
    assert answer.status_code == 400 and answer.json() == {"desired_occupations": ["Giá trị không hợp lệ."]}
    answer = api(actors.officer).put("/api/v1/targets", {"year": 2026, "values": {"new_jobs": False}}, format="json")
    assert answer.status_code == 400 and answer.json() == {"values": ["Hãy nhập một số hợp lệ."]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"for_me": "yes"}, "for_me", "Hãy chọn có hoặc không."),  # true or false, as the schema spells them
        ({"for_me": "1"}, "for_me", "Hãy chọn có hoặc không."),
        ({"page": "1.0"}, "page", "Hãy nhập một số nguyên."),
        ({"page": " 1"}, "page", "Hãy nhập một số nguyên."),
    ],
)
def test_a_query_field_takes_only_the_spellings_its_schema_gives(api, actors, search_index, query, field, message):
    answer = api(actors.worker).get("/api/v1/courses/search", query)
    assert answer.status_code == 400 and answer.json() == {field: [message]}
    assert api(actors.worker).get("/api/v1/courses/search", {"for_me": "TRUE", "page": "1"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("credential", ["Bearer SCHEMATHESIS-INVALID-VALUE", "Api-Key qt_wrong", "0", ""])
def test_a_wrong_credential_beside_a_session_is_a_401_not_the_sessions_account(actors, credential):
    """The fuzzer's `ignored_auth`: a request that offers an Authorization header the API does not take was
    served as the account of the session cookie sent with it; a wrong credential is refused, whatever comes."""
    browser = signed_in(Client(), actors.worker)
    assert browser.get("/api/v1/workers/me").status_code == 200
    refused = browser.get("/api/v1/workers/me", HTTP_AUTHORIZATION=credential)
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Api-Key"
    assert refused.json() == {"detail": "Khóa API này không đúng hoặc đã bị thu hồi."}


@pytest.mark.django_db
def test_a_text_longer_than_its_schema_allows_is_a_400_even_if_trimmed_it_would_fit(api, actors):
    """The fuzzer's finding: "\\f" and 200 stars was a place of 200 once DRF trimmed it; the schema says 200 at most."""
    body = {"employer_name": "Xưởng cơ khí", "started_on": "2020-01-01", "place": "\f" + "*" * 200}
    answer = api(actors.worker).post("/api/v1/workers/me/experience", body, format="json")
    assert answer.status_code == 400 and answer.json() == {"place": ["Trường này không được dài quá 200 ký tự."]}
    assert api(actors.worker).get("/api/v1/workers/me/experience").json() == []
