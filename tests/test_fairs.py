"""Job fairs (fairs/): an officer creates a fair, organisations join with their vacancies, workers
pre-register (signed in, or with a phone number proven by an SMS code) and are checked in by the QR
code's token or by number; the `placements` import records the fair's hires as pending placements,
officers confirm them in bulk, and the dashboard's table by fair (and its XLSX) counts them."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from candidates.models import Placement
from desk.models import Target
from fairs.models import Fair, Outcome, Registration
from jobs.models import Commune, Vacancy
from tests.conftest import Tables, assert_same_figures, code_sent_to, problems, qr_of, run_command
from tests.factories import (
    VerifiedEmployerFactory,
    as_csv,
    as_xlsx,
    contract_for,
    member_of,
    overseas_fields,
    published_vacancy,
    signed_in,
    signed_up,
)

HEADER = ["fair", "vacancy", "phone", "result", "placed_on"]


def fair_payload(**overrides):
    return {
        "title": "Phiên giao dịch việc làm tháng 12",
        "held_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "commune": Commune.objects.get(name="Đông Hà").code,
        "address": "133 Lý Thường Kiệt",
        **overrides,
    }


@pytest.fixture
def fair(api, actors):
    response = api(actors.officer).post("/api/v1/fairs", fair_payload(held_on=timezone.localdate().isoformat()))
    assert response.status_code == 201, response.json()
    return Fair.objects.get(pk=response.json()["id"])


@pytest.fixture
def vacancy(actors, fair, api):
    """A published vacancy the employer brings to the fair."""
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    joined = api(actors.employer).post(
        f"/api/v1/fairs/{fair.pk}/participants",
        {"organisation": actors.employer_org.pk, "vacancies": [vacancy.pk]},
        format="json",
    )
    assert joined.status_code == 201, joined.json()
    return vacancy


# --- Fairs and the calendar ------------------------------------------------------------------------


def test_a_fair_in_the_past_is_refused_in_vietnamese_and_nothing_is_written(api, actors):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    response = api(actors.officer).post("/api/v1/fairs", fair_payload(held_on=yesterday))

    assert response.status_code == 400
    assert response.json()["held_on"] == [
        "Phiên giao dịch không thể diễn ra trong quá khứ: hãy chọn hôm nay hoặc một ngày sau."
    ]
    assert not Fair.objects.exists()


@pytest.mark.parametrize("who", ["worker", "employer", "agency", "outsider"])
def test_only_officers_create_fairs(api, actors, who):
    response = api(getattr(actors, who)).post("/api/v1/fairs", fair_payload())

    assert response.status_code == 403
    assert not Fair.objects.exists()


def test_the_calendar_lists_fairs_by_commune_and_date_with_an_atom_feed(api, actors, client):
    officer = api(actors.officer)
    soon = (timezone.localdate() + timedelta(days=3)).isoformat()
    later = (timezone.localdate() + timedelta(days=40)).isoformat()
    assert officer.post("/api/v1/fairs", fair_payload(title="Phiên Đông Hà", held_on=later)).status_code == 201
    lao_bao = fair_payload(title="Phiên Lao Bảo", held_on=soon, commune=code_of("Lao Bảo"))
    assert officer.post("/api/v1/fairs", lao_bao).status_code == 201
    online = fair_payload(title="Phiên trực tuyến", held_on=soon, commune=None, online=True)
    assert officer.post("/api/v1/fairs", online, format="json").status_code == 201

    everything = api().get("/api/v1/fairs").json()
    in_dong_ha = api().get("/api/v1/fairs", {"commune": code_of("Đông Hà")}).json()
    first_month = api().get("/api/v1/fairs", {"date_to": soon}).json()
    feed = client.get("/fairs/feed/")
    page = client.get("/fairs/", {"commune": Commune.objects.get(name="Lao Bảo").pk})

    titles = [fair["title"] for fair in everything["results"]]
    assert titles[2] == "Phiên Đông Hà" and set(titles[:2]) == {"Phiên Lao Bảo", "Phiên trực tuyến"}
    assert [fair["title"] for fair in in_dong_ha["results"]] == ["Phiên Đông Hà"]
    assert {fair["title"] for fair in first_month["results"]} == {"Phiên Lao Bảo", "Phiên trực tuyến"}
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert feed.content.decode().count("<entry>") == 3
    assert "Phiên Lao Bảo" in page.content.decode() and "Phiên Đông Hà" not in page.content.decode()


def code_of(name):
    return Commune.objects.get(name=name).code


# --- Organisations join --------------------------------------------------------------------------


def test_an_employer_joins_with_its_published_vacancies_and_the_fair_shows_them(api, fair, vacancy):
    shown = api().get(f"/api/v1/fairs/{fair.pk}").json()

    assert shown["participants"][0]["vacancies"] == [vacancy.pk]


def test_another_organisations_member_may_not_join_for_it_nor_bring_its_vacancies(api, actors, fair, vacancy):
    for_it = api(actors.agency).post(
        f"/api/v1/fairs/{fair.pk}/participants",
        {"organisation": actors.employer_org.pk, "vacancies": [vacancy.pk]},
        format="json",
    )
    its_vacancy = api(actors.agency).post(
        f"/api/v1/fairs/{fair.pk}/participants",
        {"organisation": actors.agency_org.pk, "vacancies": [vacancy.pk]},
        format="json",
    )

    assert for_it.status_code == 403
    assert its_vacancy.status_code == 400
    assert its_vacancy.json()["vacancies"] == ["Chỉ mang được các tin tuyển dụng đã đăng của đơn vị mình."]
    assert fair.participants.count() == 1


# --- Registration and check-in ---------------------------------------------------------------------


def test_a_worker_registers_and_an_officer_checks_them_in_by_the_qr_codes_token(api, actors, fair, client):
    worker = signed_up(api, "0912 000 801")

    registered = worker.post(f"/api/v1/fairs/{fair.pk}/registrations")
    token = registered.json()["token"]
    again = worker.post(f"/api/v1/fairs/{fair.pk}/registrations")
    qr = client.get(f"/fairs/tickets/{token}/qr.svg")
    checked = api(actors.officer).post(f"/api/v1/fairs/{fair.pk}/check-ins", {"token": token})

    assert registered.status_code == 201 and again.json()["token"] == token  # once
    assert len(token) >= 32 and "0912" not in token  # unguessable, nothing personal
    expected = qr_of(f"http://testserver/desk/fairs/check-in/{token}")
    assert qr["Content-Type"] == "image/svg+xml" and qr.content == expected
    assert checked.status_code == 200 and checked.json()["checked_in_at"]
    assert checked.json()["phone"] == "*******801"


def test_a_check_in_for_someone_not_registered_is_a_400_and_nothing_is_written(api, actors, fair):
    signed_up(api, "0912 000 802")

    by_phone = api(actors.officer).post(f"/api/v1/fairs/{fair.pk}/check-ins", {"phone": "0912 000 802"})
    by_token = api(actors.officer).post(f"/api/v1/fairs/{fair.pk}/check-ins", {"token": "not-a-ticket"})

    assert by_phone.status_code == 400
    assert by_phone.json()["phone"] == ["Người này chưa đăng ký tham gia phiên giao dịch này."]
    assert by_token.status_code == 400 and by_token.json()["token"] == by_phone.json()["phone"]
    assert not Registration.objects.exists()


@pytest.mark.parametrize("who", ["worker", "employer", "outsider"])
def test_only_officers_check_people_in(api, actors, fair, who):
    registration = Registration.objects.create(fair=fair, phone="+84912000803")

    response = api(getattr(actors, who)).post(f"/api/v1/fairs/{fair.pk}/check-ins", {"token": registration.token})

    assert response.status_code == 403
    assert Registration.objects.get().checked_in_at is None


def test_someone_without_an_account_registers_with_a_proven_number_and_is_checked_in_by_number(
    client, providers, actors, fair
):
    asked = client.post(f"/fairs/{fair.pk}/register/phone", {"phone": "0912 000 804"})
    wrong = client.post(f"/fairs/{fair.pk}/register/code", {"code": "000000"})
    right = client.post(f"/fairs/{fair.pk}/register/code", {"code": code_sent_to(providers, "0912 000 804")})
    ticket = client.get(right["Location"])
    officer = signed_in(client, actors.officer)
    checked = officer.post(f"/desk/fairs/{fair.pk}/check-in", {"phone": "0912000804"})

    assert asked.status_code == 302 and wrong.status_code == 400
    assert "hết hạn" in wrong.content.decode()
    assert right.status_code == 302 and ticket.status_code == 200
    assert 'id="ticket-qr"' in ticket.content.decode() and "*******804" in ticket.content.decode()
    assert checked.status_code == 200 and "Đã điểm danh: *******804." in checked.content.decode()
    assert Registration.objects.get().checked_in_at is not None


def test_the_check_in_pages_are_for_officers_only(client, actors, fair):
    registration = Registration.objects.create(fair=fair, phone="+84912000805")
    pages = [f"/desk/fairs/{fair.pk}/check-in", f"/desk/fairs/check-in/{registration.token}", "/desk/fairs/new"]

    signed_out = [client.get(page).status_code for page in pages]
    signed_in(client, actors.worker)
    as_worker = [client.post(page).status_code for page in pages]
    signed_in(client, actors.employer)
    as_employer = [client.post(page).status_code for page in pages]

    assert signed_out == [302, 302, 302]
    assert as_worker == [403, 403, 403] and as_employer == [403, 403, 403]
    assert Registration.objects.get().checked_in_at is None and Fair.objects.count() == 1


# --- Outcomes: the placements import, bulk confirmation, the dashboard -----------------------------


def test_the_fairs_hires_are_imported_all_or_nothing_with_row_column_and_message(actors, fair, vacancy, api, tmp_path):
    signed_up(api, "0912 000 811")
    signed_up(api, "0912 000 812")
    elsewhere = published_vacancy(actors.employer_org, title="Kế toán kho", officer=actors.officer)
    rows = [
        {"fair": fair.pk, "vacancy": vacancy.pk, "phone": "0912 000 811", "result": "tuyển"},
        {"fair": fair.pk, "vacancy": vacancy.pk, "phone": "0912000811", "result": "tuyển"},  # the same hire
        {"fair": fair.pk, "vacancy": elsewhere.pk, "phone": "0912 000 812", "result": "tuyển"},
        {"fair": fair.pk, "vacancy": vacancy.pk, "phone": "0912 000 812", "result": "phỏng vấn"},
    ]

    ok, lines = run_command("placements", as_csv(rows, HEADER, tmp_path), actors.officer)

    assert not ok
    assert problems(lines) == [
        ("3", "phone", "Cùng người lao động và vị trí như dòng 2."),
        ("4", "vacancy", "Vị trí tuyển dụng này không có ở phiên giao dịch đó."),
    ]
    assert not Placement.objects.exists() and not Outcome.objects.exists()

    ok, lines = run_command("placements", as_xlsx([rows[0], rows[3]], HEADER, tmp_path), actors.officer)

    assert ok, lines
    placement = Placement.objects.get()
    assert (placement.status, placement.source, placement.vacancy, placement.placed_on) == (
        "pending",
        "job_fair",
        vacancy,
        fair.held_on,
    )
    assert Outcome.objects.count() == 2  # one hired, one interviewed

    ok, lines = run_command("placements", as_csv(rows[:1], HEADER, tmp_path), actors.officer)

    assert not ok and problems(lines) == [("2", "phone", "Lượt tuyển này đã được ghi nhận.")]
    assert Placement.objects.count() == 1


def test_officers_confirm_the_hires_in_bulk_once_and_the_fair_table_and_its_workbook_move(
    actors, fair, vacancy, api, client, tmp_path
):
    Target.objects.create(year=fair.held_on.year, indicator="new_jobs", value=12_000)
    phones = ["0912 000 821", "0912 000 822", "0912 000 823"]
    for phone in phones:
        signed_up(api, phone)
    worker = signed_up(api, "0912 000 824")
    assert worker.post(f"/api/v1/fairs/{fair.pk}/registrations").status_code == 201
    rows = [{"fair": fair.pk, "vacancy": vacancy.pk, "phone": phone, "result": "tuyển"} for phone in phones]
    ok, lines = run_command("placements", as_csv(rows, HEADER, tmp_path), actors.officer)
    assert ok, lines
    officer = signed_in(client, actors.officer)
    ticked = list(Placement.objects.order_by("pk").values_list("pk", flat=True)[:2])

    confirmed = officer.post("/desk/placements/confirm", {"placement": [*ticked, ticked[0]]})
    twice = officer.post("/desk/placements/confirm", {"placement": ticked})
    as_of = f"as_of={fair.held_on.isoformat()}"
    page = officer.get(f"/desk/dashboard/?{as_of}")
    tables = Tables(page.content.decode()).tables

    assert confirmed.status_code == 302 and twice.status_code == 302
    assert Placement.objects.filter(status="confirmed").count() == 2
    title = f"Phiên giao dịch việc làm tháng 12 ({fair.held_on:%d/%m/%Y})"
    assert tables["fairs"] == [
        ["Phiên giao dịch", "Đăng ký", "Đã điểm danh", "Phỏng vấn", "Được tuyển (đã xác nhận)"],
        [title, "1", "0", "3", "2"],
    ]
    assert tables["targets"][1][1:3] == ["12.000", "2"]  # the 12.000 row
    book = openpyxl.load_workbook(io.BytesIO(officer.get(f"/desk/dashboard/all.xlsx?{as_of}").content))
    assert_same_figures(book, tables, as_of=fair.held_on)


def test_a_workers_or_employers_bulk_confirmation_is_refused(client, actors, fair, vacancy, api, tmp_path):
    signed_up(api, "0912 000 831")
    row = {"fair": fair.pk, "vacancy": vacancy.pk, "phone": "0912 000 831", "result": "tuyển"}
    assert run_command("placements", as_csv([row], HEADER, tmp_path), actors.officer)[0]

    for who in (actors.worker, actors.employer):
        signed_in(client, who)
        assert client.post("/desk/placements/confirm", {"placement": [Placement.objects.get().pk]}).status_code == 403

    assert Placement.objects.get().status == "pending"


def test_an_employers_page_to_join_is_a_404_for_another_organisations_member(client, actors, fair):
    other = member_of(VerifiedEmployerFactory())

    signed_in(client, other)

    assert client.get(f"/org/{actors.employer_org.pk}/fairs/{fair.pk}/join").status_code == 404


def hires_imported(api, officer, fair, vacancy, phones, tmp_path) -> tuple[bool, list[tuple[str, str, str]]]:
    """Workers signed up with these numbers, hired at the fair for the vacancy in a `placements` import:
    whether it went through, and the problems reported."""
    for phone in phones:
        signed_up(api, phone)
    rows = [{"fair": fair.pk, "vacancy": vacancy.pk, "phone": phone, "result": "tuyển"} for phone in phones]
    ok, lines = run_command("placements", as_csv(rows, HEADER, tmp_path), officer)
    return ok, problems(lines)


def test_hires_beyond_the_vacancys_positions_are_refused_and_nothing_is_written(actors, fair, vacancy, api, tmp_path):
    phones = [f"0912 000 84{n}" for n in range(4)]  # four hires for three positions

    ok, refused = hires_imported(api, actors.officer, fair, vacancy, phones, tmp_path)

    assert not ok
    assert refused == [("5", "vacancy", "Đã tuyển đủ 3 vị trí của tin tuyển dụng này.")]
    assert not Placement.objects.exists() and not Outcome.objects.exists()


def test_hires_beyond_the_contracts_places_left_are_refused_and_nothing_is_written(actors, fair, api, tmp_path):
    """The contract's quota counts every placement on it, as one hire through an application does: three
    workers placed on an earlier, closed order leave two of the five places for the fair's vacancy."""
    contract = contract_for(actors.agency_org, quota=5)
    earlier = published_vacancy(actors.agency_org, overseas_fields(contract, positions=3), officer=actors.officer)
    for _n in range(3):
        Placement.objects.create(  # history: hires recorded on the earlier order
            vacancy=earlier,
            organisation=actors.agency_org,
            placed_on=timezone.localdate(),
            is_abroad=True,
            occupation=contract.occupation,
            commune=Commune.objects.get(name="Đông Hà"),
            sex="male",
            age_band="25-34",
        )
    Vacancy.objects.filter(pk=earlier.pk).update(status=Vacancy.Status.CLOSED)  # its places no longer reserved
    order = published_vacancy(actors.agency_org, overseas_fields(contract, positions=5), officer=actors.officer)
    joined = api(actors.agency).post(
        f"/api/v1/fairs/{fair.pk}/participants",
        {"organisation": actors.agency_org.pk, "vacancies": [order.pk]},
        format="json",
    )
    assert joined.status_code == 201, joined.json()
    phones = [f"0912 000 87{n}" for n in range(3)]  # three hires for the contract's two places left

    ok, refused = hires_imported(api, actors.officer, fair, order, phones, tmp_path)

    assert not ok
    assert refused == [("4", "vacancy", "Hợp đồng cung ứng lao động đã hết chỉ tiêu.")]
    assert Placement.objects.filter(vacancy=order).count() == 0 and not Outcome.objects.exists()


def test_a_fair_in_the_past_is_refused_next_to_the_date_on_the_officers_page(client, actors):
    signed_in(client, actors.officer)
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(
        "/desk/fairs/new",
        {"title": "Phiên cũ", "held_on": yesterday.isoformat(), "commune": Commune.objects.get(name="Đông Hà").pk},
    )

    assert response.status_code == 400
    assert 'id="id_held_on_error"' in response.content.decode()
    assert "Phiên giao dịch không thể diễn ra trong quá khứ" in response.content.decode()
    assert not Fair.objects.exists()


def test_nobody_registers_for_a_fair_that_was_held_already(api, actors):
    held = Fair.objects.create(
        title="Phiên tháng trước", held_on=timezone.localdate() - timedelta(days=30), online=True
    )  # history: the service refuses a past date
    worker = signed_up(api, "0912 000 851")

    response = worker.post(f"/api/v1/fairs/{held.pk}/registrations")

    assert response.status_code == 400
    assert response.json()["held_on"] == ["Ngày diễn ra phiên giao dịch đã qua."]
    assert not Registration.objects.exists()


def test_the_calendar_and_a_fair_read_in_a_fixed_number_of_queries(api, actors, fair, vacancy, client,
                                                                   django_assert_max_num_queries):  # fmt: skip
    for n in range(5):
        assert api(actors.officer).post("/api/v1/fairs", fair_payload(title=f"Phiên {n}")).status_code == 201
    other = VerifiedEmployerFactory()
    member_of(other)
    published_vacancy(other, title="Thợ điện", officer=actors.officer)
    Fair.objects.get(pk=fair.pk).participants.create(organisation=other)

    with django_assert_max_num_queries(3):  # count, fairs with their communes (and the session's none)
        listed = api().get("/api/v1/fairs")
    with django_assert_max_num_queries(4):  # the fair, participants with organisations, their vacancies
        shown = api().get(f"/api/v1/fairs/{fair.pk}")
    with django_assert_max_num_queries(6):
        page = client.get(f"/fairs/{fair.pk}/")

    assert listed.json()["count"] == 6 and len(shown.json()["participants"]) == 2
    assert page.status_code == 200
