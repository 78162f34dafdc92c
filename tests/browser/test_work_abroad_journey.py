"""Work abroad from first look to return, clicked through in Chromium: the public employment service centre
posts an EPS vacancy (no enterprise licence: a state programme), an officer publishes it, a worker applies,
completes the departure checklist and departs; the centre's monthly list of returns is imported on the desk,
and the worker's matches now value the work abroad."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candidates import services as candidates
from candidates.models import Application, Placement
from jobs import services as jobs
from jobs.models import Country, Occupation, Organisation, Programme, Vacancy
from tests.browser.conftest import optional, sign_in
from tests.factories import OfficerFactory, make_worker, member_of, published_vacancy

pytestmark = [pytest.mark.browser, pytest.mark.search]
PHONE = "0912 456 789"


@pytest.fixture
def centre(actors):
    centre = Organisation.objects.create(
        kind=Organisation.Kind.PUBLIC_CENTRE,
        name="Trung tâm Dịch vụ việc làm Quảng Trị",
        tax_code="3200999991",
        verification=Organisation.Verification.VERIFIED,
    )
    staff = member_of(centre)
    jobs.contract_register(  # the programme's intake for the province, recorded by the centre
        organisation=centre,
        by=staff,
        foreign_partner="HRD Korea",
        country=Country.objects.get(code="KR"),
        programme=Programme.objects.get(code="kr-eps"),
        occupation=Occupation.objects.get(code="8219"),
        quota=20,
        monthly_wage=Decimal(42_000_000),
        currency="VND",
        term_months=36,
        approval_number="EPS-2026/QT-01",
        approved_on=date(2026, 9, 15),
    )
    return centre, staff


@pytest.fixture
def worker():
    return make_worker(
        PHONE, full_name="Lê Văn Tâm", born=date(1999, 4, 2), abroad=True, countries=(), occupations=("8219",)
    )


def test_the_centre_posts_an_eps_vacancy_a_worker_departs_returns_and_matching_values_it(
    page, live_server, actors, centre, worker, index, celery_worker, look, tmp_path
):
    centre, staff = centre
    officer = OfficerFactory()
    home = published_vacancy(
        actors.employer_org,
        title="Tổ trưởng lắp ráp (ưu tiên người từng làm ở Hàn Quốc)",
        occupation=Occupation.objects.get(code="8219"),
        values_overseas_experience=True,
        officer=actors.officer,
    )
    index()
    page.set_viewport_size({"width": 1366, "height": 768})

    # The centre posts under the EPS intake: no licence asked for.
    sign_in(page, live_server, staff.username)
    expect(page.get_by_role("heading", name=centre.name)).to_be_visible()
    page.get_by_role("link", name="Đăng tin tuyển dụng").click()
    page.get_by_label("Tiêu đề").fill("Lao động lắp ráp tại Hàn Quốc (EPS)")
    page.get_by_label("Mô tả công việc").fill("Lắp ráp linh kiện điện tử, hợp đồng 3 năm theo Chương trình EPS.")
    page.get_by_label("Nghề").select_option(label="8219 Công nhân lắp ráp khác")
    page.get_by_label("Số lượng cần tuyển").fill("5")
    page.get_by_label("Loại hợp đồng").select_option("overseas")
    page.get_by_label("Ở nước ngoài, theo hợp đồng cung ứng lao động đã được chấp thuận").check()
    page.get_by_label("Hợp đồng cung ứng lao động đã được chấp thuận (làm việc ở nước ngoài)").select_option(index=1)
    page.get_by_label("Lương tháng từ").fill("42000000")
    page.get_by_label("Lương tháng đến").fill("42000000")
    page.get_by_label(optional("Tuổi tối đa")).fill("39")
    page.get_by_label("Hạn nộp hồ sơ").fill((timezone.localdate() + timedelta(days=20)).isoformat())
    page.get_by_label("Người liên hệ").fill("Phòng tư vấn xuất khẩu lao động")
    page.get_by_label("Điện thoại liên hệ").fill("0233 3852 468")
    page.get_by_label("Thời hạn hợp đồng (tháng)").fill("36")
    costs = {"Tiền dịch vụ": "0", "Tiền ký quỹ (được hoàn trả)": "0", "Học phí đào tạo, ngoại ngữ": "17100000"}
    costs |= {"Hộ chiếu và thị thực": "0", "Khám sức khỏe": "0", "Vé máy bay": "0"}
    costs |= {"Chi phí khác": "0", "Tiền môi giới": "0"}
    for label, amount in costs.items():
        page.get_by_label(optional(label)).fill(amount)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Đã lưu.")).to_be_visible()
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_text("Đã gửi Sở duyệt.")).to_be_visible()
    vacancy = Vacancy.objects.get(title="Lao động lắp ráp tại Hàn Quốc (EPS)")

    page.context.clear_cookies()
    sign_in(page, live_server, officer.username)
    page.locator(f"#vacancy-{vacancy.pk}").get_by_role("button", name="Duyệt").click()
    expect(page.locator(f"#vacancy-{vacancy.pk}")).to_have_count(0)

    # The worker finds it with its own trust line, and applies.
    page.context.clear_cookies()
    sign_in(page, live_server, PHONE)
    page.goto(f"{live_server.url}/vacancies/?q=lap+rap+han+quoc")
    for _attempt in range(20):  # indexed by the Celery worker after the approval commits
        if page.get_by_role("link", name="Lao động lắp ráp tại Hàn Quốc (EPS)").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    result = page.locator(".result", has=page.get_by_role("link", name="Lao động lắp ráp tại Hàn Quốc (EPS)"))
    expect(result).to_contain_text("Chương trình của Nhà nước: Chương trình EPS Hàn Quốc (visa E-9)")
    look("state-programme-results")
    result.get_by_role("link", name="Lao động lắp ráp tại Hàn Quốc (EPS)").click()
    expect(page.locator(".trust-box")).to_contain_text("không phí dịch vụ, không qua môi giới")
    page.get_by_role("button", name="Ứng tuyển việc này").click()
    application = Application.objects.get(worker=worker, vacancy=vacancy)
    for status in ["shortlisted", "interviewed", "offered"]:  # the centre's interviews, as the API records them
        candidates.application_move(application=application, by=staff, status=status)

    # The checklist: the worker's part...
    page.goto(f"{live_server.url}/me/profile/certificates/")
    page.get_by_label("Loại").select_option("orientation")
    page.get_by_label("Trường hoặc trung tâm cấp").fill("Trung tâm Lao động ngoài nước")
    page.get_by_label("Ngày cấp").fill((timezone.localdate() - timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Thêm", exact=True).click()
    page.goto(f"{live_server.url}/me/applications/")
    page.get_by_role("link", name="Trước khi đi: danh mục trước xuất cảnh").click()
    expect(page.locator("#missing")).to_contain_text("Chưa có thị thực.")
    page.get_by_label(optional("Chứng chỉ bồi dưỡng kiến thức cần thiết")).select_option(index=1)
    page.get_by_label(optional("Ngày khám sức khỏe")).fill(timezone.localdate().isoformat())
    page.get_by_label(optional("Giấy khám sức khỏe có hiệu lực đến")).fill(
        (timezone.localdate() + timedelta(days=180)).isoformat()
    )
    page.get_by_label(optional("Mức lương tháng ghi trong hợp đồng đã ký")).fill("42000000")
    page.get_by_label(optional("Thời hạn ghi trong hợp đồng đã ký (tháng)")).fill("36")
    page.get_by_label("Tôi xác nhận mức lương và thời hạn trên đúng với hợp đồng tôi đã ký.").check()
    look("departure-checklist")
    page.get_by_role("button", name="Lưu danh mục").click()
    expect(page.get_by_text("Đã lưu danh mục.")).to_be_visible()
    expect(page.locator("#missing")).not_to_contain_text("xác nhận mức lương")

    # ... the centre's part, then "departed" on the applicants page.
    page.context.clear_cookies()
    sign_in(page, live_server, staff.username)
    page.goto(f"{live_server.url}/org/vacancies/{vacancy.pk}/applicants/")
    page.get_by_role("link", name="Danh mục trước xuất cảnh").click()
    page.get_by_label(optional("Số thị thực")).fill("E9-2026-0042")
    page.get_by_role("button", name="Lưu danh mục").click()
    expect(page.locator("#complete")).to_be_visible()
    page.goto(f"{live_server.url}/org/vacancies/{vacancy.pk}/applicants/")
    page.get_by_label("Bước tiếp theo").select_option("departed")
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_text("Đã ghi nhận bước mới.")).to_be_visible()
    placement = Placement.objects.get(application=application)

    # Before the return, the job at home that values work abroad does not say so.
    page.context.clear_cookies()
    sign_in(page, live_server, PHONE)
    page.goto(f"{live_server.url}/me/matches/")
    home_match = page.locator(".result", has=page.get_by_role("link", name=home.title))
    expect(home_match).not_to_contain_text("kinh nghiệm làm việc ở nước ngoài")

    # The centre's monthly list of returns, imported on the desk.
    returns = tmp_path / "ve-nuoc-thang-12.csv"
    day = timezone.localdate().strftime("%d/%m/%Y")
    returns.write_text(f"phone,returned_on,language,level\n{PHONE},{day},eps_topik,185\n", encoding="utf-8-sig")
    page.context.clear_cookies()
    sign_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/desk/imports/")
    page.get_by_label("Nội dung của tệp").select_option("returns")
    page.get_by_label("Tệp CSV hoặc XLSX").set_input_files(str(returns))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    for _attempt in range(40):  # the Celery worker imports it
        placement.refresh_from_db()
        if placement.returned_on:
            break
        page.wait_for_timeout(500)
    assert placement.return_recorded_by == "import"

    page.context.clear_cookies()
    sign_in(page, live_server, PHONE)
    page.goto(f"{live_server.url}/me/matches/")
    home_match = page.locator(".result", has=page.get_by_role("link", name=home.title))
    expect(home_match).to_contain_text("Nơi này coi trọng kinh nghiệm làm việc ở nước ngoài của bạn.")
    look("returnee-matches")
