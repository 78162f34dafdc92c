"""Saved searches and match alerts, as a worker and the search itself would check them."""

import pytest

from candidates import services as candidates
from notifications.models import Event
from search import alerts
from search.models import PendingPercolation, SavedSearch
from tests.factories import contract_for, make_worker, overseas_fields, published_vacancy, vacancy_at_home

pytestmark = pytest.mark.search


def alerted_worker(phone="0912 345 601"):
    profile = make_worker(phone)
    candidates.consent_set(worker=profile, purpose="alerts", granted=True)
    return profile


def welding_in_japan(actors, title="Thực tập sinh hàn tại Aichi"):
    fields = overseas_fields(contract_for(actors.agency_org), title=title)
    return published_vacancy(actors.agency_org, fields, officer=actors.officer)


SEARCHES = [
    {"q": "tho han"},
    {"q": "thợ hàn", "abroad": "true"},
    {"q": "han", "abroad": "false", "salary_min": "12000000"},
    {"occupation": ["7212"], "country": "JP"},
    {"q": "ke toan"},
    {"abroad": "false", "commune": None},  # the commune: filled in below (Đông Hà's code)
    {"q": "tiếng Nhật N4"},
    {"q": "phi công"},
]


def test_percolation_finds_exactly_what_each_saved_search_finds_when_run(api, actors, index):
    """Every saved search answered over the batch, checked against running it through the search API."""
    from jobs.models import Commune

    owner = alerted_worker()
    dong_ha = Commune.objects.get(name="Đông Hà").code
    saved = []
    for params in SEARCHES:
        params = {**params, "commune": dong_ha} if "commune" in params else params
        saved.append(alerts.saved_search_create(user=owner.user, name="", params=params))
    batch = [
        vacancy_at_home(actors, "Tuyển thợ hàn CO2", salary_max=15_000_000),
        vacancy_at_home(actors, "Thợ hàn điện, lương thấp", salary_max=10_000_000),
        vacancy_at_home(actors, "Nhân viên kế toán tổng hợp", code="2411"),
        vacancy_at_home(actors, "Công nhân may", code="7533", commune=Commune.objects.exclude(code=dong_ha).first()),
        welding_in_japan(actors),
    ]
    index()

    found = alerts.answering([v.pk for v in batch], SavedSearch.objects.all())

    for search in saved:
        params = {name: value for name, value in search.params.items() if name in alerts.PARAMS}
        response = api().get("/api/v1/vacancies/search", {**params, "page_size": 100})
        assert response.status_code == 200, response.json()
        expected = sorted(result["pk"] for result in response.json()["results"])
        assert sorted(found.get(search.pk, [])) == expected, search.params
    assert len({tuple(sorted(hits)) for hits in found.values()}) >= 4  # the searches found different things
    assert saved[-1].pk not in found  # "phi công" finds no fee ("phí") and no worker ("công nhân")


def test_a_published_vacancy_alerts_each_matching_saved_search_once(actors, index):
    owner = alerted_worker()
    welding = alerts.saved_search_create(
        user=owner.user, name="Hàn ở Nhật", params={"q": "tho han", "abroad": "true"}, rhythm="at_once"
    )
    alerts.saved_search_create(user=owner.user, name="Kế toán", params={"q": "ke toan"}, rhythm="at_once")
    vacancy = welding_in_japan(actors)
    Event.objects.all().delete()
    index()  # the indexer queues what it indexed for the saved searches

    assert PendingPercolation.objects.filter(vacancy_id=vacancy.pk).exists()
    assert alerts.percolate() >= 1
    told = Event.objects.get(kind="saved_search")
    assert told.user == owner.user
    assert told.context["search"] == "Hàn ở Nhật" and told.context["vacancies"] == vacancy.title
    assert told.context["path"] == f"/vacancies/{vacancy.pk}/"

    alerts.queue([vacancy.pk])  # edited and indexed again: nobody is told twice
    alerts.percolate()
    assert Event.objects.filter(kind="saved_search").count() == 1
    assert welding.hits.get().told_at is not None


def test_withdrawn_consent_paused_or_deleted_searches_are_not_run(actors, index):
    owner = alerted_worker()
    paused = alerts.saved_search_create(user=owner.user, name="", params={"q": "tho han"}, rhythm="at_once")
    alerts.saved_search_pause(paused, paused=True)
    other = alerted_worker("0912 345 602")
    kept = alerts.saved_search_create(user=other.user, name="", params={"q": "tho han"}, rhythm="at_once")
    withdrawn = alerted_worker("0912 345 603")
    alerts.saved_search_create(user=withdrawn.user, name="", params={"q": "tho han"}, rhythm="at_once")
    candidates.consent_set(worker=withdrawn, purpose="alerts", granted=False)
    vacancy = vacancy_at_home(actors, "Tuyển thợ hàn CO2")
    index()

    assert alerts.answering([vacancy.pk]) == {kept.pk: [vacancy.pk]}


def test_digests_tell_daily_searches_once_a_day(actors, index):
    owner = alerted_worker()
    alerts.saved_search_create(user=owner.user, name="Thợ hàn", params={"q": "tho han"}, rhythm="daily")
    vacancy_at_home(actors, "Tuyển thợ hàn CO2")
    index()
    alerts.percolate()
    assert not Event.objects.filter(kind="saved_search").exists()  # daily: not at once

    assert alerts.digests() == 1
    assert alerts.digests() == 0  # nothing new since
    assert Event.objects.get(kind="saved_search").context["count"] == 1


def test_match_digest_tells_new_matching_vacancies_with_reasons_once_a_day(actors, index):
    owner = alerted_worker()  # wants welding (7212) at home
    not_asked = make_worker("0912 345 604")  # no alerts consent
    vacancy_at_home(actors, "Tuyển thợ hàn CO2")
    index()

    assert alerts.match_digests() == 1
    assert alerts.match_digests() == 1  # the same day's key: still one digest
    digest = Event.objects.get(kind="match_digest")
    assert digest.user == owner.user and digest.context["vacancies"] == "Tuyển thợ hàn CO2"
    assert "desired_occupation" in digest.context["reasons"][0]
    assert not Event.objects.filter(kind="match_digest", user=not_asked.user).exists()


# --- API ----------------------------------------------------------------------------------------


def test_the_api_saves_lists_pauses_and_deletes_a_search(api, actors, index):
    owner = alerted_worker()
    client = api(owner.user)

    created = client.post(
        "/api/v1/searches",
        {"name": "Hàn ở Nhật", "params": {"q": "tho han", "abroad": "true"}, "rhythm": "weekly"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["params"] == {"q": "tho han", "abroad": "true"} and body["rhythm"] == "weekly"
    assert body["results"] == "/vacancies/?q=tho+han&abroad=true"

    paused = client.patch(f"/api/v1/searches/{body['id']}", {"paused": True}, format="json")
    assert paused.status_code == 200 and paused.json()["paused"] is True
    assert [s["name"] for s in client.get("/api/v1/searches").json()["results"]] == ["Hàn ở Nhật"]
    assert api(actors.worker).delete(f"/api/v1/searches/{body['id']}").status_code == 404  # not theirs
    assert client.delete(f"/api/v1/searches/{body['id']}").status_code == 204
    assert not SavedSearch.objects.exists()


def test_a_saved_search_with_invalid_filters_gets_the_searchs_own_400(api, reference):
    owner = alerted_worker()
    bad = {"commune": "99999", "salary_min": "-5", "abroad": "maybe"}

    searched = api().get("/api/v1/vacancies/search", bad)
    saved = api(owner.user).post("/api/v1/searches", {"params": bad}, format="json")

    assert searched.status_code == saved.status_code == 400
    assert saved.json() == searched.json()
    assert set(saved.json()) == {"commune", "salary_min", "abroad"}
    assert not SavedSearch.objects.exists()


def test_saving_a_search_needs_the_alerts_consent(api, reference):
    profile = make_worker("0912 345 605")
    response = api(profile.user).post("/api/v1/searches", {"params": {"q": "tho han"}}, format="json")
    assert response.status_code == 400
    assert "nhận tin việc làm" in response.json()["non_field_errors"][0]
