"""Every page or API answer that runs a search, a match or a statistic has a rate: per signed-in user, or per
address when signed out (behind a proxy, the address the proxy saw: NUM_PROXIES)."""

import pytest
from django.core.cache import cache

from tests.conftest import text
from tests.factories import make_worker, published_vacancy, signed_in

SEARCHES = "Quá nhiều lượt tìm kiếm"
FIGURES = "Quá nhiều lượt xem số liệu trong thời gian ngắn; vui lòng đợi một phút."
STATISTICS = "/api/v1/statistics/placements"


@pytest.fixture(autouse=True)
def no_requests_counted_yet():
    cache.clear()


@pytest.fixture
def vacancy(actors, index):
    vacancy = published_vacancy(actors.employer_org, title="Tuyển thợ hàn CO2", officer=actors.officer)
    index()
    return vacancy


def third(client, path) -> tuple[list[int], object]:
    statuses = [client.get(path).status_code for _ in range(2)]
    return statuses, client.get(path)


@pytest.mark.search
def test_a_workers_matches_page_has_the_rate_of_search(client, vacancy, settings):
    settings.SEARCH_USER_RATE = "2/min"
    client.force_login(make_worker(abroad=True).user)

    statuses, refused = third(client, "/me/matches/")

    assert statuses == [200, 200]
    assert refused.status_code == 429 and SEARCHES in text(refused)


@pytest.mark.search
def test_why_a_vacancy_fits_waits_for_the_rate_while_the_vacancy_still_shows(client, vacancy, settings):
    settings.SEARCH_USER_RATE = "2/min"
    client.force_login(make_worker(countries=("JP",)).user)

    statuses, limited = third(client, f"/vacancies/{vacancy.pk}/")

    assert statuses == [200, 200]
    assert limited.status_code == 200 and "Tuyển thợ hàn CO2" in text(limited)
    assert SEARCHES in text(limited) and "Mức độ phù hợp với bạn" not in text(limited)


@pytest.mark.search
def test_an_organisations_candidates_page_has_the_rate_of_search(client, actors, vacancy, settings):
    settings.SEARCH_USER_RATE = "2/min"
    client.force_login(actors.employer)

    statuses, refused = third(client, f"/org/vacancies/{vacancy.pk}/candidates/")

    assert statuses == [200, 200]
    assert refused.status_code == 429 and SEARCHES in text(refused)


def test_signed_in_users_have_a_rate_of_statistics_too_each_their_own(api, actors, settings):
    settings.STATISTICS_RATE = "2/min"
    worker, officer = api(actors.worker), api(actors.officer)

    answers = [worker.get(STATISTICS, {"year": 2025}).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert officer.get(STATISTICS, {"year": 2025}).status_code == 200


def test_the_officers_dashboard_and_its_files_share_the_rate_of_statistics(client, actors, settings):
    settings.STATISTICS_RATE = "2/min"
    signed_in(client, actors.officer)

    statuses, refused = third(client, "/desk/dashboard/")
    workbook = client.get("/desk/dashboard/all.xlsx")

    assert statuses == [200, 200]
    assert refused.status_code == 429 and FIGURES in text(refused)
    assert workbook.status_code == 429


def test_behind_one_proxy_each_client_address_has_its_own_count(api, reference, settings):
    settings.STATISTICS_RATE = "1/min"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = api()

    def from_(address):
        return client.get(STATISTICS, {"year": 2025}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)

    assert [from_("203.0.113.7").status_code, from_("203.0.113.7").status_code] == [200, 429]
    assert from_("198.51.100.9").status_code == 200  # another person behind the same proxy
