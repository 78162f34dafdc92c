"""The officers' dashboard: what counts, the projection, who may look, the files it gives, the monthly
workbook. Figures are read from the page and the files, as an officer would read them."""

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.core import mail

from candidates import services as placements
from candidates.models import Placement, SensitiveRecord, WorkerProfile
from desk import services as desk_services
from desk.models import MonthlyReport, Target
from desk.tasks import monthly_report
from jobs.models import Commune
from tests.conftest import Tables, assert_same_figures, eventually, page_tables
from tests.factories import OfficerFactory, UserFactory, placement, set_targets, signed_in

PAGES = ["/desk/dashboard/", "/desk/dashboard/all.xlsx", "/desk/placements/", "/desk/targets/", "/desk/reports/"]


@pytest.fixture
def officer_client(client, actors):
    signed_in(client, actors.officer)
    return client


# --- Who may look ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_a_signed_out_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/signin/?next=")


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["worker", "employer", "agency"])
def test_workers_and_organisations_may_not_look(client, actors, url, who):
    signed_in(client, getattr(actors, who))

    assert client.get(url).status_code == 403


# --- What counts ----------------------------------------------------------------------------------


def test_only_confirmed_placements_of_the_year_count_each_once(officer_client, actors):
    set_targets(2026, new_jobs=12000, new_jobs_abroad=1200)
    placement("2026-01-05")
    placement("2026-02-10", groups=["poor", "ethnic_minority"], commune="Lao Bảo")  # two groups, one person
    placement("2026-03-01", abroad=True)
    placement("2026-03-02", status="pending")  # not yet confirmed
    withdrawn = placement("2026-03-03")
    placements.placement_withdraw(placement=withdrawn, by=actors.officer, reason="Người lao động không nhận việc")
    placement("2025-12-31")  # last year
    placement("2026-03-20")  # after the day the figures are as of

    tables = page_tables(officer_client, "as_of=2026-03-15")

    assert tables["targets"][1][:3] == ["mới giải quyết việc làm", "12.000", "3"]
    assert tables["targets"][2][:3] == ["trong đó, đi làm việc ở nước ngoài theo hợp đồng", "1.200", "1"]
    assert [row[:3] for row in tables["months"][1:]] == [
        ["01/2026", "1", "0"],
        ["02/2026", "1", "0"],
        ["03/2026", "1", "1"],
    ]
    for name in ("commune", "old_district", "isco", "sex", "age_band", "abroad", "country"):
        assert sum(int(row[1]) for row in tables[name][1:]) == 3, name  # each placement once in every cut
    assert {row[0]: row[1] for row in tables["priority_group"][1:]} == {
        "hộ nghèo": "1",
        "người dân tộc thiểu số": "1",
    }
    assert {row[0]: row[1] for row in tables["old_district"][1:]} == {
        "Thành phố Đông Hà": "2",
        "Huyện Hướng Hóa": "1",
    }


def test_ethnic_minorities_are_counted_as_a_priority_group_and_no_ethnicity_is_read(officer_client):
    for ethnicity in ("Vân Kiều", "Vân Kiều", "Kinh"):
        worker = WorkerProfile.objects.create(
            user=UserFactory(),
            full_name="Hồ Văn A",
            date_of_birth=date(2000, 1, 1),
            sex="male",
            commune=Commune.objects.get(name="Lao Bảo"),
            education="upper_secondary",
        )
        SensitiveRecord.objects.create(worker=worker, data={"ethnicity": ethnicity, "priority_groups": []})
        groups = ["ethnic_minority"] if ethnicity != "Kinh" else []  # as recorded on the day of placement
        placed = placement("2026-04-01", commune="Lao Bảo", groups=groups)
        Placement.objects.filter(pk=placed.pk).update(worker=worker)
    placement("2026-04-02")

    tables = page_tables(officer_client, "as_of=2026-04-30")
    book = officer_client.get("/desk/dashboard/all.xlsx?as_of=2026-04-30").content
    listing = officer_client.get("/desk/placements/?as_of=2026-04-30").content.decode()

    assert {row[0]: row[1] for row in tables["priority_group"][1:]} == {"người dân tộc thiểu số": "2"}
    assert "ethnicity" not in tables  # no table of the free-text ethnicities from the encrypted records
    sheets = openpyxl.load_workbook(io.BytesIO(book)).worksheets
    assert not any(cell.value == "Vân Kiều" for sheet in sheets for row in sheet.iter_rows() for cell in row)
    assert "Vân Kiều" not in listing and "Hồ Văn A" not in listing


def test_each_figure_links_to_the_placements_behind_it(officer_client, django_assert_max_num_queries):
    placement("2026-02-01", commune="Lao Bảo", sex="female")
    placement("2026-02-02", commune="Lao Bảo")
    placement("2026-02-03")
    html = officer_client.get("/desk/dashboard/?as_of=2026-02-28").content.decode()
    start = html.index('id="table-commune"')
    link = html[html.index('href="/desk/placements/', start) + 6 : html.index('">2</a>', start)].replace("&amp;", "&")

    with django_assert_max_num_queries(5):  # session, user, device (second factor), count, the page
        listing = officer_client.get(link)

    assert listing.status_code == 200
    text = listing.content.decode()
    assert "2 lượt lao động có việc làm đã xác nhận" in text
    assert text.count("<td>Lao Bảo</td>") == 2 and "<td>Đông Hà</td>" not in text
    assert "Nguyễn" not in text  # no names behind a figure


def test_a_list_address_no_figure_could_carry_is_refused(officer_client):
    assert officer_client.get("/desk/placements/?as_of=2026-02-28&abroad=maybe").status_code == 400
    assert officer_client.get("/desk/placements/?as_of=2026-02-28&month=13").status_code == 400


# --- The projection -------------------------------------------------------------------------------


def test_the_projection_is_the_run_rate_to_the_year_end(officer_client):
    set_targets(2026, new_jobs=12000, new_jobs_abroad=1200)
    for day in range(1, 10):  # 9 placements in the first 9 days of January: one a day
        placement(f"2026-01-{day:02d}", abroad=day <= 3)

    tables = page_tables(officer_client, "as_of=09/01/2026")

    # 9 ÷ 9 days × 365 = 365 (3,0 % of 12.000); abroad 3 ÷ 9 × 365 = 122 (10,2 % of 1.200)
    assert tables["targets"][1] == ["mới giải quyết việc làm", "12.000", "9", "0,1", "365", "3,0"]
    assert tables["targets"][2][2:] == ["3", "0,2", "122", "10,2"]
    assert tables["targets"][3][2:] == ["0", "—", "0", "—"]  # enrolment: the portal's enrolments, none here


def test_a_finished_year_projects_to_its_count(officer_client):
    set_targets(2025, new_jobs=100)
    placement("2025-06-30")
    placement("2025-12-31")

    tables = page_tables(officer_client, "year=2025")

    assert tables["targets"][1] == ["mới giải quyết việc làm", "100", "2", "2,0", "2", "2,0"]


def test_a_year_not_yet_begun_shows_its_targets_and_nothing_of_this_year(officer_client):
    set_targets(2027, new_jobs=100)
    placement("2026-06-30")

    response = officer_client.get("/desk/dashboard/?year=2027&as_of=2026-11-27")
    tables = Tables(response.content.decode()).tables

    assert tables["targets"][1] == ["mới giải quyết việc làm", "100", "0", "0,0", "—", "—"]
    assert 'href="/desk/placements/?year=2027&amp;as_of=2026-11-27"' in response.content.decode()
    listing = officer_client.get("/desk/placements/?year=2027&as_of=2026-11-27").content.decode()
    assert "0 lượt lao động" in listing


def test_a_wrong_date_is_answered_next_to_the_field(officer_client):
    response = officer_client.get("/desk/dashboard/?as_of=31/02/2026")

    assert response.status_code == 400
    assert "Nhập một ngày hợp lệ." in response.content.decode()


def test_the_dashboard_reads_in_a_fixed_number_of_queries(officer_client, django_assert_max_num_queries):
    communes = list(Commune.objects.all()[:20])
    for index, commune in enumerate(communes):
        placement(f"2026-{index % 9 + 1:02d}-15", commune=commune.name, abroad=index % 3 == 0, groups=["poor"])

    # session, user, device (second factor), targets, months, one per breakdown (10); training: 2 by level,
    # 2 per breakdown (12), rates; job fairs (1); work abroad: departures and returns per breakdown (6),
    # returnees, open cases
    with django_assert_max_num_queries(39):
        response = officer_client.get("/desk/dashboard/?as_of=2026-10-31")

    assert response.status_code == 200
    assert len(Tables(response.content.decode()).tables["commune"]) == 21


# --- Targets --------------------------------------------------------------------------------------


def test_an_officer_sets_the_targets_on_a_page(officer_client):
    form = {"new_jobs": "12.000", "new_jobs_abroad": "1200", "trained_rate": "72,66"}

    response = officer_client.post("/desk/targets/?year=2027", form)

    assert response.status_code == 302
    saved = {t.indicator: str(t.value) for t in Target.objects.filter(year=2027)}
    assert saved == {"new_jobs": "12000.00", "new_jobs_abroad": "1200.00", "trained_rate": "72.66"}


def test_a_wrong_target_is_answered_next_to_its_field_and_nothing_is_written(officer_client):
    form = {"new_jobs": "12000", "new_jobs_abroad": "13000", "trained_rate": "172", "enrolment": "9000,5"}

    response = officer_client.post("/desk/targets/?year=2027", form)

    assert response.status_code == 400
    text = response.content.decode()
    assert "Một phần không thể lớn hơn tổng của nó." in text
    assert "Tỷ lệ tối đa là 100 %." in text
    assert "Nhập số người là số nguyên." in text
    assert not Target.objects.filter(year=2027).exists()


def test_a_wrong_year_on_the_targets_page_is_a_400_and_saves_nothing(officer_client):
    form = {"new_jobs": "12.000"}

    shown = officer_client.get("/desk/targets/?year=abc")
    posted = officer_client.post("/desk/targets/?year=abc", form)

    assert shown.status_code == 400 and posted.status_code == 400
    assert 'id="target-year-error">Hãy cho biết năm, ví dụ 2026.</span>' in posted.content.decode()
    assert not Target.objects.exists()


# --- Files ----------------------------------------------------------------------------------------


def test_the_workbook_holds_the_numbers_of_the_page(officer_client):
    set_targets(2026, new_jobs=12000, new_jobs_abroad=1200, trained_rate="72.66")
    for day, commune in enumerate(["Đông Hà", "Đông Hà", "Lao Bảo", "Đồng Hới", "Đông Hà"], start=1):
        placement(f"2026-0{day}-1{day}", commune=commune, abroad=day == 2, sex="female" if day % 2 else "male")
    tables = page_tables(officer_client, "as_of=2026-06-30")

    response = officer_client.get("/desk/dashboard/all.xlsx?as_of=2026-06-30")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert_same_figures(book, tables, as_of=date(2026, 6, 30))
    new_jobs = book.worksheets[0]["C5"]
    assert new_jobs.value == 5 and new_jobs.number_format == "#,##0"  # a number, grouped by Excel's locale


def test_a_table_as_csv_opens_in_excel_with_its_vietnamese(officer_client):
    placement("2026-03-01", commune="Đồng Hới")

    response = officer_client.get("/desk/dashboard/commune.csv?as_of=2026-03-31")

    assert response.content.startswith("\ufeff".encode())  # the BOM: Excel then reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Xã, phường", "Số người có việc làm mới", "Tỷ trọng (%)"], ["Đồng Hới", "1", "100,0"]]


# --- The monthly report ---------------------------------------------------------------------------


@pytest.mark.celery
def test_the_monthly_workbook_is_built_by_the_worker_and_mailed_to_officers(
    celery_worker, client, reference, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.CSRF_TRUSTED_ORIGINS = ["https://vieclam.quangtri.gov.vn"]
    officer = OfficerFactory(email="canbo@soNoiVu.quangtri.gov.vn")
    OfficerFactory(email="")  # no address: nothing to send to
    set_targets(2026, new_jobs=12000, new_jobs_abroad=1200)
    placement("2026-09-30")
    placement("2026-10-31", abroad=True)
    placement("2026-11-01")  # the next month

    monthly_report.delay(2026, 10)

    assert eventually(lambda: len(mail.outbox) == 1)
    message = mail.outbox[0]
    assert message.to == [officer.email] and "10/2026" in message.subject
    assert message.attachments == []  # counts down to 1 person stay behind the officers' sign-in
    report = MonthlyReport.objects.get(year=2026, month=10)
    link = f"https://vieclam.quangtri.gov.vn/desk/reports/{report.pk}"
    assert link in message.body
    assert client.get(link.removeprefix("https://vieclam.quangtri.gov.vn")).status_code == 302  # sign in first
    signed_in(client, officer)
    download = client.get(link.removeprefix("https://vieclam.quangtri.gov.vn"))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="bao-cao-viec-lam-2026-10.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    tables = page_tables(client, "as_of=31/10/2026")
    labour_market = Tables(client.get("/statistics/labour-market/?year=2026&month=10").content.decode()).tables
    assert_same_figures(book, tables | labour_market, as_of=date(2026, 10, 31))  # then the public tables
    assert tables["targets"][1][2] == "2"


def test_a_report_whose_file_is_gone_is_a_404(officer_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    placement("2026-10-01")
    report = desk_services.report_build(year=2026, month=10)
    Path(report.file.path).unlink()

    response = officer_client.get(f"/desk/reports/{report.pk}")

    assert response.status_code == 404


# --- Targets through the API ------------------------------------------------------------------------


def test_officers_set_a_communes_targets_through_the_api_and_anyone_reads_them(api, actors):
    body = {"year": 2027, "commune": Commune.objects.get(name="Lao Bảo").code, "values": {"new_jobs": 400}}

    assert api(actors.worker).put("/api/v1/targets", body, format="json").status_code == 403
    response = api(actors.officer).put("/api/v1/targets", body, format="json")

    assert response.status_code == 200
    read = api().get("/api/v1/targets", {"year": 2027}).json()
    assert read == [
        {"year": 2027, "indicator": "new_jobs", "commune": body["commune"], "value": "400.00", "source": ""}
    ]


def test_a_communes_target_shows_beside_its_figures(officer_client, actors):
    lao_bao, dong_ha = (Commune.objects.get(name=name) for name in ("Lao Bảo", "Đông Hà"))
    Target.objects.create(year=2026, indicator="new_jobs", commune=lao_bao, value=40)
    Target.objects.create(year=2026, indicator="new_jobs", commune=dong_ha, value=200)
    for _ in range(10):
        placement("2026-05-05", commune="Lao Bảo")
    placement("2026-05-06", commune="Đồng Hới")

    tables = page_tables(officer_client, "as_of=2026-05-31")

    assert tables["commune"] == [
        ["Xã, phường", "Số người có việc làm mới", "Tỷ trọng (%)", "Kế hoạch", "Đạt (%)"],
        ["Lao Bảo", "10", "90,9", "40", "25,0"],
        ["Đồng Hới", "1", "9,1", "—", "—"],
        ["Đông Hà", "0", "0,0", "200", "0,0"],
    ]


def test_a_wrong_target_through_the_api_is_a_400_per_field_and_nothing_is_written(api, actors):
    body = {"year": 2027, "values": {"new_jobs": 100, "new_jobs_abroad": 200, "trained_rate": 101}}

    response = api(actors.officer).put("/api/v1/targets", body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "new_jobs_abroad": ["Một phần không thể lớn hơn tổng của nó."],
        "trained_rate": ["Tỷ lệ tối đa là 100 %."],
    }
    assert not Target.objects.exists()


def test_building_a_months_workbook_again_replaces_it(officer_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    placement("2026-10-01")
    first = desk_services.report_build(year=2026, month=10)
    placement("2026-10-02")

    again = desk_services.report_build(year=2026, month=10)

    assert again.pk == first.pk and MonthlyReport.objects.count() == 1
    assert list((tmp_path / "reports").iterdir()) == [Path(again.file.path)]  # the old one is gone
    sheet = openpyxl.load_workbook(again.file.path).worksheets[0]
    assert sheet["C5"].value == 2  # the new figures
    listing = officer_client.get("/desk/reports/").content.decode()
    assert f'href="/desk/reports/{again.pk}"' in listing and "Báo cáo tháng 10/2026" in listing


def test_beat_builds_the_workbook_on_the_first_of_each_month(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["desk-monthly-report"]

    assert entry["task"] == monthly_report.name
    assert entry["schedule"].day_of_month == {1} and entry["schedule"].hour == {6}
