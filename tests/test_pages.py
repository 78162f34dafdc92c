"""The pages as a visitor sees them, through Django's test client: status codes, what the page says (in
Vietnamese unless asked otherwise), errors next to their field, masking and who may see what."""

import json
import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import User
from accounts.services import worker_create
from candidates import services as candidates
from candidates.models import Application, Consent, Invitation, LanguageCertificate, Placement, WorkerProfile
from jobs.models import Commune, LabourSupplyContract, Occupation, Organisation, Vacancy
from tests.conftest import code_sent_to, text
from tests.factories import (
    PASSWORD,
    contract_for,
    draft_vacancy,
    make_worker,
    overseas_fields,
    published_vacancy,
    signed_in,
)


@pytest.fixture(autouse=True)
def fresh_rate_counters():
    """Search pages count toward the API's fair rate (in Redis): each test starts with none spent."""
    cache.clear()


def field_error(response, field: str) -> str:
    """The error shown right under a field (its element id is id_<field>_error)."""
    found = re.search(rf'id="id_{field}_error">([^<]*)<', response.content.decode())
    return found.group(1) if found else ""


@pytest.fixture
def overseas(actors):
    """A published welding vacancy in Japan with its costs, from a licensed agency."""
    contract = contract_for(actors.agency_org)
    fields = overseas_fields(contract, title="Thực tập sinh hàn tại Aichi")
    fields["languages"] = [{"framework": "jlpt", "level": "N4"}]
    return published_vacancy(actors.agency_org, fields, officer=actors.officer)


@pytest.fixture
def at_home(actors):
    return published_vacancy(actors.employer_org, title="Tuyển thợ hàn CO2", officer=actors.officer)


# --- Search and the home page -----------------------------------------------------------------


@pytest.mark.search
def test_results_find_welding_typed_without_diacritics_and_narrow_to_abroad(client, overseas, at_home, index):
    index()

    everywhere = client.get("/vacancies/", {"q": "tho han"})
    abroad = client.get("/vacancies/", {"q": "tho han", "abroad": "true"})

    assert everywhere.status_code == 200
    assert "2 việc làm" in text(everywhere)
    assert "Tuyển <em>thợ</em> <em>hàn</em> CO2" in everywhere.content.decode()  # the highlight
    assert "1 việc làm" in text(abroad)
    assert "Thực tập sinh hàn tại Aichi" in text(abroad) and "Tuyển thợ hàn CO2" not in text(abroad)


@pytest.mark.search
def test_a_search_that_finds_nothing_says_so_and_is_recorded_for_the_department(client, at_home, index):
    from search.models import ZeroResultQuery

    index()

    page = text(client.get("/vacancies/", {"q": "tho han", "abroad": "true"}))

    assert "Không có việc làm nào phù hợp." in page
    recorded = ZeroResultQuery.objects.get()
    assert (recorded.text, recorded.filters) == ("tho han", {"abroad": ["true"]})


@pytest.mark.search
def test_a_search_that_finds_nothing_links_to_the_broader_searches_that_find_some(client, at_home, index):
    index()  # the vacancy is in Đông Hà; Nam Đông Hà is 4 km away

    empty = client.get("/vacancies/", {"q": "tho han", "abroad": "false", "commune": "19351", "page": "1"})
    nearby = client.get("/vacancies/?q=tho+han&near=19351")

    page = empty.content.decode()
    assert "Tìm rộng hơn thì có:" in text(empty)
    assert "Bỏ bộ lọc “Xã, phường”: 1 việc làm" in text(empty)  # without the commune; not without "where"
    assert "Bỏ bộ lọc “Nơi làm việc”" not in text(empty)
    assert 'href="?q=tho+han&amp;abroad=false"' in page
    assert "Nam Đông Hà và các xã, phường lân cận (trong vòng 30 km): 1 việc làm" in text(empty)
    assert 'href="?q=tho+han&amp;near=19351"' in page
    assert "Tuyển thợ hàn CO2" in text(nearby) and "Gần Nam Đông Hà" in text(nearby)


@pytest.mark.search
def test_each_overseas_result_shows_its_licence_contract_and_fee_check(client, overseas, index):
    index()

    page = text(client.get("/vacancies/", {"abroad": "true"}))

    licence = overseas.organisation.licence_number
    assert f"Giấy phép {licence} (còn hiệu lực)" in page
    assert "hợp đồng đã chấp thuận 101/QLLĐNN-HĐ" in page
    assert "kiểm tra chi phí: trong mức trần theo quy định" in page


@pytest.mark.search
def test_results_offer_facets_with_counts_and_a_sort(client, overseas, at_home, index):
    index()

    response = client.get("/vacancies/", {"q": "han", "sort": "newest"})
    page = response.content.decode()

    assert re.search(r'country=JP[^"]*">Nhật Bản</a> <span class="count">1</span>', page)
    assert re.search(r"occupation=7212[^\"]*\">[^<]+</a> <span class=\"count\">2</span>", page)
    assert '<option value="newest" selected>Mới nhất</option>' in page


@pytest.mark.search
def test_a_bad_filter_is_an_error_next_to_its_field_not_a_500(client, reference, index):
    index()

    response = client.get("/vacancies/", {"salary_min": "-5", "sort": "cheapest"})

    assert response.status_code == 400
    assert field_error(response, "salary_min").startswith("Đảm bảo giá trị này lớn hơn hoặc bằng")
    assert "không phải là một trong các lựa chọn" in field_error(response, "sort")


@pytest.mark.search
def test_home_shows_quick_choices_by_country_and_the_newest_vacancies(client, overseas, at_home, index):
    index()

    response = client.get("/")

    page = text(response)
    assert response.status_code == 200
    assert "Trong tỉnh" in page and "Nước ngoài" in page
    assert "Nhật Bản (1)" in page
    assert "Tuyển thợ hàn CO2" in page and "Thực tập sinh hàn tại Aichi" in page
    assert 'hx-get="/suggest"' in response.content.decode() and "htmx" in response.content.decode()


@pytest.mark.search
def test_typeahead_suggests_occupations_and_titles_as_datalist_options(client, at_home, index):
    index()

    response = client.get("/suggest", {"q": "tuyen th"})

    assert response.status_code == 200
    assert '<option value="Tuyển thợ hàn CO2">' in response.content.decode()


def test_with_elasticsearch_down_search_pages_say_so_with_a_503(client, db, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"

    for url in ["/", "/vacancies/?q=tho+han"]:
        response = client.get(url)
        assert response.status_code == 503
        assert "Chức năng tìm kiếm tạm thời gián đoạn" in text(response)


@pytest.mark.search
def test_the_pages_speak_english_when_asked(client, at_home, index):
    index()

    response = client.get("/vacancies/", {"q": "tho han"}, HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="en">' in response.content.decode()
    assert "1 vacancy" in text(response) and "Tiếng Việt" in text(response)


# --- A vacancy --------------------------------------------------------------------------------


def test_an_overseas_vacancy_shows_its_costs_against_the_cap_and_its_trust(client, overseas):
    response = client.get(f"/vacancies/{overseas.pk}/")
    page = text(response)

    assert response.status_code == 200
    assert "Tiền dịch vụ 20.000.000 đ" in page
    assert "mức trần theo luật cho hợp đồng này là 60.000.000 đ" in page  # 1 month's 20M wage per 12 of 36
    assert "Tổng cộng (không kể tiền ký quỹ) 32.500.000 đ" in page
    assert "Kiểm tra chi phí: trong mức trần theo quy định" in page
    assert "101/QLLĐNN-HĐ ngày 01/10/2026" in page
    assert (timezone.localdate() + timedelta(days=30)).strftime("%d/%m/%Y") in page
    report = re.search(r'href="([^"]+)">Báo cáo tin tuyển dụng này<', response.content.decode()).group(1)
    assert f"Bạn đang phản ánh tin tuyển dụng “{overseas.title}”" in text(client.get(report))


def test_a_draft_is_hidden_from_the_public_but_shown_to_its_organisation(client, actors):
    draft = draft_vacancy(actors.employer_org)

    assert client.get(f"/vacancies/{draft.pk}/").status_code == 404
    client.force_login(actors.outsider)
    assert client.get(f"/vacancies/{draft.pk}/").status_code == 404
    client.force_login(actors.employer)
    response = client.get(f"/vacancies/{draft.pk}/")
    assert response.status_code == 200
    assert "Chưa công khai" in text(response) and "Ứng tuyển việc này" not in text(response)


@pytest.mark.search
def test_a_signed_in_worker_sees_why_it_fits_and_what_is_missing(client, overseas, index):
    worker = make_worker(abroad=True)
    candidates.language_add(worker=worker, framework="jlpt", level="N5")
    index()
    client.force_login(worker.user)

    page = text(client.get(f"/vacancies/{overseas.pk}/"))

    assert "Vì sao việc này hợp với bạn" in page
    assert "Đúng công việc bạn đang tìm." in page and "Ở quốc gia bạn đã chọn." in page
    assert "JLPT N4 required; you have N5." not in page
    assert "Bạn còn thiếu gì" in page and "N4" in page and "N5" in page


def test_a_worker_outside_the_age_band_is_told_so_before_applying(client, overseas):
    worker = make_worker(abroad=True, born=timezone.localdate().replace(year=timezone.localdate().year - 17))
    client.force_login(worker.user)

    page = text(client.get(f"/vacancies/{overseas.pk}/"))
    refused = client.post(f"/vacancies/{overseas.pk}/apply")

    assert "Bạn còn thiếu gì" in page and "bạn 17 tuổi" in page
    assert refused.status_code == 400 and "bạn 17 tuổi" in text(refused)
    assert not Application.objects.exists()


def test_applying_sends_a_stranger_to_sign_up_and_a_worker_to_their_applications(client, at_home):
    anonymous = client.post(f"/vacancies/{at_home.pk}/apply")
    assert anonymous.status_code == 302 and anonymous["Location"] == f"/signup/?next=/vacancies/{at_home.pk}/"

    worker = make_worker()
    client.force_login(worker.user)
    applied = client.post(f"/vacancies/{at_home.pk}/apply", follow=True)
    again = client.post(f"/vacancies/{at_home.pk}/apply")

    assert applied.redirect_chain[-1][0] == "/me/applications/"
    assert "Tuyển thợ hàn CO2" in text(applied) and "Trạng thái: đã nộp" in text(applied)
    assert again.status_code == 400 and "Bạn đã nộp hồ sơ cho tin tuyển dụng này rồi." in text(again)
    assert Application.objects.filter(worker=worker).count() == 1


def test_a_signed_in_user_without_a_profile_is_sent_to_fill_it_in_then_back(client, at_home):
    user = worker_create(phone="0912 000 111", password=PASSWORD)
    client.force_login(user)

    response = client.post(f"/vacancies/{at_home.pk}/apply")

    assert response["Location"] == "/me/profile/personal/"
    assert client.session["after_profile"] == f"/vacancies/{at_home.pk}/"


# --- Sign-up and sign-in ----------------------------------------------------------------------


def test_sign_up_with_a_bad_number_shows_the_error_next_to_it_and_creates_nothing(client, db):
    response = client.post("/signup/", {"phone": "12345", "password": PASSWORD})

    assert response.status_code == 400
    assert field_error(response, "phone") == "Hãy nhập số điện thoại di động Việt Nam, ví dụ 0912 345 678."
    assert not User.objects.exists()


def test_sign_up_with_a_weak_password_says_why_next_to_the_password(client, db):
    response = client.post("/signup/", {"phone": "0912 345 678", "password": "password"})

    assert response.status_code == 400
    assert "quá phổ biến" in field_error(response, "password")
    assert not User.objects.exists()


def prove(client, providers, phone="0912 345 678", **posted):
    """Sign up on the pages: the number and password, then the code the local SMS server received."""
    asked = client.post("/signup/", {"phone": phone, "password": PASSWORD, **posted})
    assert asked["Location"] == "/signup/code/"
    return client.post("/signup/code/", {"code": code_sent_to(providers, phone)})


def test_sign_up_proves_the_number_signs_in_and_starts_the_profile_keeping_where_to_return(client, db, providers):
    asked = client.post("/signup/", {"phone": "0912 345 678", "password": PASSWORD, "next": "/vacancies/7/"})
    code_page = client.get("/signup/code/")
    wrong = client.post("/signup/code/", {"code": "12345"})
    response = client.post("/signup/code/", {"code": code_sent_to(providers, "0912 345 678")})

    assert asked["Location"] == "/signup/code/"
    assert "*******678" in text(code_page)  # the number, masked
    assert wrong.status_code == 400 and 'id="id_code_error"' in wrong.content.decode()
    assert response["Location"] == "/me/profile/personal/"
    assert User.objects.get(phone="+84912345678").is_authenticated
    assert client.session["after_profile"] == "/vacancies/7/"
    assert client.get("/me/profile/personal/").status_code == 200


def test_sign_up_ignores_a_next_address_on_another_site(client, db, providers):
    prove(client, providers, next="https://evil.example/")

    assert client.session["after_profile"] == "/me/matches/"


def test_a_forgotten_password_is_reset_on_the_pages(client, db, providers):
    make_worker(abroad=True)

    client.post("/password-reset/", {"phone": "0912 345 678"})
    done = client.post(
        "/password-reset/code/", {"code": code_sent_to(providers, "0912 345 678"), "password": "moi-2026-abc"}
    )
    client.post("/signout/")

    assert done["Location"] == "/me/matches/"
    assert client.post("/signin/", {"phone": "0912345678", "password": "moi-2026-abc"})["Location"] == "/me/matches/"


def test_a_malformed_number_is_refused_next_to_the_field_in_vietnamese(client, db):
    response = client.post("/signup/", {"phone": "0123", "password": PASSWORD})

    assert response.status_code == 400
    assert 'id="id_phone_error"' in response.content.decode()
    assert "Hãy nhập số điện thoại di động Việt Nam, ví dụ 0912 345 678." in text(response)


def test_sign_in_by_phone_or_user_name_and_a_wrong_password_is_refused(client, actors):
    make_worker(abroad=True)

    wrong = client.post("/signin/", {"phone": "0912345678", "password": "nope"})
    worker = client.post("/signin/", {"phone": "+84 912 345 678", "password": PASSWORD})
    client.post("/signout/")
    actors.agency.set_password(PASSWORD)
    actors.agency.save()
    agency = client.post("/signin/", {"phone": actors.agency.username, "password": PASSWORD})

    assert wrong.status_code == 400 and "Số điện thoại hoặc mật khẩu không đúng." in text(wrong)
    assert worker["Location"] == "/me/matches/"
    assert agency["Location"] == "/org/"


def test_worker_pages_ask_a_stranger_to_sign_in(client, db):
    for url in ["/me/applications/", "/me/matches/", "/me/data/", "/me/profile/personal/", "/org/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(f"/signin/?next={url}")


# --- The profile wizard -----------------------------------------------------------------------


def personal(**overrides):
    return {
        "full_name": "Lê Thị Mai",
        "date_of_birth": "2000-03-08",
        "sex": "female",
        "commune": Commune.objects.get(name="Đông Hà").pk,
        "education": "upper_secondary",
        **overrides,
    }


def test_the_first_step_refuses_a_child_next_to_the_date_and_writes_nothing(client, reference):
    client.force_login(worker_create(phone="0912 345 678", password=PASSWORD))
    too_young = (timezone.localdate() - timedelta(days=365 * 14)).isoformat()

    response = client.post("/me/profile/personal/", personal(date_of_birth=too_young))

    assert response.status_code == 400
    assert field_error(response, "date_of_birth") == "Người lao động phải từ đủ 15 tuổi trở lên."
    assert not WorkerProfile.objects.exists()


def test_the_wizard_goes_step_by_step_and_returns_to_the_vacancy(client, reference):
    user = worker_create(phone="0912 345 678", password=PASSWORD)
    client.force_login(user)
    session = client.session
    session["after_profile"] = "/vacancies/42/"
    session.save()

    steps = [
        client.post("/me/profile/personal/", personal(date_of_birth="08/03/2000")),
        client.post(
            "/me/profile/certificates/",
            {
                "add": "1",
                "kind": "vocational",
                "level": "elementary",
                "occupation": Occupation.objects.get(code="7212").pk,
                "institution": "Trường Cao đẳng Kỹ thuật Quảng Trị",
                "issued_on": "2024-06-30",
            },
        ),
        client.post("/me/profile/certificates/", {}),
        client.post("/me/profile/languages/", {"add": "1", "framework": "jlpt", "level": "N9"}),
        client.post("/me/profile/languages/", {"add": "1", "framework": "jlpt", "level": "n4"}),
        client.post("/me/profile/languages/", {}),
        client.post(
            "/me/profile/preferences/",
            {
                "desired_occupations": [Occupation.objects.get(code="7212").pk],
                "skills": "hàn TIG, đọc bản vẽ",
                "wants_abroad": "on",
                "desired_countries": ["JP"],
                "expected_salary_vnd": "30000000",
            },
        ),
        client.post("/me/profile/consents/", {"be_found": "on"}),
    ]

    assert [r.status_code for r in steps] == [302, 302, 302, 400, 302, 302, 302, 302]
    assert [r["Location"] for r in steps if r.status_code == 302] == [
        "/me/profile/certificates/",
        "/me/profile/certificates/",
        "/me/profile/languages/",
        "/me/profile/languages/",
        "/me/profile/preferences/",
        "/me/profile/consents/",
        "/vacancies/42/",
    ]
    assert field_error(steps[3], "level") == "Các bậc của chứng chỉ này gồm: N5, N4, N3, N2, N1."
    worker = WorkerProfile.objects.get(user=user)
    assert worker.date_of_birth == date(2000, 3, 8) and worker.skills == ["hàn TIG", "đọc bản vẽ"]
    assert list(LanguageCertificate.objects.values_list("level", flat=True)) == ["N4"]
    assert worker.certificates.get().institution == "Trường Cao đẳng Kỹ thuật Quảng Trị"
    assert list(worker.desired_countries.values_list("code", flat=True)) == ["JP"]
    assert set(Consent.objects.filter(withdrawn_at=None).values_list("purpose", flat=True)) == {"be_found"}


def test_consents_are_explained_and_unticking_one_withdraws_it(client, reference):
    worker = make_worker(abroad=True)
    candidates.consent_set(worker=worker, purpose="be_found", granted=True)
    client.force_login(worker.user)

    page = client.get("/me/profile/consents/")
    client.post("/me/profile/consents/", {"alerts": "on"})

    assert "không thấy tên hay số điện thoại cho đến khi bạn ứng tuyển" in text(page)
    assert 'name="be_found" aria-describedby="id_be_found_helptext" id="id_be_found" checked' in page.content.decode()
    assert Consent.objects.get(purpose="be_found").withdrawn_at is not None
    assert Consent.objects.get(purpose="alerts").withdrawn_at is None


def test_a_certificate_can_be_deleted_only_by_its_worker(client, reference):
    worker = make_worker(abroad=True)
    other = make_worker("0912 999 888", abroad=True)
    certificate = candidates.certificate_add(worker=other, institution="Trường X", issued_on=date(2024, 1, 1))
    client.force_login(worker.user)

    response = client.post("/me/profile/certificates/", {"delete": certificate.pk})

    assert response.status_code == 404 and other.certificates.count() == 1


# --- Applications, invitations, my data -------------------------------------------------------


def test_my_applications_show_each_step_and_a_withdrawal(client, actors, at_home):
    worker = make_worker()
    application = candidates.apply(worker=worker, vacancy=at_home)
    candidates.application_move(application=application, by=actors.employer, status="shortlisted")
    client.force_login(worker.user)

    page = text(client.get("/me/applications/"))
    client.post(f"/me/applications/{application.pk}/withdraw")
    after = text(client.get("/me/applications/"))

    assert "Trạng thái: vào danh sách ngắn" in page and "Rút đơn" in page
    assert page.count(timezone.localdate().strftime("%d/%m/%Y")) == 2  # applied, shortlisted
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert "Rút đơn" not in after  # nothing left to withdraw


@pytest.mark.search
def test_accepting_an_invitation_opens_the_contact(client, actors, at_home, index):
    worker = make_worker()
    candidates.consent_set(worker=worker, purpose="be_found", granted=True)
    invitation = candidates.invitation_send(vacancy=at_home, worker=worker, by=actors.employer)
    index()
    client.force_login(actors.employer)
    before = text(client.get(f"/org/vacancies/{at_home.pk}/candidates/"))
    client.force_login(worker.user)

    assert "Chấp nhận: cho họ thấy tên và số điện thoại của tôi" in text(client.get("/me/applications/"))
    client.post(f"/me/invitations/{invitation.pk}/answer", {"answer": "accept"})
    client.force_login(actors.employer)
    after = text(client.get(f"/org/vacancies/{at_home.pk}/candidates/"))

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert "Ứng viên (số *******678)" in before and "Đã mời" in before and "Nguyễn Văn Hùng" not in before
    assert "Nguyễn Văn Hùng · +84912345678" in after


def test_my_data_downloads_as_json_and_deletion_needs_a_confirmation(client, reference):
    worker = make_worker(abroad=True)
    client.force_login(worker.user)

    download = client.get("/me/data/download")
    unconfirmed = client.post("/me/data/", {})
    confirmed = client.post("/me/data/", {"confirm": "on"})

    assert download["Content-Disposition"] == 'attachment; filename="du-lieu-cua-toi.json"'
    assert json.loads(download.content)["profile"]["full_name"] == "Nguyễn Văn Hùng"
    assert unconfirmed.status_code == 400 and field_error(unconfirmed, "confirm") == "Trường này là bắt buộc."
    assert confirmed["Location"] == "/"
    assert not User.objects.filter(phone="+84912345678").exists() and not WorkerProfile.objects.exists()


# --- Organisations ----------------------------------------------------------------------------


def test_an_agency_without_its_licence_is_told_next_to_each_licence_field(client, reference):
    user = worker_create(phone="0912 345 678", password=PASSWORD)
    client.force_login(user)

    response = client.post("/org/register/", {"kind": "agency", "name": "Công ty XKLĐ A", "tax_code": "3200123456"})

    assert response.status_code == 400
    for field in ["licence_number", "licence_issued_on", "licence_expires_on"]:
        assert field_error(response, field) == "Doanh nghiệp dịch vụ phải cung cấp thông tin giấy phép."
    assert not Organisation.objects.exists()


def test_an_employer_registers_and_sees_it_awaits_verification(client, reference):
    user = worker_create(phone="0912 345 678", password=PASSWORD)
    client.force_login(user)

    bad = client.post("/org/register/", {"kind": "employer", "name": "Công ty B", "tax_code": "12"})
    good = client.post("/org/register/", {"kind": "employer", "name": "Công ty B", "tax_code": "3200123456"},
                       follow=True)  # fmt: skip

    assert "Mã số thuế gồm 10 chữ số" in field_error(bad, "tax_code")
    assert "Công ty B" in text(good) and "Xác minh: chờ xác minh" in text(good)


def vacancy_post(contract, **overrides):
    return {
        "title": "Thực tập sinh hàn tại Aichi",
        "description": "Hàn bán tự động.",
        "occupation": contract.occupation.pk,
        "positions": "5",
        "where": "abroad",
        "contract": contract.pk,
        "city": "Nagoya",
        "currency": "VND",
        "salary_min": "20000000",
        "salary_max": "20000000",
        "contract_type": "overseas",
        "training_level": "none",
        "sex": "any",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "contact_name": "Phòng tuyển dụng",
        "contact_phone": "0232 3822 000",
        "contract_months": "36",
        "service_fee": "90000000",
        "deposit": "0",
        "training_fee": "8000000",
        "visa_fee": "3000000",
        "health_check_fee": "1500000",
        "flight_fee": "0",
        "other_fee": "0",
        "brokerage_fee": "0",
        **overrides,
    }


def test_an_agency_posts_above_the_cap_is_refused_on_submit_then_fixes_it(client, actors):
    contract = contract_for(actors.agency_org)
    client.force_login(actors.agency)

    check = client.post("/org/fee-check", vacancy_post(contract))
    created = client.post(f"/org/{actors.agency_org.pk}/vacancies/new/", vacancy_post(contract))
    vacancy = Vacancy.objects.get()
    edit = client.get(created["Location"])
    refused = client.post(f"/org/vacancies/{vacancy.pk}/submit", follow=True)
    client.post(f"/org/vacancies/{vacancy.pk}/", vacancy_post(contract, service_fee="60000000"))
    sent = client.post(f"/org/vacancies/{vacancy.pk}/submit", follow=True)

    above = "Phí dịch vụ 90.000.000 đ vượt mức trần theo quy định là 60.000.000 đ"
    assert "Gửi duyệt" in text(edit) and "Đóng tin tuyển dụng" not in text(edit)  # a draft: send it, not close it
    assert "Gửi duyệt" not in text(sent)  # awaiting review: nothing to send
    assert "Kiểm tra chi phí: vượt mức trần theo quy định" in text(check) and "60.000.000 đ" in text(check)
    assert created["Location"] == f"/org/vacancies/{vacancy.pk}/"
    assert above in text(edit)
    assert "Chưa gửi duyệt được:" in text(refused) and above in text(refused)
    vacancy.refresh_from_db()
    assert vacancy.status == "pending_review"
    assert "Đã gửi Sở duyệt." in text(sent)
    assert vacancy.country_id == "JP" and vacancy.programme == contract.programme


def test_the_service_refuses_too_many_positions_next_to_the_field(client, actors):
    contract = contract_for(actors.agency_org, quota=3)
    client.force_login(actors.agency)

    response = client.post(f"/org/{actors.agency_org.pk}/vacancies/new/", vacancy_post(contract, positions="4"))

    assert response.status_code == 400
    assert field_error(response, "positions") == "Hợp đồng chỉ còn 3 chỉ tiêu; tin tuyển dụng này cần tuyển 4 người."
    assert not Vacancy.objects.exists()


def test_a_domestic_vacancy_is_posted_and_listed_by_status(client, actors):
    client.force_login(actors.employer)
    data = vacancy_post(LabourSupplyContract(occupation=Occupation.objects.get(code="7212")), where="home")
    data |= {"commune": Commune.objects.get(name="Đông Hà").pk, "contract": "", "contract_type": "fixed_term"}

    client.post(f"/org/{actors.employer_org.pk}/vacancies/new/", data)
    page = text(client.get("/org/"))

    assert Vacancy.objects.get().is_overseas is False
    assert "Bản nháp (1)" in page and "Thực tập sinh hàn tại Aichi" in page


def test_my_organisations_page_reads_the_same_queries_for_one_organisation_or_three(client, actors):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jobs.models import Membership
    from tests.factories import VerifiedEmployerFactory

    client.force_login(actors.employer)

    def queries():
        with CaptureQueriesContext(connection) as run:
            assert client.get("/org/").status_code == 200
        return len(run)

    one = queries()
    for organisation in (VerifiedEmployerFactory(), actors.agency_org):
        Membership.objects.create(user=actors.employer, organisation=organisation, role="owner")
    contract_for(actors.agency_org)
    assert queries() == one


def test_a_published_vacancy_offers_closing_not_sending_for_review(client, actors, at_home):
    client.force_login(actors.employer)

    page = text(client.get(f"/org/vacancies/{at_home.pk}/"))

    assert "Đóng tin tuyển dụng" in page and "Gửi duyệt" not in page


def test_another_organisations_vacancy_is_a_404(client, actors, at_home):
    client.force_login(actors.agency)

    for url in [f"/org/vacancies/{at_home.pk}/", f"/org/vacancies/{at_home.pk}/applicants/"]:
        assert client.get(url).status_code == 404
    assert client.post(f"/org/vacancies/{at_home.pk}/submit").status_code == 404
    assert client.get(f"/org/{actors.employer_org.pk}/vacancies/new/").status_code == 404


def test_applicants_show_name_and_stage_and_a_hire_makes_a_placement(client, actors, at_home):
    worker = make_worker()
    application = candidates.apply(worker=worker, vacancy=at_home)
    client.force_login(actors.employer)

    listing = client.get(f"/org/vacancies/{at_home.pk}/applicants/")
    page = text(listing)
    wrong = client.post(f"/org/applications/{application.pk}/move", {"status": "hired"}, follow=True)
    for stage in ["shortlisted", "interviewed", "offered", "hired"]:
        client.post(f"/org/applications/{application.pk}/move", {"status": stage})

    assert "Nguyễn Văn Hùng" in page and "+84912345678" in page and "Bước: đã nộp" in page
    assert re.search(r'<select name="status"[^>]*><option value="shortlisted">', listing.content.decode())
    assert "Hãy chọn một trong các bước tiếp theo." in text(wrong)
    application.refresh_from_db()
    assert application.status == "hired" and Placement.objects.filter(application=application).exists()


@pytest.mark.search
def test_candidates_are_masked_until_they_apply(client, actors, at_home, index):
    found = make_worker("0912 345 678")
    applied = make_worker("0912 111 222")
    for worker in (found, applied):
        candidates.consent_set(worker=worker, purpose="be_found", granted=True)
    applied.full_name = "Trần Văn Bình"
    applied.save()
    candidates.apply(worker=applied, vacancy=at_home)
    index()
    client.force_login(actors.employer)

    page = text(client.get(f"/org/vacancies/{at_home.pk}/candidates/"))

    assert "Ứng viên (số *******678)" in page and "0912345678" not in page and "Nguyễn Văn Hùng" not in page
    assert "Trần Văn Bình · +84912111222" in page
    assert client.post(f"/org/vacancies/{at_home.pk}/invite", {"worker": found.pk}).status_code == 302
    assert Invitation.objects.filter(worker=found, vacancy=at_home).exists()


def test_an_outsider_cannot_invite_or_see_candidates(client, actors, at_home):
    worker = make_worker(abroad=True)
    client.force_login(actors.outsider)

    assert client.get(f"/org/vacancies/{at_home.pk}/candidates/").status_code == 404
    assert client.post(f"/org/vacancies/{at_home.pk}/invite", {"worker": worker.pk}).status_code == 404
    assert not Invitation.objects.exists()


def test_the_live_fee_check_says_when_the_length_exceeds_the_contract(client, actors):
    contract = contract_for(actors.agency_org, months=24)
    client.force_login(actors.agency)

    response = client.post("/org/fee-check", vacancy_post(contract, contract_months="36"))

    assert "dài hơn" in text(response) and "24" in text(response)


def test_another_organisations_contract_gets_no_fee_check(client, actors):
    contract = contract_for(actors.agency_org)
    client.force_login(actors.employer)

    response = client.post("/org/fee-check", vacancy_post(contract))

    assert "Kiểm tra chi phí:" not in text(response)
    assert "Chọn hợp đồng và nhập thời hạn hợp đồng" in text(response)


def test_the_fee_check_reads_a_garbled_occupation_as_none_chosen_not_a_500(client, actors):
    contract = contract_for(actors.agency_org)
    client.force_login(actors.agency)

    posted = vacancy_post(contract, occupation="hàn", service_fee="60000000", deposit="nhiều")
    response = client.post("/org/fee-check", posted)

    assert response.status_code == 200
    assert "Kiểm tra chi phí: công khai chưa đầy đủ" in text(response)  # a garbled cost reads as not given
    assert "mức trần tiền dịch vụ theo luật: 60.000.000 đ" in text(response)  # the contract's occupation


def test_an_officer_sees_the_fee_check_of_the_vacancy_they_edit(client, actors):
    contract = contract_for(actors.agency_org)
    signed_in(client, actors.officer)

    response = client.post("/org/fee-check", vacancy_post(contract))

    assert "Kiểm tra chi phí: vượt mức trần theo quy định" in text(response)


@pytest.mark.search
def test_results_come_in_pages(client, actors, index, monkeypatch):
    monkeypatch.setattr("frontend.forms.PAGE_SIZE", 1)
    for title in ["Tuyển thợ hàn CO2", "Tuyển thợ hàn TIG"]:
        published_vacancy(actors.employer_org, title=title, officer=actors.officer)
    index()

    first = client.get("/vacancies/", {"q": "tho han", "sort": "newest"})
    second = client.get("/vacancies/", {"q": "tho han", "sort": "newest", "page": "2"})

    assert "Tuyển thợ hàn TIG" in text(first) and "Tuyển thợ hàn CO2" not in text(first)
    assert 'rel="next" href="?q=tho+han&amp;sort=newest&amp;page=2"' in first.content.decode()
    assert "Tuyển thợ hàn CO2" in text(second) and "Trang 2" in text(second)
    assert 'rel="prev"' in second.content.decode() and 'rel="next"' not in second.content.decode()


def test_organisation_pages_speak_english_when_asked(client, actors, at_home):
    client.force_login(actors.employer)

    page = text(client.get("/org/", HTTP_ACCEPT_LANGUAGE="en"))

    assert "Verification: verified" in page and "Published (1)" in page and "Post a vacancy" in page


def test_with_elasticsearch_down_matches_say_so_and_a_vacancy_still_shows(client, at_home, settings):
    worker = make_worker()
    client.force_login(worker.user)
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"

    matches = client.get("/me/matches/")
    vacancy = client.get(f"/vacancies/{at_home.pk}/")

    assert matches.status_code == 503 and "Chức năng tìm kiếm tạm thời gián đoạn" in text(matches)
    assert vacancy.status_code == 200 and "Chức năng tìm kiếm tạm thời gián đoạn" in text(vacancy)
    assert "Ứng tuyển việc này" in text(vacancy)


def test_an_employer_signs_up_from_the_employers_link_and_goes_to_register(client, reference, providers):
    asked = client.get("/org/")
    client.post("/signup/", {"phone": "0912 345 678", "password": PASSWORD, "next": "/org/"})
    signed_up = client.post("/signup/code/", {"code": code_sent_to(providers, "0912 345 678")}, follow=True)

    assert asked["Location"] == "/signin/?next=/org/"
    assert signed_up.redirect_chain[-1][0] == "/org/"
    assert "Đăng ký tổ chức" in text(signed_up) and "Bước 1/5" not in text(signed_up)


@pytest.mark.search
def test_the_pages_share_the_apis_fair_rate_of_search(client, reference, index, settings):
    settings.SEARCH_ANON_RATE = "3/min"
    index()

    statuses = [client.get("/vacancies/", {"q": "han"}).status_code for _ in range(3)]
    refused = client.get("/vacancies/", {"q": "han"})

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429 and "Quá nhiều lượt tìm kiếm" in text(refused)


def contract_post(**overrides):
    return {
        "foreign_partner": "Aichi Kogyo Kumiai",
        "country": "JP",
        "occupation": Occupation.objects.get(code="7212").pk,
        "quota": "10",
        "monthly_wage": "20000000",
        "currency": "VND",
        "term_months": "36",
        "approval_number": "101/QLLĐNN-HĐ",
        "approved_on": "2026-10-01",
        **overrides,
    }


def test_an_agency_records_a_contract_and_a_suspended_one_is_told_why_not(client, actors):
    client.force_login(actors.agency)
    recorded = client.post(f"/org/{actors.agency_org.pk}/contracts/new/", contract_post(), follow=True)
    client.force_login(actors.unlicensed_agency)
    refused = client.post(f"/org/{actors.unlicensed_org.pk}/contracts/new/", contract_post())

    assert "101/QLLĐNN-HĐ — Aichi Kogyo Kumiai (JP) · còn 10 chỉ tiêu" in text(recorded)
    assert refused.status_code == 400 and "giấy phép" in text(refused)
    assert LabourSupplyContract.objects.get().organisation == actors.agency_org


def test_a_contract_for_another_organisation_is_a_404(client, actors):
    client.force_login(actors.employer)

    response = client.post(f"/org/{actors.agency_org.pk}/contracts/new/", contract_post())

    assert response.status_code == 404 and not LabourSupplyContract.objects.exists()


@pytest.mark.search
def test_the_results_page_reads_postgresql_a_fixed_number_of_times(
    client, actors, index, django_assert_max_num_queries
):
    contract = contract_for(actors.agency_org, quota=30)
    for n in range(4):
        published_vacancy(
            actors.agency_org, overseas_fields(contract, title=f"Thợ hàn {n}", positions=2), officer=actors.officer
        )
        published_vacancy(actors.employer_org, title=f"Tuyển thợ hàn {n}", officer=actors.officer)
    index()
    client.get("/vacancies/", {"q": "tho han"})  # the alias memo and the session, once

    with django_assert_max_num_queries(9):  # 8, and the warnings of the results' organisations
        response = client.get("/vacancies/", {"q": "tho han"})

    assert "8 việc làm" in text(response)


def test_the_applicants_page_reads_postgresql_a_fixed_number_of_times(
    client, actors, at_home, django_assert_max_num_queries
):
    for n in range(4):
        candidates.apply(worker=make_worker(f"0912 000 00{n}"), vacancy=at_home)
    client.force_login(actors.employer)

    with django_assert_max_num_queries(9):
        response = client.get(f"/org/vacancies/{at_home.pk}/applicants/")

    assert text(response).count("Bước: đã nộp") == 4


@pytest.mark.search
def test_a_vacancy_not_yet_published_says_so_on_its_candidates_page(client, actors, index):
    draft = draft_vacancy(actors.employer_org)
    index()
    client.force_login(actors.employer)

    response = client.get(f"/org/vacancies/{draft.pk}/candidates/")

    assert response.status_code == 200  # not "search is down": the vacancy is simply not in the index yet
    assert "Chỉ tin tuyển dụng đã đăng mới có danh sách ứng viên phù hợp" in text(response)
