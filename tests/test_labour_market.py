"""Labour-market information (public) and the searches that found nothing (officers): who may look, the
small-cell rule on the new tables, each table equal to its sheet, and the zero-result page's grouping and
scrubbing. Figures are read from the page and the files, as a visitor or an officer reads them."""

import io
import re
from datetime import date, datetime, time, timedelta

import openpyxl
import pytest
from django.utils import timezone

from candidates.models import Consent, WorkerProfile
from desk import services as desk_services
from desk.labour_market import last_published_month
from jobs.models import Commune, Occupation, Vacancy, VacancyEvent
from search.models import ZeroResultQuery
from tests.conftest import Tables, as_on_page, assert_protected, assert_same_figures
from tests.factories import UserFactory, domestic_fields, published_vacancy, signed_in

PUBLIC = ["/statistics/labour-market/", "/statistics/labour-market.xlsx", "/api/v1/statistics/labour-market"]
MISSED = "/desk/searches-missed/"


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(8)))


def opened(actors, count: int, *, month: date, code="7212", commune="Đông Hà", low=9_000_000, positions=3):
    """`count` vacancies published on the 5th of `month` (through the workflow, then dated back) and open
    past its end."""
    made = []
    for _number in range(count):
        fields = domestic_fields(
            occupation=Occupation.objects.get(code=code),
            commune=Commune.objects.get(name=commune),
            salary_min=low,
            salary_max=low + 2_000_000,
            positions=positions,
            deadline=timezone.localdate() + timedelta(days=30),
        )
        made.append(published_vacancy(actors.employer_org, fields, officer=actors.officer).pk)
    fair = _at(month.replace(day=5))
    Vacancy.objects.filter(pk__in=made).update(published_at=fair)
    VacancyEvent.objects.filter(vacancy__in=made).update(at=fair)
    return made


def findable(count: int, *, since: date, commune="Đông Hà", code="7212"):
    """`count` workers who agreed to be found on `since` (and have not withdrawn)."""
    for number in range(count):
        worker = WorkerProfile.objects.create(
            user=UserFactory(),
            full_name=f"Người lao động {number}",
            date_of_birth=date(1995, 1, 1),
            sex="male",
            commune=Commune.objects.get(name=commune),
            education="upper_secondary",
        )
        worker.desired_occupations.set(Occupation.objects.filter(code=code))
        Consent.objects.create(worker=worker, purpose=Consent.Purpose.BE_FOUND, text_version="1", granted_at=_at(since))


def page(client, **query) -> dict:
    response = client.get("/statistics/labour-market/", query)
    assert response.status_code == 200
    return Tables(response.content.decode()).tables


def row(table: list, label: str) -> list:
    return next(cells for cells in table if cells[0].startswith(label))


def number(cell: str) -> int | None:
    return None if cell == "x" else int(cell.replace(".", ""))


@pytest.fixture
def last_month():
    return last_published_month()


# --- Who may look ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "worker", "employer", "agency", "outsider", "officer"])
def test_anyone_sees_the_labour_market_page_its_workbook_and_its_api(client, actors, who):
    if who:
        signed_in(client, getattr(actors, who))
    for url in PUBLIC:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_protected(response)  # the strict content policy, and nothing inline that it would refuse


@pytest.mark.parametrize("who", ["worker", "employer", "agency", "unlicensed_agency", "outsider"])
def test_only_officers_see_the_searches_that_found_nothing(client, actors, who):
    assert client.get(MISSED).status_code == 302  # signed out: to the sign-in page
    signed_in(client, getattr(actors, who))
    assert client.get(MISSED).status_code == 403


def test_an_officer_sees_the_searches_that_found_nothing_after_the_second_factor(client, actors):
    client.force_login(actors.officer)
    assert client.get(MISSED)["Location"].startswith("/officer/second-factor/")
    signed_in(client, actors.officer)
    response = client.get(MISSED)
    assert response.status_code == 200
    assert_protected(response)


def test_a_month_not_yet_ended_is_refused_with_a_message_by_the_field(client, reference):
    ahead = timezone.localdate()
    response = client.get("/statistics/labour-market/", {"year": ahead.year, "month": ahead.month})
    assert response.status_code == 400
    assert "Số liệu được công bố sau khi hết tháng" in response.content.decode()
    assert client.get("/statistics/labour-market/", {"month": "13"}).status_code == 400
    assert client.get("/statistics/labour-market.xlsx", {"year": "năm"}).status_code == 400
    answer = client.get("/api/v1/statistics/labour-market", {"year": ahead.year, "month": ahead.month})
    assert answer.status_code == 400 and "Số liệu được công bố sau khi hết tháng" in answer.json()["month"][0]


# --- The small-cell rule ------------------------------------------------------------------------------


def test_open_vacancies_positions_and_median_wage_by_occupation_commune_and_country(
    client, actors, last_month, django_assert_max_num_queries
):
    opened(actors, 6, month=last_month, code="7212", low=9_000_000, positions=2)
    opened(actors, 5, month=last_month, code="3221", commune="Đồng Hới", low=11_000_000, positions=4)

    with django_assert_max_num_queries(60):  # one aggregate per table and month, whatever the rows
        tables = page(client)

    month = f"{last_month.month:02d}/{last_month.year}"
    assert row(tables["lmi_months"], month)[1:5] == ["11", "32", "10.000.000", "0"]
    assert row(tables["lmi_occupation"], "Thợ hàn")[1:] == ["6", "12", "10.000.000"]
    assert row(tables["lmi_occupation"], "Điều dưỡng")[1:] == ["5", "20", "12.000.000"]
    assert row(tables["lmi_isco"], "Lao động thủ công")[1:] == ["6", "12", "10.000.000"]
    assert row(tables["lmi_commune"], "Đồng Hới")[1:] == ["5", "20", "12.000.000"]
    assert row(tables["lmi_old_district"], "Thành phố Đông Hà")[1:] == ["6", "12", "10.000.000"]
    assert row(tables["lmi_country"], "không (ở trong nước)")[1:] == ["11", "32", "10.000.000"]
    assert row(tables["lmi_supply_occupation"], "Thợ hàn")[1:3] == ["0", "12"]


def test_a_small_cell_is_hidden_with_its_positions_and_wage_and_cannot_be_worked_out(client, actors, last_month):
    opened(actors, 6, month=last_month, code="7212")  # ISCO group 7
    opened(actors, 3, month=last_month, code="7112", low=20_000_000)  # group 7 too: a small cell
    opened(actors, 7, month=last_month, code="3221", commune="Đồng Hới")  # group 3

    tables = page(client)

    assert row(tables["lmi_occupation"], "Thợ nề")[1:] == ["x", "x", "x"]
    assert row(tables["lmi_occupation"], "Thợ hàn")[1:] == ["x", "x", "x"]  # or group 7 minus it gives 3 away
    assert row(tables["lmi_occupation"], "Điều dưỡng")[1] == "7"
    assert row(tables["lmi_isco"], "Lao động thủ công")[1] == "9"
    for parent, child in (("lmi_isco", "lmi_occupation"), ("lmi_old_district", "lmi_commune")):
        assert_nothing_recoverable(tables, parent, child)


def assert_nothing_recoverable(tables: dict, parent: str, child: str):
    """Whatever a table hides is at least two cells of 5 or more together: the month's total minus the shown
    cells gives no hidden cell away (and each finer cell lies in one coarser cell, suppressed inside it)."""
    total = number(tables["lmi_months"][-1][1])
    for name in (parent, child):
        counts = [number(cells[1]) for cells in tables[name][1:]]
        hidden = [count for count in counts if count is None]
        if hidden:
            assert len(hidden) >= 2 and total - sum(count for count in counts if count is not None) >= 5, name


def test_a_cell_that_changed_by_fewer_than_five_since_last_month_is_hidden(client, actors, last_month):
    before = last_month.replace(day=1) - timedelta(days=1)
    earlier = opened(actors, 8, month=before, code="3221")  # ISCO group 3
    Vacancy.objects.filter(pk__in=earlier).update(deadline=before)  # open at that month's end only
    opened(actors, 10, month=before, code="7212")  # group 7, open at both months' ends...
    opened(actors, 2, month=last_month, code="7212")  # ...so 10, then 12: up by 2
    opened(actors, 11, month=last_month, code="5120")  # group 5

    tables = page(client)

    assert row(tables["lmi_isco"], "Lao động thủ công")[1] == "x"  # 12 people, but 2 more than last month
    assert row(tables["lmi_isco"], "Nhà chuyên môn bậc trung")[1] == "x"  # 0 (8 before): or group 7 shows
    assert row(tables["lmi_isco"], "Nhân viên dịch vụ")[1] == "11"
    assert row(tables["lmi_occupation"], "Thợ hàn")[1:] == ["x", "x", "x"]  # under a hidden group
    assert row(tables["lmi_occupation"], "Điều dưỡng")[1] == "x"  # its 0 would show group 3, then group 7
    assert row(tables["lmi_occupation"], "Đầu bếp")[1] == "11"
    assert row(tables["lmi_months"], f"{last_month.month:02d}/")[1] == "23"


def test_findable_workers_in_small_numbers_are_hidden_and_open_positions_stay(client, actors, last_month):
    opened(actors, 5, month=last_month, code="7212", positions=2)
    findable(3, since=last_month.replace(day=1) - timedelta(days=40), code="7212")
    findable(7, since=last_month.replace(day=1) - timedelta(days=40), code="3221", commune="Đồng Hới")
    findable(1, since=last_month.replace(day=1) - timedelta(days=40))
    withdrawn = last_month.replace(day=1) - timedelta(days=10)  # before both month ends: 10 findable at each
    Consent.objects.filter(pk=Consent.objects.latest("pk").pk).update(withdrawn_at=_at(withdrawn))

    tables = page(client)

    assert row(tables["lmi_supply_occupation"], "Thợ hàn")[1:] == ["x", "10", "—"]
    assert row(tables["lmi_supply_occupation"], "Điều dưỡng")[1] == "x"  # or 10 minus it gives 3 away
    assert row(tables["lmi_months"], f"{last_month.month:02d}/")[4] == "10"  # the one who withdrew is not


# --- Each table equals its sheet ------------------------------------------------------------------------


def test_the_page_and_its_workbook_and_the_monthly_workbook_have_the_same_cells(
    client, actors, last_month, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    opened(actors, 6, month=last_month, code="7212")
    opened(actors, 3, month=last_month, code="7112")  # hidden, and 7212 with it
    opened(actors, 9, month=last_month, code="3221", commune="Đồng Hới")
    findable(6, since=last_month.replace(day=1) - timedelta(days=40))
    month = {"year": last_month.year, "month": last_month.month}

    html = client.get("/statistics/labour-market/", month).content.decode()
    tables = Tables(html).tables
    file = client.get("/statistics/labour-market.xlsx", month)

    assert file["Content-Disposition"].endswith(f'{last_month:%Y-%m}.xlsx"')
    assert "x" in {cell for rows in tables.values() for cells in rows for cell in cells}
    assert_same_figures(openpyxl.load_workbook(io.BytesIO(file.content)), tables, as_of=last_month)
    api = client.get("/api/v1/statistics/labour-market", month).json()
    assert {table["name"]: [table["headers"], *table["rows"]] for table in api["tables"]} == {
        name: [rows[0], *([as_value(cell) for cell in cells] for cells in rows[1:])] for name, rows in tables.items()
    }
    report = desk_services.report_build(**month)
    sheets = {sheet["A1"].value: sheet for sheet in openpyxl.load_workbook(report.file.path).worksheets}
    for name, rows in tables.items():
        title = re.search(f'<h2 id="title-{name}">([^<]*)</h2>', html)[1]
        assert [[as_on_page(cell) for cell in line] for line in sheets[title].iter_rows(min_row=4)] == rows, name


def as_value(cell: str):
    """A cell of the page as the API gives it: 12.000 → 12000, 1,5 → 1.5, — → null; text as it is."""
    if cell == "—":
        return None
    if cell.replace(".", "").isdigit():
        return int(cell.replace(".", ""))
    if cell.replace(",", "", 1).isdigit():
        return float(cell.replace(",", "."))
    return cell


# --- Searches that found nothing ---------------------------------------------------------------------


@pytest.mark.search
def test_searches_that_found_nothing_are_grouped_by_week_and_folded_words_without_personal_numbers(
    client, actors, index, api
):
    published_vacancy(actors.employer_org, officer=actors.officer)  # a welder in Đông Hà
    index()
    elsewhere = Commune.objects.get(name="Đồng Hới").code

    api().get("/api/v1/vacancies/search", {"q": "Thợ Lặn 0912 345 678"})
    api().get("/api/v1/vacancies/search", {"q": "tho lan 045095000001"})
    api().get("/api/v1/vacancies/search", {"occupation": "7212", "commune": elsewhere})
    api().get("/api/v1/vacancies/search", {"q": "lái máy xúc"})
    ZeroResultQuery.objects.filter(text="lái máy xúc").update(at=timezone.now() - timedelta(days=8))
    signed_in(client, actors.officer)

    html = client.get(MISSED).content.decode()

    this_week, last_week = html.split('<section id="week-')[1:]
    assert "lai may xuc" in last_week and "lai may xuc" not in this_week
    rows = this_week.split("<tr>")
    divers = next(line for line in rows if "tho lan …" in line)
    assert "<td>2</td>" in divers  # both typings, one group
    assert "Thợ Lặn … · tho lan …" in divers
    assert "Cổng chưa có gì tương tự" in divers  # no broader search found any
    welders = next(line for line in rows if "chỉ có bộ lọc" in line)  # no words, two filters
    assert "Bỏ bộ lọc “Xã, phường”: 1 việc làm" in welders  # the broader search offered
    assert "0912" not in html and "045095000001" not in html
