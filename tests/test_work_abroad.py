"""Safe work abroad from first look to return (issue 17, part A): the public employment service centre posts
vacancies under state programmes (EPS, Triple Win) without an enterprise licence; a departure checklist stands
between "offered" and "departed"; returns are recorded and feed the returnee's matches; the dashboard counts
departures, returns, returnees placed again and open cases, equal to its workbook."""

import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from candidates.models import DepartureChecklist, Placement, WorkExperience
from desk.models import Case
from jobs import services as jobs
from jobs.models import Commune, Country, LabourSupplyContract, Occupation, Organisation, Programme, Vacancy
from tests.conftest import Tables, assert_same_figures, problems, run_command
from tests.factories import (
    COSTS_WITHIN_CAP,
    as_csv,
    complete_checklist,
    member_of,
    published_vacancy,
    signed_in,
    signed_up,
)

TODAY = timezone.localdate


@pytest.fixture
def centre(actors):
    """The province's public employment service centre: verified, no licence (it needs none)."""
    return Organisation.objects.create(
        kind=Organisation.Kind.PUBLIC_CENTRE,
        name="Trung tâm Dịch vụ việc làm Quảng Trị",
        tax_code="3200999990",
        verification=Organisation.Verification.VERIFIED,
    )


@pytest.fixture
def centre_staff(centre):
    return member_of(centre)


def eps_intake_fields(**overrides):
    return {
        "foreign_partner": "HRD Korea (Cơ quan Phát triển nguồn nhân lực Hàn Quốc)",
        "country": Country.objects.get(code="KR"),
        "programme": Programme.objects.get(code="kr-eps"),
        "occupation": Occupation.objects.get(code="8219"),
        "quota": 10,
        "monthly_wage": Decimal(2_096_270),
        "currency": "KRW",
        "term_months": 36,
        "approval_number": "EPS-2026/QT-01",
        "approved_on": date(2026, 9, 15),
        **overrides,
    }


def eps_vacancy_fields(intake, **overrides):
    return {
        "title": "Lao động sản xuất chế tạo tại Hàn Quốc (EPS)",
        "description": "Lắp ráp linh kiện điện tử, hợp đồng 3 năm theo Chương trình EPS.",
        "occupation": intake.occupation,
        "positions": 4,
        "is_overseas": True,
        "country": intake.country,
        "programme": intake.programme,
        "contract": intake,
        "currency": "KRW",
        "salary_min": intake.monthly_wage,
        "salary_max": intake.monthly_wage,
        "contract_type": "overseas",
        "age_min": 18,
        "age_max": 39,
        "deadline": TODAY() + timedelta(days=30),
        "contact_name": "Phòng tư vấn xuất khẩu lao động",
        "contact_phone": "0233 3555 000",
        "overseas_terms": {"contract_months": 36, **COSTS_WITHIN_CAP, "service_fee": 0, "deposit": 0},
        **overrides,
    }


@pytest.fixture
def eps_vacancy(actors, centre, centre_staff):
    intake = jobs.contract_register(organisation=centre, by=centre_staff, **eps_intake_fields())
    return published_vacancy(centre, eps_vacancy_fields(intake), officer=actors.officer)


def offered(api, worker, vacancy, staff) -> int:
    application = worker.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).json()
    for step in ["shortlisted", "interviewed", "offered"]:
        assert api(staff).post(f"/api/v1/applications/{application['id']}/move", {"status": step}).status_code == 200
    return application["id"]


# --- 1. State programmes ---------------------------------------------------------------------------


def test_the_centre_posts_an_eps_vacancy_without_a_licence_and_search_shows_it_as_a_state_programme(
    api, eps_vacancy, index, client
):
    index()

    found = api().get("/api/v1/vacancies/search", {"q": "lap rap han quoc"}).json()["results"]
    hit = next(result for result in found if result["pk"] == eps_vacancy.pk)
    assert hit["state_programme"] is True
    assert hit["licence_number"] is None
    page = client.get("/vacancies/?q=lap+rap+han+quoc").content.decode()
    assert "Chương trình của Nhà nước" in page and "Chương trình EPS Hàn Quốc (visa E-9)" in page
    detail = client.get(f"/vacancies/{eps_vacancy.pk}/").content.decode()
    assert "Chương trình của Nhà nước" in detail and "colab.gov.vn" in detail  # the worker's costs, with sources
    programme = next(p for p in api().get("/api/v1/programmes").json() if p["code"] == "kr-eps")
    assert programme["run_by_state"] is True and programme["worker_costs"][0]["source"]


def test_the_centre_may_not_post_under_a_programme_the_state_does_not_run(api, centre, centre_staff):
    titp = eps_intake_fields(country="JP", programme="jp-titp", approval_number="X-1")

    response = api(centre_staff).post("/api/v1/contracts", {"organisation": centre.pk, **_ids(titp)}, format="json")

    assert response.status_code == 400
    assert response.json()["programme"] == [
        "Trung tâm dịch vụ việc làm chỉ đăng ký đợt tuyển của chương trình do Nhà nước thực hiện."
    ]
    assert not LabourSupplyContract.objects.exists()


def test_an_intake_above_the_programmes_places_is_a_400_and_nothing_is_written(api, centre, centre_staff):
    jobs.contract_register(organisation=centre, by=centre_staff, **eps_intake_fields(quota=100))

    response = api(centre_staff).post(
        "/api/v1/contracts", {"organisation": centre.pk, **_ids(eps_intake_fields(quota=21))}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["quota"] == ["Chương trình còn 20 chỉ tiêu cho tỉnh."]
    assert LabourSupplyContract.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"positions": 11}, "positions", "Hợp đồng chỉ còn 10 chỉ tiêu; tin tuyển dụng này cần tuyển 11 người."),
        ({"age_max": 45}, "age_max", "Chương trình này tiếp nhận người lao động đến 39 tuổi."),
    ],
)
def test_a_programme_vacancy_above_its_quota_or_outside_its_ages_is_a_400(
    api, centre, centre_staff, change, field, message
):
    intake = jobs.contract_register(organisation=centre, by=centre_staff, **eps_intake_fields())
    fields = eps_vacancy_fields(intake, **change)
    payload = {
        **_ids(fields),
        "organisation": centre.pk,
        "deadline": fields["deadline"].isoformat(),
        "languages": [],
    }

    response = api(centre_staff).post("/api/v1/vacancies", payload, format="json")

    assert response.status_code == 400, response.json()
    assert response.json()[field] == [message]
    assert not Vacancy.objects.exists()


def _ids(fields: dict) -> dict:
    """Fields as the API takes them: reference data by its code, other records by their key, amounts as text."""
    keys = {"country": "code", "programme": "code"}
    out = {}
    for name, value in fields.items():
        if name in keys and isinstance(value, str):
            value = (Country if name == "country" else Programme).objects.get(**{keys[name]: value})
        out[name] = (
            getattr(value, "code", getattr(value, "pk", value)) if not isinstance(value, Decimal | date) else str(value)
        )
    return out


# --- 5. The departure checklist ----------------------------------------------------------------------


def test_departed_is_refused_until_the_checklist_is_complete_then_the_return_is_expected(
    api, eps_vacancy, centre_staff
):
    worker = signed_up(api, "0912 700 001")
    application_id = offered(api, worker, eps_vacancy, centre_staff)
    staff = api(centre_staff)

    refused = staff.post(f"/api/v1/applications/{application_id}/move", {"status": "departed"})
    assert refused.status_code == 400
    assert refused.json()["status"] == [
        "Chưa có chứng chỉ bồi dưỡng kiến thức cần thiết.",
        "Chưa có giấy khám sức khỏe còn hiệu lực vào ngày xuất cảnh.",
        "Chưa có thị thực.",
        "Người lao động chưa xác nhận mức lương và thời hạn của hợp đồng đã ký.",
    ]
    assert not Placement.objects.exists()

    answer = complete_checklist(api, worker, application_id, centre_staff)
    assert answer.status_code == 200, answer.json()
    assert api(centre_staff).get(f"/api/v1/applications/{application_id}/departure").json()["missing"] == []

    departed = staff.post(f"/api/v1/applications/{application_id}/move", {"status": "departed"})
    assert departed.status_code == 200, departed.json()
    placement = worker.get("/api/v1/workers/me/placements").json()[0]
    today = TODAY()
    in_three_years = date(today.year + 3, today.month, 28 if (today.month, today.day) == (2, 29) else today.day)
    assert placement["expected_return_on"] == in_three_years.isoformat()  # the 36 months of the contract


def test_a_signed_contract_paying_less_opens_a_contract_substitution_case_and_blocks_the_departure(
    api, eps_vacancy, centre_staff
):
    worker = signed_up(api, "0912 700 002")
    application_id = offered(api, worker, eps_vacancy, centre_staff)

    answer = complete_checklist(api, worker, application_id, centre_staff, wage=1_500_000)

    assert answer.status_code == 200
    case = Case.objects.get()
    assert (case.reason, case.vacancy_id, case.status) == ("contract_substitution", eps_vacancy.pk, "open")
    assert "1.500.000" in case.details and "2.096.270" in case.details
    checklist = api(centre_staff).get(f"/api/v1/applications/{application_id}/departure").json()
    assert checklist["substitution_case"] == case.pk
    assert checklist["missing"] == ["Hợp đồng đã ký khác với tin tuyển dụng: đã mở vụ việc đánh tráo hợp đồng."]
    refused = api(centre_staff).post(f"/api/v1/applications/{application_id}/move", {"status": "departed"})
    assert refused.status_code == 400


def test_an_officer_overrides_an_incomplete_checklist_with_a_reason(api, actors, eps_vacancy, centre_staff):
    worker = signed_up(api, "0912 700 003")
    application_id = offered(api, worker, eps_vacancy, centre_staff)
    officer = api(actors.officer)

    no_reason = officer.post(f"/api/v1/applications/{application_id}/departure/override", {"reason": " "})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    reason = "Thị thực cấp tại sân bay theo thỏa thuận với phía Hàn Quốc."
    assert (
        officer.post(f"/api/v1/applications/{application_id}/departure/override", {"reason": reason}).status_code == 200
    )

    departed = api(centre_staff).post(f"/api/v1/applications/{application_id}/move", {"status": "departed"})
    assert departed.status_code == 200
    assert AuditEntry.objects.filter(actor=actors.officer, detail__endswith=reason).exists()


@pytest.mark.parametrize(
    ("items", "field", "message"),
    [
        (
            {"orientation_certificate": "other"},
            "orientation_certificate",
            "Hãy chọn một chứng chỉ bồi dưỡng kiến thức cần thiết của chính bạn.",
        ),
        (
            {"health_check_on": "2026-11-30", "health_check_valid_until": "2026-11-01"},
            "health_check_valid_until",
            "Giấy khám sức khỏe không thể hết hạn trước ngày khám.",
        ),
        ({"visa_number": "M1"}, "visa_number", "Chỉ người lao động được điền mục này."),
        ({"confirm": True}, "signed_monthly_wage", "Hãy ghi mức lương tháng và thời hạn trong hợp đồng đã ký."),
    ],
)
def test_a_wrong_checklist_item_is_a_400_next_to_its_field_and_nothing_is_written(
    api, eps_vacancy, centre_staff, items, field, message
):
    worker = signed_up(api, "0912 700 004")
    other = signed_up(api, "0912 700 005")
    theirs = other.post(
        "/api/v1/workers/me/certificates",
        {"kind": "orientation", "institution": "Trung tâm khác", "issued_on": "2026-11-01"},
    ).json()
    application_id = offered(api, worker, eps_vacancy, centre_staff)
    if items.get("orientation_certificate") == "other":
        items = {"orientation_certificate": theirs["id"]}

    response = worker.patch(f"/api/v1/applications/{application_id}/departure", items, format="json")

    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not DepartureChecklist.objects.exclude(health_check_on=None).exists()
    assert not DepartureChecklist.objects.exclude(orientation_certificate=None).exists()
    assert not DepartureChecklist.objects.exclude(visa_number="").exists()


# --- 6. Returns --------------------------------------------------------------------------------------


def departed(api, phone, vacancy, staff, officer):
    worker = signed_up(api, phone)
    application_id = offered(api, worker, vacancy, staff)
    complete_checklist(api, worker, application_id, staff)
    assert api(staff).post(f"/api/v1/applications/{application_id}/move", {"status": "departed"}).status_code == 200
    placement = Placement.objects.get(application_id=application_id)
    return worker, placement


def back_dated(placement, days: int):
    """A departure `days` ago, as if recorded then (the service stamps today)."""
    Placement.objects.filter(pk=placement.pk).update(placed_on=TODAY() - timedelta(days=days))
    placement.refresh_from_db()
    return placement


def test_a_return_before_the_departure_or_in_the_future_is_a_400_and_nothing_is_written(
    api, actors, eps_vacancy, centre_staff
):
    worker, placement = departed(api, "0912 700 011", eps_vacancy, centre_staff, actors.officer)
    placement = back_dated(placement, 400)

    before = worker.post(f"/api/v1/placements/{placement.pk}/return", {"returned_on": "2020-01-01"})
    future = worker.post(
        f"/api/v1/placements/{placement.pk}/return", {"returned_on": (TODAY() + timedelta(days=3)).isoformat()}
    )

    assert before.status_code == 400
    day = placement.placed_on.strftime("%d/%m/%Y")
    assert before.json()["returned_on"] == [f"Ngày về nước không thể trước ngày xuất cảnh ({day})."]
    assert future.status_code == 400 and future.json()["returned_on"] == ["Ngày về nước không thể ở tương lai."]
    placement.refresh_from_db()
    assert placement.returned_on is None and not WorkExperience.objects.exists()


def test_the_worker_records_their_return_and_their_matches_value_the_work_abroad(
    api, actors, eps_vacancy, centre_staff, index
):
    worker, placement = departed(api, "0912 700 012", eps_vacancy, centre_staff, actors.officer)
    back_dated(placement, 3 * 365)
    home = published_vacancy(
        actors.employer_org,
        _domestic_assembly(
            values_overseas_experience=True, title="Tổ trưởng lắp ráp linh kiện (ưu tiên người từng làm ở Hàn Quốc)"
        ),
        officer=actors.officer,
    )
    plain = published_vacancy(
        actors.employer_org, _domestic_assembly(title="Công nhân lắp ráp linh kiện"), officer=actors.officer
    )
    index()
    before = _reasons(worker, home.pk)
    assert "overseas_experience" not in before

    returned_on = (TODAY() - timedelta(days=5)).isoformat()
    answer = worker.post(
        f"/api/v1/placements/{placement.pk}/return", {"returned_on": returned_on, "framework": "topik", "level": "3"}
    )

    assert answer.status_code == 200, answer.json()
    assert answer.json()["return_recorded_by"] == "worker"
    experience = worker.get("/api/v1/workers/me/experience").json()
    assert [(e["country"], e["ended_on"]) for e in experience] == [("KR", returned_on)]
    assert {(c["framework"], c["level"]) for c in worker.get("/api/v1/workers/me/languages").json()} == {("topik", "3")}
    index()
    assert "overseas_experience" in _reasons(worker, home.pk)
    assert "overseas_experience" not in _reasons(worker, plain.pk)  # it does not ask for work abroad
    again = worker.post(f"/api/v1/placements/{placement.pk}/return", {"returned_on": returned_on})
    assert again.status_code == 400  # recorded once; an officer corrects it


def _domestic_assembly(**overrides):
    from tests.factories import domestic_fields

    return domestic_fields(occupation=Occupation.objects.get(code="8219"), **overrides)


def _reasons(worker, pk) -> set[str]:
    results = worker.get("/api/v1/workers/me/matches").json()["results"]
    return {reason["criterion"] for result in results if result["pk"] == pk for reason in result["reasons"]}


def test_the_monthly_list_of_returns_is_imported_through_the_desk_all_or_nothing(
    api, actors, eps_vacancy, centre_staff, tmp_path
):
    _worker, first = departed(api, "0912 700 021", eps_vacancy, centre_staff, actors.officer)
    _worker, second = departed(api, "0912 700 022", eps_vacancy, centre_staff, actors.officer)
    back_dated(first, 30)
    back_dated(second, 30)
    header = ["phone", "returned_on", "language", "level"]
    ok_day = (TODAY() - timedelta(days=2)).strftime("%d/%m/%Y")
    rows = [
        {"phone": "0912 700 021", "returned_on": ok_day, "language": "eps_topik", "level": "180"},
        {"phone": "0912 700 022", "returned_on": "01/01/2020"},
        {"phone": "0999 999 999", "returned_on": ok_day},
        {"phone": "0912 700 021", "returned_on": ok_day, "language": "topik"},
    ]

    ok, lines = run_command("returns", as_csv(rows, header, tmp_path), actors.officer)

    assert not ok
    assert problems(lines) == [
        ("3", "returned_on", lines[1].split("\t")[2]),
        ("4", "phone", "Người lao động này không có chuyến xuất cảnh nào đang chờ về nước."),
        ("5", "level", "Hãy ghi cả chứng chỉ ngoại ngữ và trình độ của nó."),
    ]
    assert "trước ngày xuất cảnh" in lines[1]
    assert not Placement.objects.exclude(returned_on=None).exists()

    ok, lines = run_command("returns", as_csv(rows[:1], header, tmp_path, name="ok.csv"), actors.officer)

    assert ok, lines
    first.refresh_from_db()
    assert (first.returned_on.strftime("%d/%m/%Y"), first.return_recorded_by) == (ok_day, "import")


# --- Who may do what ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("anonymous", 403, 403),
        ("outsider", 404, 404),
        ("other_agency", 404, 404),
        ("worker", 200, 200),
        ("centre", 200, 200),
        ("officer", 200, 200),  # officers act for any organisation
    ],
)
def test_who_may_see_and_fill_in_a_departure_checklist(api, actors, eps_vacancy, centre_staff, who, read, write):
    worker_user_client = signed_up(api, "0912 700 031")
    application_id = offered(api, worker_user_client, eps_vacancy, centre_staff)
    users = {
        "outsider": actors.outsider,
        "other_agency": actors.agency,
        "centre": centre_staff,
        "officer": actors.officer,
    }
    client = worker_user_client if who == "worker" else api(users.get(who))
    item = {"health_check_on": TODAY().isoformat()}

    assert client.get(f"/api/v1/applications/{application_id}/departure").status_code == read
    assert client.patch(f"/api/v1/applications/{application_id}/departure", item, format="json").status_code == write


@pytest.mark.parametrize(("who", "status"), [("anonymous", 403), ("worker", 403), ("centre", 403), ("officer", 200)])
def test_only_an_officer_overrides_the_checklist(api, actors, eps_vacancy, centre_staff, who, status):
    worker = signed_up(api, "0912 700 041")
    application_id = offered(api, worker, eps_vacancy, centre_staff)
    client = {"anonymous": api(), "worker": worker, "centre": api(centre_staff), "officer": api(actors.officer)}[who]

    response = client.post(f"/api/v1/applications/{application_id}/departure/override", {"reason": "Lý do"})

    assert response.status_code == status
    assert DepartureChecklist.objects.filter(override_reason="Lý do").exists() == (status == 200)


@pytest.mark.parametrize(
    ("who", "status", "source"),
    [
        ("anonymous", 403, None),
        ("outsider", 404, None),
        ("other_agency", 404, None),
        ("worker", 200, "worker"),
        ("centre", 200, "agency"),
        ("officer", 200, "officer"),
    ],
)
def test_who_may_record_a_return(api, actors, eps_vacancy, centre_staff, who, status, source):
    worker, placement = departed(api, "0912 700 051", eps_vacancy, centre_staff, actors.officer)
    back_dated(placement, 100)
    users = {
        "outsider": actors.outsider,
        "other_agency": actors.agency,
        "centre": centre_staff,
        "officer": actors.officer,
    }
    client = worker if who == "worker" else api(users.get(who))

    response = client.post(f"/api/v1/placements/{placement.pk}/return", {"returned_on": TODAY().isoformat()})

    assert response.status_code == status
    placement.refresh_from_db()
    assert placement.return_recorded_by == (source or "")


# --- 7. The dashboard ------------------------------------------------------------------------------------


@pytest.fixture
def officer_client(client, actors):
    signed_in(client, actors.officer)
    return client


def abroad_placement(on, *, commune="Đông Hà", country="KR", returned=None, worker=None, status="confirmed"):
    return Placement.objects.create(
        source=Placement.Source.DIRECT,
        placed_on=date.fromisoformat(on),
        returned_on=date.fromisoformat(returned) if returned else None,
        is_abroad=True,
        country=Country.objects.get(code=country),
        occupation=Occupation.objects.get(code="8219"),
        commune=Commune.objects.get(name=commune),
        sex="male",
        age_band="25-34",
        status=status,
        worker=worker,
    )


def test_the_dashboard_counts_departures_returns_returnees_placed_again_and_open_cases_equal_to_its_workbook(
    api, actors, officer_client, eps_vacancy
):
    from candidates.models import WorkerProfile

    signed_up(api, "0912 700 061")
    signed_up(api, "0912 700 062")
    first, second = WorkerProfile.objects.exclude(user=actors.worker).order_by("pk")
    abroad_placement("2026-02-01", commune="Đông Hà")
    abroad_placement("2026-03-01", commune="Đồng Hới", country="JP")
    abroad_placement("2026-04-01", commune="Đông Hà", status="pending")  # not confirmed: not a departure yet
    abroad_placement("2023-05-01", returned="2026-01-10", worker=first)  # back, and placed again in March
    Placement.objects.create(
        source=Placement.Source.JOB_FAIR,
        placed_on=date(2026, 3, 20),
        is_abroad=False,
        occupation=Occupation.objects.get(code="8219"),
        commune=Commune.objects.get(name="Đông Hà"),
        sex="male",
        age_band="25-34",
        status="confirmed",
        worker=first,
    )
    abroad_placement("2023-06-01", returned="2026-02-10", commune="Đồng Hới", worker=second)  # back, not placed
    Case.objects.create(organisation=eps_vacancy.organisation, reason="contract_substitution")
    Case.objects.create(organisation=eps_vacancy.organisation, reason="contract_substitution", status="resolved")

    response = officer_client.get("/desk/dashboard/?as_of=2026-06-30")
    tables = Tables(response.content.decode()).tables

    assert tables["abroad_commune"][1:] == [["Đông Hà", "1", "1"], ["Đồng Hới", "1", "1"]]
    assert tables["abroad_country"][1:] == [["Hàn Quốc", "1", "2"], ["Nhật Bản", "1", "0"]]
    assert tables["abroad_old_district"][0] == ["Huyện (trước 2025)", "Xuất cảnh", "Về nước"]
    assert tables["abroad_returnees"][1:] == [
        ["Người về nước trong kỳ", "2", "—"],
        ["trong đó, có việc làm lại trong 6 tháng", "1", "50,0"],
    ]
    assert tables["abroad_cases"][1:] == [["hợp đồng ký khác với hợp đồng đã giới thiệu (đánh tráo hợp đồng)", "1"]]
    book = openpyxl.load_workbook(io.BytesIO(officer_client.get("/desk/dashboard/all.xlsx?as_of=2026-06-30").content))
    assert_same_figures(book, tables, as_of=date(2026, 6, 30))
