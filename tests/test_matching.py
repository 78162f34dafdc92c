"""Matching both ways, with the reasons taken from the search's own named clauses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services import worker_create
from jobs.models import LanguageRequirement, Programme
from search.queries import years_before
from tests.factories import contract_for, domestic_fields, overseas_fields, published
from tests.test_workers import profile_payload

pytestmark = pytest.mark.search


def sign_up(api, phone, *, age=27, wants_abroad=True, countries=("JP",), consent=True, jlpt=None):
    client = api(language="en")
    client.force_login(worker_create(phone=phone, password="thohan-2026"))
    born = timezone.localdate().replace(year=timezone.localdate().year - age, month=1, day=1)
    payload = profile_payload(
        date_of_birth=born.isoformat(), wants_abroad=wants_abroad, desired_countries=list(countries)
    )
    payload["sensitive"] = {}
    assert client.put("/api/v1/workers/me", payload, format="json").status_code == 200
    if jlpt:
        client.post("/api/v1/workers/me/languages", {"framework": "jlpt", "level": jlpt})
    if consent:
        client.post("/api/v1/workers/me/consents", {"purpose": "be_found", "granted": True})
    return client


def japan_welding(actors, *, level="N4"):
    vacancy = published(
        actors.agency_org,
        overseas_fields(contract_for(actors.agency_org), title="Hàn bán tự động tại Aichi"),
        officer=actors.officer,
    )
    LanguageRequirement.objects.create(vacancy=vacancy, framework="jlpt", level=level)
    return vacancy


def test_a_match_says_why_it_fits_and_what_is_missing(api, actors, index):
    japan_welding(actors, level="N4")
    published(actors.employer_org, domestic_fields(), officer=actors.officer)
    worker = sign_up(api, "0912 111 001", jlpt="N5")
    index()

    results = worker.get("/api/v1/workers/me/matches").json()["results"]

    japan = next(r for r in results if r["title"] == "Hàn bán tự động tại Aichi")
    assert japan["missing"] == ["JLPT N4 required; you have N5."]
    assert {"desired_occupation", "country"} <= {reason["criterion"] for reason in japan["reasons"]}
    assert "language" not in {reason["criterion"] for reason in japan["reasons"]}
    assert abs(sum(reason["share"] for reason in japan["reasons"]) - 1) < 0.05
    at_home = next(r for r in results if r["title"] == "Thợ hàn kết cấu thép")
    assert "distance" in {reason["criterion"] for reason in at_home["reasons"]}


def test_with_several_languages_required_each_must_be_held(api, actors, index):
    vacancy = japan_welding(actors, level="N4")
    LanguageRequirement.objects.create(vacancy=vacancy, framework="cefr", level="B1")
    index()
    only_japanese = sign_up(api, "0912 111 005", jlpt="N3")
    both = sign_up(api, "0912 111 006", jlpt="N4")
    both.post("/api/v1/workers/me/languages", {"framework": "cefr", "level": "B2"})
    index()

    def japan(client):
        return next(r for r in client.get("/api/v1/workers/me/matches").json()["results"] if r["pk"] == vacancy.pk)

    assert japan(only_japanese)["missing"] == ["CEFR B1 required; you have none."]
    assert "language" not in {reason["criterion"] for reason in japan(only_japanese)["reasons"]}
    assert "language" in {reason["criterion"] for reason in japan(both)["reasons"]}
    assert japan(both)["missing"] == []


def test_hard_rules_filter_age_band_and_the_wish_to_go_abroad(api, actors, index):
    contract = contract_for(actors.agency_org, country="KR")
    contract.programme = Programme.objects.get(code="kr-eps")
    contract.save()
    published(actors.agency_org, overseas_fields(contract, title="EPS Hàn Quốc sản xuất"), officer=actors.officer)
    published(actors.employer_org, domestic_fields(), officer=actors.officer)
    older = sign_up(api, "0912 111 002", age=42, countries=("KR",))
    home = sign_up(api, "0912 111 003", wants_abroad=False, countries=())
    young = sign_up(api, "0912 111 004", countries=("KR",))
    index()

    def found(client):
        return {r["title"] for r in client.get("/api/v1/workers/me/matches").json()["results"]}

    assert found(older) == found(home) == {"Thợ hàn kết cấu thép"}
    assert found(young) == {"Thợ hàn kết cấu thép", "EPS Hàn Quốc sản xuất"}


def test_an_agency_sees_ranked_candidates_who_agreed_masked_until_they_apply(api, actors, index):
    vacancy = japan_welding(actors)
    keen = sign_up(api, "0912 111 005", jlpt="N4")
    sign_up(api, "0912 111 006", jlpt="N5")
    sign_up(api, "0912 111 007", jlpt="N3", consent=False)  # not findable
    index()
    agency = api(actors.agency)

    before = agency.get(f"/api/v1/vacancies/{vacancy.pk}/candidates").json()["results"]
    keen.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk})
    after = agency.get(f"/api/v1/vacancies/{vacancy.pk}/candidates").json()["results"]

    assert len(before) == 2
    assert before[0]["reasons"][0]["criterion"] == "desired_occupation"
    assert "language:jlpt" in {r["criterion"] for r in before[0]["reasons"]}  # the N4 holder first
    assert before[0]["contact"]["phone"] == "*******005" and not before[0]["applied"]
    assert after[0]["contact"]["phone"] == "+84912111005" and after[0]["applied"]
    assert api(actors.employer).get(f"/api/v1/vacancies/{vacancy.pk}/candidates").status_code == 404


def test_candidates_are_in_the_age_band_to_the_day(api, actors, index):
    vacancy = japan_welding(actors)  # abroad: 18 at least (Law 69/2020)
    eighteen_today = years_before(timezone.localdate(), 18)
    for phone, born in [("0912 111 011", eighteen_today), ("0912 111 012", eighteen_today + timedelta(days=1))]:
        client = sign_up(api, phone, jlpt="N4")
        payload = profile_payload(date_of_birth=born.isoformat())
        payload["sensitive"] = {}
        assert client.put("/api/v1/workers/me", payload, format="json").status_code == 200
    index()

    found = api(actors.agency).get(f"/api/v1/vacancies/{vacancy.pk}/candidates").json()["results"]

    assert [r["contact"]["phone"] for r in found] == ["*******011"]  # 18 today; the other turns 18 tomorrow


def test_skills_the_worker_lists_count_toward_the_match(api, actors, index):
    published(
        actors.employer_org,
        domestic_fields(title="Thợ hàn inox", skills=["hàn TIG", "đọc bản vẽ"]),
        officer=actors.officer,
    )
    worker = sign_up(api, "0912 111 008")
    payload = profile_payload(skills=["Hàn TIG"])
    payload["sensitive"] = {}
    worker.put("/api/v1/workers/me", payload, format="json")
    index()

    result = worker.get("/api/v1/workers/me/matches").json()["results"][0]

    assert "skills" in {reason["criterion"] for reason in result["reasons"]}


def test_an_invited_worker_who_accepts_shows_their_contact(api, actors, index):
    vacancy = japan_welding(actors)
    found = sign_up(api, "0912 111 009", jlpt="N4")
    hidden = sign_up(api, "0912 111 010", consent=False)
    index()
    agency = api(actors.agency)
    candidate = agency.get(f"/api/v1/vacancies/{vacancy.pk}/candidates").json()["results"][0]
    hidden_pk = hidden.get("/api/v1/workers/me").json()["id"]

    sent = agency.post(f"/api/v1/vacancies/{vacancy.pk}/invitations", {"worker": candidate["worker"]})
    refused = api(actors.agency, language="en").post(
        f"/api/v1/vacancies/{vacancy.pk}/invitations", {"worker": hidden_pk}
    )
    elsewhere = api(actors.employer).post(
        f"/api/v1/vacancies/{vacancy.pk}/invitations", {"worker": candidate["worker"]}
    )
    invitation = found.get("/api/v1/workers/me/invitations").json()["results"][0]
    accepted = found.post(f"/api/v1/workers/me/invitations/{invitation['id']}/accept")
    after = agency.get(f"/api/v1/vacancies/{vacancy.pk}/candidates").json()["results"][0]

    assert sent.status_code == 201 and candidate["contact"]["phone"] == "*******009"
    assert refused.json() == {"worker": ["This worker is not among the candidates for this vacancy."]}
    assert elsewhere.status_code == 404
    assert invitation["vacancy_title"] == "Hàn bán tự động tại Aichi" and accepted.json()["status"] == "accepted"
    assert after["accepted_invitation"] and after["contact"]["phone"] == "+84912111009"
