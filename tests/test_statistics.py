"""The public statistics: anonymous counts anyone may read, with no figure of fewer than 5 people and
no hidden figure that the published ones give away."""

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone

from candidates.models import Placement
from desk.models import Target
from jobs.models import Commune, Country, Occupation

URL = "/api/v1/statistics/placements"


def placements(
    count: int,
    *,
    commune="Đông Hà",
    on="2025-06-15",
    status="confirmed",
    abroad=False,
    groups=(),
    occupation="8153",
    country="KR",
):
    Placement.objects.bulk_create(
        Placement(
            source=Placement.Source.JOB_FAIR,
            placed_on=date.fromisoformat(on),
            is_abroad=abroad,
            country=Country.objects.get(code=country) if abroad else None,
            occupation=Occupation.objects.get(code=occupation),
            commune=Commune.objects.get(name=commune),
            sex="female",
            age_band="25-34",
            priority_groups=list(groups),
            status=status,
        )
        for _ in range(count)
    )


def cells(data, table):
    return {row["label"]: row["count"] for row in data["tables"][table]}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # the cached figures and the throttle's counters of earlier tests


@pytest.fixture
def read(api, reference):
    def get(**params):
        response = api().get(URL, params)
        assert response.status_code == 200, response.content
        return response.json()

    return get


def test_anyone_reads_the_confirmed_counts_of_a_year(read):
    placements(12, commune="Đông Hà")
    placements(8, commune="Đồng Hới", abroad=True, groups=["poor"])
    placements(6, status="pending")
    placements(5, on="2024-12-31")
    Target.objects.create(year=2025, indicator="new_jobs", value=12000)

    data = read(year=2025)

    assert data["as_of"] == "2025-12-31" and data["small_cell_threshold"] == 5
    assert data["total"] == {"count": 20, "suppressed": False}
    assert data["targets"] == {"new_jobs": 12000.0}
    assert cells(data, "commune") == {"Đông Hà": 12, "Đồng Hới": 8}
    assert cells(data, "country") == {"Hàn Quốc": 8, "không (ở trong nước)": 12}
    assert "priority_group" not in data["tables"]  # sensitive groups are for officers only


def test_a_small_cell_is_hidden_with_the_next_smallest_so_the_total_does_not_give_it_away(read):
    placements(10, commune="Đông Hà")
    placements(7, commune="Đồng Hới")
    placements(3, commune="Lao Bảo")

    data = read(year=2025)

    assert data["total"]["count"] == 20
    rows = {row["label"]: row for row in data["tables"]["commune"]}
    assert rows["Đông Hà"] == {"key": rows["Đông Hà"]["key"], "label": "Đông Hà", "count": 10, "suppressed": False}
    assert rows["Lao Bảo"]["count"] is None and rows["Lao Bảo"]["suppressed"] is True
    assert rows["Đồng Hới"]["count"] is None and rows["Đồng Hới"]["suppressed"] is True  # else 20 − 10 − 7 = 3


def test_small_cells_that_add_up_to_fewer_than_five_hide_one_more(read):
    placements(20, commune="Đông Hà")
    placements(1, commune="Đồng Hới")
    placements(2, commune="Lao Bảo")

    data = read(year=2025)

    assert data["total"]["count"] == 23
    assert cells(data, "commune") == {"Đông Hà": None, "Đồng Hới": None, "Lao Bảo": None}  # else 23 − 20 = 3


def test_a_total_under_five_is_hidden_with_every_cell(read):
    placements(4)

    data = read(year=2025)

    assert data["total"] == {"count": None, "suppressed": True}
    for table in data["tables"].values():
        assert all(row["count"] is None and row["suppressed"] for row in table)


def test_no_published_figure_is_a_small_count(read):
    placements(13, commune="Đông Hà")
    placements(4, commune="Đồng Hới", abroad=True)
    placements(6, commune="Lao Bảo", abroad=True)
    placements(2, commune="Cồn Cỏ")

    data = read(year=2025)

    for name, table in data["tables"].items():
        shown = [row["count"] for row in table if not row["suppressed"]]
        hidden = [row for row in table if row["suppressed"]]
        assert all(count >= 5 for count in shown), name
        assert len(hidden) != 1, name
        hidden_people = data["total"]["count"] - sum(shown)
        assert hidden_people == 0 or hidden_people >= 5, name  # what the hidden cells add up to


def test_one_level_of_each_hierarchy_is_published_so_no_group_gives_a_hidden_cell_away(read):
    placements(100, occupation="7112")  # bricklayers
    placements(3, occupation="7212")  # welders: too few to show
    placements(6, occupation="9111")  # domestic helpers

    data = read(year=2025)

    assert data["total"]["count"] == 109
    assert {row["key"]: row["count"] for row in data["tables"]["occupation"]} == {
        "7112": 100,
        "7212": None,
        "9111": None,  # else 109 − 100 − 6 = 3
    }
    assert set(data["tables"]) == {"commune", "occupation", "country", "programme", "sex", "age_band"}
    assert "isco" not in data["tables"]  # ISCO group 7 = 103 would say 7212 = 103 − 100 = 3
    assert "old_district" not in data["tables"]  # a district is the sum of its communes


def test_at_home_and_abroad_apart_would_give_a_hidden_country_away(read):
    placements(6, commune="Đông Hà")  # at home
    placements(100, abroad=True, country="KR")
    placements(3, abroad=True, country="JP")

    data = read(year=2025)

    assert cells(data, "country") == {"Hàn Quốc": 100, "Nhật Bản": None, "không (ở trong nước)": None}
    assert "abroad" not in data["tables"]  # abroad 103 − Korea 100 = Japan 3


def test_a_cell_that_moved_by_fewer_than_five_since_last_month_is_hidden(read):
    placements(10, commune="Đông Hà", on="2025-02-10")
    placements(20, commune="Đồng Hới", on="2025-02-10")
    placements(15, commune="Lao Bảo", on="2025-02-10")
    placements(2, commune="Đông Hà", on="2025-12-05")  # published to 30/11: 10; to 31/12: 12
    placements(10, commune="Đồng Hới", on="2025-12-05")
    placements(5, commune="Lao Bảo", on="2025-12-05")

    data = read(year=2025)

    assert data["as_of"] == "2025-12-31" and data["total"]["count"] == 62
    # Đông Hà 12 − 10 = 2 people placed in December: hidden; Lao Bảo with it, else 62 − 30 − 20 = 12
    # would be there again (and 12 − 10 = 2).
    assert cells(data, "commune") == {"Đồng Hới": 30, "Lao Bảo": None, "Đông Hà": None}
    for name, table in data["tables"].items():
        assert len([row for row in table if row["suppressed"]]) != 1, name


def test_a_total_that_moved_by_fewer_than_five_since_last_month_hides_every_figure(read):
    placements(10, commune="Đông Hà", on="2025-02-10")
    placements(20, commune="Đồng Hới", on="2025-02-10")
    placements(2, commune="Đồng Hới", on="2025-12-05")  # the province's December: 2 people

    data = read(year=2025)

    assert data["total"] == {"count": None, "suppressed": True}
    for table in data["tables"].values():
        assert all(row["suppressed"] for row in table)


def test_anonymous_clients_are_limited_to_a_rate(api, reference, settings):
    settings.STATISTICS_RATE = "2/min"
    client = api()

    answers = [client.get(URL, {"year": 2025}).status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_the_figures_are_cached_per_year_period_and_language(api, reference, django_assert_num_queries):
    placements(12, commune="Đông Hà")
    first = api().get(URL, {"year": 2025}).json()
    placements(30, commune="Đông Hà")  # counted within the hour: not yet shown

    with django_assert_num_queries(0):
        again = api().get(URL, {"year": 2025})

    assert again.status_code == 200 and again.json() == first
    assert api(language="en").get(URL, {"year": 2025}).json()["tables"]["country"][0]["label"] == "none (at home)"


def test_this_year_is_counted_to_the_end_of_the_last_complete_month(read):
    today = timezone.localdate()
    placements(5, on=today.isoformat())  # this month: not yet published

    data = read()

    assert data["year"] == today.year
    assert date.fromisoformat(data["as_of"]) < today.replace(day=1)
    assert data["total"]["count"] == 0


@pytest.mark.parametrize(
    ("year", "message"),
    [("abc", "Hãy cho biết năm, ví dụ 2026."), ("1999", "Giá trị phải lớn hơn hoặc bằng 2000.")],
)
def test_a_wrong_year_is_a_400_with_a_message(api, reference, year, message):
    response = api().get(URL, {"year": year})

    assert response.status_code == 400
    assert response.json() == {"year": [message]}


def test_a_year_still_to_come_is_a_400(api, reference):
    response = api().get(URL, {"year": timezone.localdate().year + 1})

    assert response.status_code == 400 and "year" in response.json()


def test_the_statistics_and_their_rule_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/statistics/placements"]["get"]
    assert "fewer than 5 people" in operation["description"]
    assert "changed by 1 to 4 people" in operation["description"]
    assert "One level of each hierarchy" in operation["description"]
    assert [p["name"] for p in operation["parameters"]] == ["year"]
    assert {} in operation["security"]  # open to anyone: no sign-in, no key
