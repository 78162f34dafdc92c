"""Vacancy search as its users will check it, on the real Elasticsearch node."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from jobs.models import Commune, Vacancy
from search import queries
from search.models import ZeroResultQuery
from tests.factories import (
    SuspendedAgencyFactory,
    contract_for,
    draft_vacancy,
    member_of,
    overseas_fields,
    published_vacancy,
    vacancy_at_home,
)

pytestmark = pytest.mark.search


def titles(api, **params):
    response = api().get("/api/v1/vacancies/search", params)
    assert response.status_code == 200, response.json()
    return [result["title"] for result in response.json()["results"]]


def test_typed_with_or_without_diacritics_both_find_welding(api, actors, index):
    vacancy_at_home(actors, "Tuyển thợ hàn CO2")
    vacancy_at_home(actors, "Nhân viên kế toán", code="2411")
    index()

    assert titles(api, q="tho han") == titles(api, q="thợ hàn") == ["Tuyển thợ hàn CO2"]


def test_an_exact_diacritic_match_ranks_above_a_folded_one(api, actors, index):
    vacancy_at_home(actors, "Công nhân máy ép nhựa", code="9329")
    vacancy_at_home(actors, "Công nhân may mẫu", code="9329")
    index()

    assert titles(api, q="công nhân may") == ["Công nhân may mẫu", "Công nhân máy ép nhựa"]


def test_an_occupation_alias_finds_vacancies_coded_with_it_whatever_their_title(api, actors, index):
    vacancy_at_home(actors, "Thợ cơ khí kết cấu thép", code="7212")
    vacancy_at_home(actors, "Thợ điện công trình", code="7411")
    index()

    assert titles(api, q="hàn điện")[0] == "Thợ cơ khí kết cấu thép"
    assert titles(api, q="welder") == ["Thợ cơ khí kết cấu thép"]


def test_syllables_in_order_rank_above_the_same_syllables_scattered(api, actors, index):
    vacancy_at_home(actors, "Hàn ống áp lực, thợ lành nghề")
    vacancy_at_home(actors, "Thợ hàn ống áp lực")
    index()

    assert titles(api, q="thợ hàn")[0] == "Thợ hàn ống áp lực"


def test_a_one_letter_typo_in_a_longer_word_still_matches(api, actors, index):
    vacancy_at_home(actors, "Điều dưỡng viên", code="3221")
    index()

    assert titles(api, q="dieu duongg") == ["Điều dưỡng viên"]


def test_a_word_spelt_right_does_not_find_its_one_letter_neighbours(api, actors, index):
    vacancy_at_home(actors, "Điều dưỡng viên", code="3221")  # "dieu" and "vien" are one letter from "dien"
    vacancy_at_home(actors, "Thợ điện công trình", code="7411")
    index()

    assert titles(api, q="điện") == titles(api, q="dien") == ["Thợ điện công trình"]


def test_hidden_vacancies_never_appear(api, actors, index):
    shown = vacancy_at_home(actors, "Thợ hàn xưởng A")
    draft = draft_vacancy(actors.employer_org, title="Thợ hàn nháp")
    expired = vacancy_at_home(actors, "Thợ hàn hết hạn")
    Vacancy.objects.filter(pk=expired.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    suspended = SuspendedAgencyFactory()
    member_of(suspended)
    contract = contract_for(actors.agency_org)
    overseas = published_vacancy(
        actors.agency_org, overseas_fields(contract, title="Thợ hàn đi Nhật"), officer=actors.officer
    )
    Vacancy.objects.filter(pk=overseas.pk).update(organisation=suspended)
    index()

    assert titles(api, q="tho han") == [shown.title]
    assert api(actors.employer).get(f"/api/v1/vacancies/{draft.pk}").json()["title"] == "Thợ hàn nháp"  # its owner's


def test_filters_facets_and_sorting(api, actors, index):
    vacancy_at_home(actors, "Thợ hàn Đông Hà", salary_max=14_000_000, description="Hàn kết cấu thép. " * 40)
    vacancy_at_home(actors, "Thợ hàn lương cao", salary_max=20_000_000)
    published_vacancy(actors.agency_org, abroad=True, title="Thợ hàn đi Nhật", officer=actors.officer)
    index()

    response = api().get("/api/v1/vacancies/search", {"q": "tho han", "abroad": "false", "sort": "salary"}).json()

    assert [r["title"] for r in response["results"]] == ["Thợ hàn lương cao", "Thợ hàn Đông Hà"]
    assert response["facets"]["occupation"] == {"7212": 2}
    assert response["results"][0]["highlight"]["title"] == "<em>Thợ</em> <em>hàn</em> lương cao"
    short = response["results"][1]["summary"]  # the start of the text, not all of it
    assert short.startswith("Hàn kết cấu thép. Hàn") and short.endswith("…") and len(short) <= 161
    assert titles(api, q="tho han", country="JP") == ["Thợ hàn đi Nhật"]


def test_the_count_and_facets_are_exact_on_every_page_for_one_query_to_postgresql(
    api, actors, index, django_assert_num_queries
):
    for number in range(12):
        vacancy_at_home(actors, f"Thợ hàn số {number}")
    vacancy_at_home(actors, "Thợ hàn điện công trình", code="7411")
    index()

    first = api().get("/api/v1/vacancies/search", {"q": "tho han", "page_size": 5}).json()  # reads reference data
    with django_assert_num_queries(1):  # then only the warnings beside the results: the rest is Elasticsearch's
        last = api().get("/api/v1/vacancies/search", {"q": "tho han", "page_size": 5, "page": 3}).json()

    assert first["count"] == last["count"] == 13 and first["count_is_exact"]
    assert first["facets"]["occupation"] == {"7212": 12, "7411": 1}
    assert len(first["results"]) == 5 and len(last["results"]) == 3
    assert last["facets"] == {}  # the first page's facets serve the deeper pages


def test_deep_paging_follows_the_cursor_without_gaps_or_repeats(api, actors, index):
    for number in range(7):
        vacancy_at_home(actors, f"Thợ hàn số {number}")
    index()

    seen, params = [], {"q": "tho han", "sort": "newest", "page_size": 3}
    while True:
        page = api().get("/api/v1/vacancies/search", params).json()
        seen += [r["pk"] for r in page["results"]]
        if not page["next"]:
            break
        params["search_after"] = page["next"]

    assert len(seen) == len(set(seen)) == 7


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 201}, "q"),
        ({"page": 501, "page_size": 20}, "page"),
        ({"occupation": "9999"}, "occupation"),
        ({"country": "XX"}, "country"),
        ({"search_after": "not-a-cursor"}, "search_after"),
        ({"page_size": 101}, "page_size"),
    ],
)
def test_abuse_gets_a_clear_400(api, reference, index, params, field):
    index()

    response = api().get("/api/v1/vacancies/search", params)

    assert response.status_code == 400
    assert field in response.json()


def test_query_syntax_is_only_text(api, actors, index):
    vacancy_at_home(actors, "Thợ hàn")
    vacancy_at_home(actors, "Thợ may")  # what a `*` or an `OR` read as query syntax would let in
    index()

    response = api().get("/api/v1/vacancies/search", {"q": 'tho han" AND (x OR y)~2 ^3 * \\ /regex/'})

    assert response.status_code == 200
    assert [hit["title"] for hit in response.json()["results"]] == ["Thợ hàn"]


def test_anonymous_clients_beyond_a_fair_rate_get_429(api, reference, index, settings):
    settings.SEARCH_ANON_RATE = "3/min"
    index()
    client = api()

    statuses = [client.get("/api/v1/vacancies/search", {"q": "han"}).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_signed_in_users_get_a_larger_share_but_a_share(api, actors, index, settings):
    settings.SEARCH_ANON_RATE, settings.SEARCH_USER_RATE = "2/min", "4/min"
    index()
    client = api(actors.worker)

    statuses = [client.get("/api/v1/vacancies/search", {"q": "han"}).status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]


def test_an_empty_result_says_so_offers_a_broader_search_and_is_recorded(api, actors, index):
    vacancy_at_home(actors, "Thợ hàn Đông Hà")
    index()

    response = api(language="en").get("/api/v1/vacancies/search", {"q": "tho han", "abroad": "true"}).json()

    assert response["count"] == 0
    assert response["empty"] == {
        "message": "No vacancy matches this search.",
        "broader": [{"drop": "abroad", "count": 1}],
    }
    assert ZeroResultQuery.objects.get().text == "tho han"


def test_search_with_elasticsearch_down_is_a_503(api, reference, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"

    response = api().get("/api/v1/vacancies/search", {"q": "tho han"})

    assert response.status_code == 503


def test_typeahead_offers_occupations_and_titles_by_folded_prefix(api, actors, index):
    vacancy_at_home(actors, "Thợ hàn ống áp lực")
    index()

    found = api().get("/api/v1/vacancies/suggest", {"q": "tho h"}).json()

    assert {"kind": "occupation", "text": "Thợ hàn và thợ cắt kim loại", "code": "7212"} in found
    assert {"kind": "vacancy", "text": "Thợ hàn ống áp lực", "code": None} in found
    assert len(found) <= 10


def test_searches_keep_answering_while_the_index_is_rebuilt(api, actors, index, settings):
    for number in range(30):
        vacancy_at_home(actors, f"Thợ hàn số {number}")
    index()
    settings.SEARCH_ANON_RATE = "100000/min"
    answers, done = [], threading.Event()

    def search_until_done():
        client = api()
        try:
            while not done.is_set():
                response = client.get("/api/v1/vacancies/search", {"q": "tho han", "page_size": 50})
                answers.append((response.status_code, response.json().get("count")))
        finally:
            connections.close_all()  # this thread's own connection

    searcher = threading.Thread(target=search_until_done)
    searcher.start()
    call_command("search_rebuild")
    done.set()
    searcher.join()

    assert len(answers) > 1
    assert set(answers) == {(200, 30)}  # every search during the rebuild found all thirty


def test_a_doctored_cursor_is_a_400(api, actors, index):
    vacancy_at_home(actors, "Thợ hàn")
    index()

    response = api().get("/api/v1/vacancies/search", {"q": "tho han", "search_after": queries._cursor(["abc", 1])})

    assert response.status_code == 400 and "search_after" in response.json()


# --- What a new user tried, second round (issue 14) ------------------------------------------------


def test_a_place_in_the_text_finds_work_there_first(api, actors, index):
    def at(title, commune, code="7212"):
        return vacancy_at_home(actors, title, code=code, commune=Commune.objects.get(name=commune), description=title)

    at("Thợ hàn khung nhà thép", "Hiếu Giang")  # a commune of the pre-2025 district Cam Lộ
    at("Thợ hàn cửa sắt", "Đồng Hới")
    at("Nhân viên kho bãi cửa khẩu", "Lao Bảo", code="4321")
    at("Kế toán tổng hợp", "Đông Hà", code="2411")
    index()

    assert titles(api, q="thợ hàn Cam Lộ") == ["Thợ hàn khung nhà thép", "Thợ hàn cửa sắt"]
    assert titles(api, q="tho han cam lo")[0] == "Thợ hàn khung nhà thép"
    assert titles(api, q="Lao Bảo") == ["Nhân viên kho bãi cửa khẩu"]
    assert titles(api, q="việc làm Đông Hà")[0] == "Kế toán tổng hợp"
    assert "Thợ hàn cửa sắt" not in titles(api, q="việc làm Đông Hà")  # Đồng Hới is 95 km away


def test_an_occupation_named_without_diacritics_finds_what_its_accented_name_finds(api, actors, index):
    vacancy_at_home(actors, "Tuyển lao động phổ thông xưởng nhựa", code="8142")  # Công nhân vận hành máy … nhựa
    vacancy_at_home(actors, "Kế toán kho", code="2411")
    index()

    assert titles(api, q="cong nhan") == titles(api, q="công nhân") == ["Tuyển lao động phổ thông xưởng nhựa"]


def test_typeahead_stays_within_the_filters_chosen(api, actors, index):
    contract = contract_for(actors.agency_org)
    published_vacancy(actors.agency_org, overseas_fields(contract, title="Thợ hàn tại Aichi"), officer=actors.officer)
    vacancy_at_home(actors, "Thợ hàn kết cấu thép")
    vacancy_at_home(actors, "Thợ điện công trình", code="7411")
    index()

    def offered(**filters):
        response = api().get("/api/v1/vacancies/suggest", {"q": "tho", **filters})
        assert response.status_code == 200, response.json()
        return [(s["kind"], s["text"]) for s in response.json()]

    abroad = offered(abroad="true")
    assert [text for kind, text in abroad if kind == "vacancy"] == ["Thợ hàn tại Aichi"]
    assert [text for kind, text in abroad if kind == "occupation"] == ["Thợ hàn và thợ cắt kim loại"]
    assert {text for kind, text in offered(abroad="false") if kind == "vacancy"} == {
        "Thợ hàn kết cấu thép",
        "Thợ điện công trình",
    }
    assert api().get("/api/v1/vacancies/suggest", {"q": "tho", "country": "XX"}).status_code == 400


def test_what_a_misspelt_search_finds_first_does_not_depend_on_how_many_vacancies_there_are(api, actors, index):
    vacancy_at_home(actors, "Điều phối viên bệnh viện", code="2221")
    vacancy_at_home(actors, "Điều hành viên bệnh viện", code="2221")
    vacancy_at_home(actors, "Điều dưỡng bệnh viện đa khoa", code="2221")
    index()

    first = {size: titles(api, q="dieu duonh benh vien", page_size=size)[0] for size in (1, 2, 20)}

    assert set(first.values()) == {"Điều dưỡng bệnh viện đa khoa"}
