"""Matching both ways, with the reasons taken from the search's own named clauses."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs.models import Commune, LanguageRequirement, Occupation, Programme
from search.queries import years_before
from tests.factories import (
    contract_for,
    domestic_fields,
    japan_welding,
    overseas_fields,
    profile_payload,
    published_vacancy,
    signed_up,
)

pytestmark = pytest.mark.search


def sign_up(api, phone, **profile):
    """A findable worker of 27 who wants welding in Japan, reading the API in English."""
    return signed_up(api, phone, **{"age": 27, "consent": True, "language": "en", **profile})


def test_a_match_says_why_it_fits_and_what_is_missing(api, actors, index):
    japan_welding(actors, level="N4")
    published_vacancy(actors.employer_org, officer=actors.officer)
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


def test_a_salary_below_what_the_worker_expects_is_missing_in_dong(api, actors, index):
    published_vacancy(actors.employer_org, officer=actors.officer)  # pays up to 14.000.000 đ
    worker = sign_up(api, "0912 111 007", wants_abroad=False, expected_salary_vnd=20_000_000)
    index()

    results = worker.get("/api/v1/workers/me/matches").json()["results"]

    at_home = next(r for r in results if r["title"] == "Thợ hàn kết cấu thép")
    assert at_home["missing"] == ["Pays up to 14,000,000 đ a month; you expect 20,000,000 đ."]
    worker.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    results = worker.get("/api/v1/workers/me/matches").json()["results"]
    assert "Lương tối đa 14.000.000 đ/tháng; bạn mong muốn 20.000.000 đ." in results[0]["missing"]


def test_with_several_languages_required_each_must_be_held(api, actors, index):
    vacancy = japan_welding(actors, level="N4")
    LanguageRequirement.objects.create(vacancy=vacancy, framework="cefr_en", level="B1")
    index()
    only_japanese = sign_up(api, "0912 111 005", jlpt="N3")
    both = sign_up(api, "0912 111 006", jlpt="N4")
    assert both.post("/api/v1/workers/me/languages", {"framework": "cefr_en", "level": "B2"}).status_code == 201
    index()

    def japan(client):
        return next(r for r in client.get("/api/v1/workers/me/matches").json()["results"] if r["pk"] == vacancy.pk)

    assert japan(only_japanese)["missing"] == ["CEFR, English B1 required; you have none."]
    assert "language" not in {reason["criterion"] for reason in japan(only_japanese)["reasons"]}
    assert "language" in {reason["criterion"] for reason in japan(both)["reasons"]}
    assert japan(both)["missing"] == []


def test_hard_rules_filter_age_band_and_the_wish_to_go_abroad(api, actors, index):
    contract = contract_for(actors.agency_org, country="KR")
    contract.programme = Programme.objects.get(code="kr-eps")
    contract.save()
    published_vacancy(
        actors.agency_org, overseas_fields(contract, title="EPS Hàn Quốc sản xuất"), officer=actors.officer
    )
    published_vacancy(actors.employer_org, officer=actors.officer)
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
    assert keen.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).status_code == 201
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
    published_vacancy(
        actors.employer_org, title="Thợ hàn inox", skills=["hàn TIG", "đọc bản vẽ"], officer=actors.officer
    )
    worker = sign_up(api, "0912 111 008")
    payload = profile_payload(skills=["Hàn TIG"])
    payload["sensitive"] = {}
    assert worker.put("/api/v1/workers/me", payload, format="json").status_code == 200
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


# --- What a new user tried, second round (issue 14) ------------------------------------------------


def matches(client):
    response = client.get("/api/v1/workers/me/matches")
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_an_english_b1_does_not_meet_a_german_b1(api, actors, index):
    contract = contract_for(actors.agency_org, country="DE")
    germany = published_vacancy(
        actors.agency_org, overseas_fields(contract, title="Thợ hàn tại Đức"), officer=actors.officer
    )
    LanguageRequirement.objects.create(vacancy=germany, framework="cefr_de", level="B1")
    english = sign_up(api, "0912 111 020", countries=("DE",))
    assert english.post("/api/v1/workers/me/languages", {"framework": "cefr_en", "level": "B2"}).status_code == 201
    german = sign_up(api, "0912 111 021", countries=("DE",))
    assert german.post("/api/v1/workers/me/languages", {"framework": "cefr_de", "level": "B1"}).status_code == 201
    index()

    (for_english,) = [r for r in matches(english) if r["pk"] == germany.pk]
    (for_german,) = [r for r in matches(german) if r["pk"] == germany.pk]

    assert for_english["missing"] == ["CEFR, German B1 required; you have none."]
    assert "language" in {reason["criterion"] for reason in for_german["reasons"]} and not for_german["missing"]


def test_a_language_requirement_is_met_or_not_whatever_its_level(api, actors, index):
    asks = {}
    for level in ("N5", "N4", None):
        vacancy = japan_welding(actors, level=level or "N5")
        if level is None:
            vacancy.languages.all().delete()
        asks[vacancy.pk] = level
    worker = sign_up(api, "0912 111 022", jlpt="N4")
    index()

    scores = {asks[r["pk"]]: r["score"] for r in matches(worker) if r["pk"] in asks}

    assert scores["N4"] == pytest.approx(scores["N5"]) == pytest.approx(scores[None])


def test_the_communes_a_worker_wants_to_work_in_count_as_near(api, actors, index):
    def at(commune):
        fields = domestic_fields(title=f"Thợ hàn tại {commune}", commune=Commune.objects.get(name=commune))
        return published_vacancy(actors.employer_org, fields, officer=actors.officer)

    at("Đông Hà")
    at("Khe Sanh")  # 18 km from Lao Bảo, 60 from Đông Hà
    from_lao_bao = {"commune": Commune.objects.get(name="Lao Bảo").code}
    stays = sign_up(api, "0912 111 023", wants_abroad=False, countries=(), **from_lao_bao)
    wanted = {"desired_communes": [Commune.objects.get(name="Đông Hà").code]}
    moves = sign_up(api, "0912 111 024", wants_abroad=False, countries=(), **from_lao_bao, **wanted)
    index()

    assert [r["title"] for r in matches(stays)] == ["Thợ hàn tại Khe Sanh", "Thợ hàn tại Đông Hà"]
    assert [r["title"] for r in matches(moves)] == ["Thợ hàn tại Đông Hà", "Thợ hàn tại Khe Sanh"]


def test_abroad_only_home_only_and_abroad_not_outranked_by_a_job_next_door(api, actors, index):
    japan = japan_welding(actors, level="N4")
    published_vacancy(actors.employer_org, officer=actors.officer)  # in Đông Hà, where they live
    abroad_only = sign_up(api, "0912 111 025", jlpt="N4", wants_home=False)
    home_only = sign_up(api, "0912 111 026", wants_abroad=False, countries=())
    both = sign_up(api, "0912 111 027", jlpt="N4")
    index()

    assert [r["title"] for r in matches(abroad_only)] == ["Hàn bán tự động tại Aichi"]
    assert [r["title"] for r in matches(home_only)] == ["Thợ hàn kết cấu thép"]
    assert matches(both)[0]["pk"] == japan.pk  # the job next door does not outrank what they asked for
    payload = profile_payload(wants_abroad=False, wants_home=False)  # a worker wants one or the other
    payload["sensitive"] = {}
    refused = both.put("/api/v1/workers/me", payload, format="json")
    assert refused.status_code == 400 and "wants_home" in refused.json()


def test_ranked_candidates_say_what_is_missing_and_a_verified_certificate_counts_more(api, actors, index):
    vacancy = japan_welding(actors, level="N4")
    welder = Occupation.objects.get(code="7212").code
    certificate = {"kind": "vocational", "level": "elementary", "occupation": welder, "institution": "CĐ Kỹ thuật"}
    declared = sign_up(api, "0912 111 028", jlpt="N4")
    verified = sign_up(api, "0912 111 029", jlpt="N4")
    short = sign_up(api, "0912 111 030", jlpt="N5")
    added = {
        client: client.post("/api/v1/workers/me/certificates", {**certificate, "issued_on": "2024-06-30"}).json()
        for client in (declared, verified, short)
    }
    proof = added[verified]["id"]
    assert api(actors.officer).post(f"/api/v1/certificates/{proof}/verify").status_code in (200, 204)
    index()

    found = api(actors.agency, language="en").get(f"/api/v1/vacancies/{vacancy.pk}/candidates").json()["results"]
    phones = [r["contact"]["phone"] for r in found]

    assert phones == ["*******029", "*******028", "*******030"]
    assert found[0]["missing"] == found[1]["missing"] == []
    assert found[2]["missing"] == ["JLPT N4 required; the worker has N5."]
    assert "certified_occupation" in {r["criterion"] for r in found[0]["reasons"]}
    assert "declared_certificate" in {r["criterion"] for r in found[1]["reasons"]}


def test_matches_read_the_worker_in_one_query_however_much_their_profile_holds(api, actors, index):
    japan_welding(actors, level="N4")
    published_vacancy(actors.employer_org, officer=actors.officer)
    plain = sign_up(api, "0912 111 061")
    rich = sign_up(api, "0912 111 062", jlpt="N4", countries=["JP", "KR"])
    for number in range(3):
        certificate = {"kind": "vocational", "level": "elementary", "occupation": "7212", "issued_on": "2024-06-01"}
        added = rich.post("/api/v1/workers/me/certificates", {**certificate, "institution": f"Trường {number}"})
        assert added.status_code == 201, added.json()
    index()

    counts = []
    for client in (plain, rich):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/workers/me/matches").status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1] <= 6  # session, user, worker, their profile, the language courses
