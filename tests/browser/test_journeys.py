"""The journeys people make, clicked through in Chromium: a worker on a phone finds welding work abroad,
signs up, fills in the profile and applies; an agency posts an overseas vacancy above the fee cap, is
refused, fixes it and submits; an officer approves it on the desk and it appears in search; a placement
an officer confirms is counted on the dashboard."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from candidates import services as candidates
from candidates.models import Application
from desk.models import Target
from jobs.models import Commune, Occupation, Vacancy
from tests.browser.conftest import optional, sign_in
from tests.conftest import code_sent_to
from tests.factories import (
    PASSWORD,
    OfficerFactory,
    contract_for,
    make_worker,
    overseas_fields,
    published_vacancy,
)

pytestmark = [pytest.mark.browser, pytest.mark.search]


@pytest.fixture
def vacancies(actors, index):
    """A welding job abroad (Japan) and one at home, published and searchable."""
    contract = contract_for(actors.agency_org)
    fields = overseas_fields(contract, title="Thực tập sinh hàn bán tự động tại Aichi")
    fields["languages"] = [{"framework": "jlpt", "level": "N4"}]
    abroad = published_vacancy(actors.agency_org, fields, officer=actors.officer)
    published_vacancy(actors.employer_org, title="Tuyển thợ hàn CO2", officer=actors.officer)
    index()
    return abroad


def test_a_worker_on_a_phone_finds_work_abroad_signs_up_fills_in_the_profile_and_applies(
    page, live_server, vacancies, look, providers
):
    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Tìm việc làm trong tỉnh và ở nước ngoài")).to_be_visible()
    search = page.get_by_label("Công việc bạn đang tìm (gõ có dấu hoặc không dấu đều được)")
    search.press_sequentially("tho han", delay=40)
    expect(page.locator("#suggestions option").first).to_be_attached()  # typeahead, through HTMX
    look("home")
    search.press("Enter")

    expect(page.get_by_role("heading", name="2 việc làm")).to_be_visible()
    look("results")
    page.get_by_label("Nước ngoài").check()
    page.get_by_role("button", name="Xem việc làm").click()
    expect(page.get_by_role("heading", name="1 việc làm")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Giấy phép .* \(còn hiệu lực\)"))).to_be_visible()
    page.get_by_role("link", name="Thực tập sinh hàn bán tự động tại Aichi").click()

    expect(page.get_by_role("heading", name="Bạn phải trả những gì")).to_be_visible()
    expect(page.get_by_text("mức trần theo luật cho hợp đồng này là 60.000.000 đ")).to_be_visible()
    look("vacancy")
    page.get_by_role("button", name="Ứng tuyển việc này").click()

    expect(page).to_have_url(re.compile(r"/signup/"))
    page.get_by_label("Số điện thoại di động").fill("0912 345 678")
    page.get_by_label("Mật khẩu (ít nhất 8 ký tự)").fill("123")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.locator("#id_password_error")).to_contain_text("Mật khẩu này quá ngắn")  # refused, next to it
    look("signup")
    page.get_by_label("Mật khẩu (ít nhất 8 ký tự)").fill(PASSWORD)
    page.get_by_role("button", name="Tạo tài khoản").click()

    expect(page.get_by_role("heading", name="Nhập mã chúng tôi vừa gửi")).to_be_visible()
    look("signup-code")
    page.get_by_label("Mã xác minh (6 chữ số, trong tin nhắn SMS)").fill(code_sent_to(providers, "0912 345 678"))
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page.get_by_role("heading", name="Bước 1/5: Về bạn")).to_be_visible()
    page.get_by_label("Họ và tên").fill("Lê Văn Tâm")
    page.get_by_label("Ngày sinh").fill("1999-04-12")
    page.get_by_label("nam", exact=True).check()
    page.get_by_label("Xã, phường nơi bạn sống").select_option(label="Phường Đông Hà")
    page.get_by_label("Trình độ học vấn").select_option("upper_secondary")
    look("profile")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    expect(page.get_by_role("heading", name="Bước 2/5: Chứng chỉ")).to_be_visible()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_role("heading", name="Bước 3/5: Ngoại ngữ")).to_be_visible()
    page.get_by_label("Cấp độ hoặc điểm (ví dụ N4, A2, 150)").fill("N4")
    page.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.get_by_role("button", name="Xóa JLPT N4")).to_be_visible()
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    expect(page.get_by_role("heading", name="Bước 4/5: Công việc mong muốn")).to_be_visible()
    page.get_by_label("Công việc bạn muốn").select_option(label="7212 Thợ hàn và thợ cắt kim loại")
    page.get_by_label("Tôi muốn đi làm việc ở nước ngoài").check()
    page.get_by_label("Nhật Bản").check()
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    expect(page.get_by_role("heading", name="Bước 5/5: Sự đồng ý của bạn")).to_be_visible()
    page.get_by_label("Cho phép nhà tuyển dụng tìm thấy tôi").check()
    look("consents")
    page.get_by_role("button", name="Lưu và hoàn tất").click()

    expect(page.get_by_role("heading", name="Vì sao việc này hợp với bạn")).to_be_visible()
    expect(page.get_by_text("Đúng công việc bạn đang tìm.")).to_be_visible()
    look("vacancy-fit")
    page.get_by_role("button", name="Ứng tuyển việc này").click()

    expect(page.get_by_role("heading", name="Đơn ứng tuyển của tôi")).to_be_visible()
    expect(page.get_by_text("Trạng thái: đã nộp")).to_be_visible()
    look("my-applications")
    worker = User.objects.get(phone="+84912345678").worker
    assert Application.objects.get(worker=worker).vacancy == vacancies

    page.get_by_role("link", name="Việc phù hợp").click()
    expect(page.get_by_role("link", name="Thực tập sinh hàn bán tự động tại Aichi")).to_be_visible()
    look("my-matches")


def test_an_agency_is_refused_above_the_cap_fixes_it_and_an_officer_publishes_it(
    page, live_server, actors, search_index, celery_worker, look
):
    contract = contract_for(actors.agency_org)  # 20.000.000 đ a month for 36 months: the cap is 60.000.000 đ
    page.set_viewport_size({"width": 1366, "height": 768})

    sign_in(page, live_server, actors.agency.username)
    expect(page.get_by_role("heading", name=actors.agency_org.name)).to_be_visible()
    page.get_by_role("link", name="Đăng tin tuyển dụng").click()

    page.get_by_label("Tiêu đề").fill("Kỹ sư hàn đi Nagoya")
    page.get_by_label("Mô tả công việc").fill("Hàn kết cấu thép, hợp đồng 3 năm.")
    page.get_by_label("Nghề").select_option(label="7212 Thợ hàn và thợ cắt kim loại")
    page.get_by_label("Số lượng cần tuyển").fill("4")
    page.get_by_label("Loại hợp đồng").select_option("overseas")
    page.get_by_label("Ở nước ngoài, theo hợp đồng cung ứng lao động đã được chấp thuận").check()
    page.get_by_label("Hợp đồng cung ứng lao động đã được chấp thuận (làm việc ở nước ngoài)").select_option(
        str(contract.pk)
    )
    page.get_by_label("Lương tháng từ").fill("20000000")
    page.get_by_label("Lương tháng đến").fill("20000000")
    page.get_by_label("Hạn nộp hồ sơ").fill((timezone.localdate() + timedelta(days=20)).isoformat())
    page.get_by_label("Người liên hệ").fill("Phòng tuyển dụng")
    page.get_by_label("Điện thoại liên hệ").fill("0232 3822 000")
    page.get_by_label("Thời hạn hợp đồng (tháng)").fill("36")
    costs = {"Tiền dịch vụ": "90000000", "Tiền ký quỹ (được hoàn trả)": "0", "Học phí đào tạo, ngoại ngữ": "8000000"}
    costs |= {"Hộ chiếu và thị thực": "3000000", "Khám sức khỏe": "1500000", "Vé máy bay": "0"}
    costs |= {"Chi phí khác": "0", "Tiền môi giới": "0"}
    for label, amount in costs.items():
        page.get_by_label(optional(label)).fill(amount)
    # The fee check answers as the costs are typed, before anything is saved.
    expect(page.locator("#fee-check")).to_contain_text("vượt mức trần theo quy định")
    expect(page.locator("#fee-check")).to_contain_text("60.000.000 đ")
    look("vacancy-form")
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page.get_by_text("Đã lưu.")).to_be_visible()
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_text("Chưa gửi duyệt được:")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("vượt mức trần theo quy định là 60.000.000 đ")
    page.get_by_label(optional("Tiền dịch vụ")).fill("60000000")
    expect(page.locator("#fee-check")).to_contain_text("trong mức trần theo quy định")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_text("Đã gửi Sở duyệt.")).to_be_visible()
    expect(page.get_by_text("Trạng thái: chờ duyệt")).to_be_visible()
    vacancy = Vacancy.objects.get(title="Kỹ sư hàn đi Nagoya")

    officer = OfficerFactory()  # an officer of the department, not an admin
    page.context.clear_cookies()
    sign_in(page, live_server, officer.username)
    expect(page.get_by_role("heading", name="Việc cần xử lý")).to_be_visible()  # officers land on the desk
    look("desk-queues")
    page.locator(f"#vacancy-{vacancy.pk}").get_by_role("button", name="Duyệt").click()
    expect(page.locator(f"#vacancy-{vacancy.pk}")).to_have_count(0)

    page.goto(f"{live_server.url}/vacancies/?q=ky+su+han+nagoya")
    for _attempt in range(20):  # indexed by the Celery worker after the approval commits
        if page.get_by_role("link", name="Kỹ sư hàn đi Nagoya").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(page.get_by_role("link", name="Kỹ sư hàn đi Nagoya")).to_be_visible()
    expect(page.get_by_text(re.compile(r"kiểm tra chi phí: trong mức trần theo quy định"))).to_be_visible()


def test_an_officer_confirms_a_placement_and_the_dashboard_counts_it(page, live_server, actors, look):
    officer = OfficerFactory()
    today = timezone.localdate()
    Target.objects.create(year=today.year, indicator="new_jobs", value=12_000)
    placement = candidates.placement_record(
        by=officer,
        source="job_fair",
        placed_on=today,
        is_abroad=False,
        occupation=Occupation.objects.get(code="7212"),
        commune=Commune.objects.get(name="Đông Hà"),
        sex="female",
        age_band="25-34",
    )
    sign_in(page, live_server, officer.username)

    page.locator(f"#placement-{placement.pk}").get_by_role("button", name="Xác nhận").click()
    expect(page.locator(f"#placement-{placement.pk}")).to_have_count(0)
    page.goto(f"{live_server.url}/desk/dashboard/")

    new_jobs = page.locator("#table-targets tr").nth(1)
    expect(new_jobs).to_contain_text("mới giải quyết việc làm")
    expect(new_jobs.locator("td").nth(1)).to_have_text("1")  # one confirmed placement of 12.000
    look("desk-dashboard")


def test_the_switch_gives_english_and_back(page, live_server, vacancies, look):
    page.goto(f"{live_server.url}/vacancies/?q=tho+han")
    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", name="2 vacancies")).to_be_visible()
    expect(page.get_by_role("button", name="Show vacancies")).to_be_visible()
    look("results-english")
    page.get_by_role("link", name="Thực tập sinh hàn bán tự động tại Aichi").click()
    expect(page.get_by_role("heading", name="What it costs you")).to_be_visible()
    look("vacancy-english")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", name="Bạn phải trả những gì")).to_be_visible()


def test_the_organisation_and_personal_data_pages_pass_axe(page, live_server, actors, index, look):
    vacancy = published_vacancy(actors.employer_org, title="Tuyển thợ hàn CO2", officer=actors.officer)
    worker = make_worker()  # a welder, as the vacancy asks
    candidates.consent_set(worker=worker, purpose="be_found", granted=True)
    candidates.apply(worker=worker, vacancy=vacancy)
    index()

    page.goto(f"{live_server.url}/signin/")
    look("signin")
    sign_in(page, live_server, actors.employer.username)
    expect(page.get_by_text("Xác minh: đã xác minh")).to_be_visible()
    look("organisation")
    page.get_by_role("link", name="1 người ứng tuyển").click()
    expect(page.get_by_text("Nguyễn Văn Hùng")).to_be_visible()
    look("applicants")
    page.get_by_label("Bước tiếp theo").select_option("shortlisted")
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_text("Bước: vào danh sách ngắn")).to_be_visible()
    page.goto(f"{live_server.url}/org/vacancies/{vacancy.pk}/candidates/")
    expect(page.get_by_text("Nguyễn Văn Hùng · +84912345678")).to_be_visible()  # applied: open
    look("candidates")
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live_server, "0912345678", then="/me/data/")
    expect(page.get_by_role("heading", name="Xóa tài khoản của tôi")).to_be_visible()
    look("my-data")
