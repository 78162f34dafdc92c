"""Safe work abroad, clicked through in Chromium (issue 17): a worker checks an agency by licence number and
sees its suspension; they report a broker who is not on the portal and follow the case with the code; an
officer resolves it with a fine, and the agency check shows it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from desk import cases
from desk.models import Case
from tests.browser.conftest import sign_in
from tests.factories import OfficerFactory

pytestmark = [pytest.mark.browser]


def test_a_worker_checks_an_agency_reports_a_broker_and_follows_the_case_an_officer_fines_it(
    page, browser, live_server, actors, look
):
    today = timezone.localdate()
    agency = actors.agency_org
    suspended = cases.case_report(organisation=agency, reason="brokerage", details="Thu phí môi giới.", by=None)
    cases.case_move(
        case=suspended,
        by=actors.officer,
        status="resolved",
        note="Đã xác minh.",
        sanction={
            "kind": "suspension",
            "decision_number": "12/QĐ-XPHC",
            "decided_on": today,
            "until": today + timedelta(days=90),
        },
    )

    # The worker checks the agency by its licence number, on a phone.
    page.goto(f"{live_server.url}/desk/agencies/")
    page.get_by_label("Tên, số giấy phép hoặc mã số thuế của doanh nghiệp").fill(agency.licence_number)
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_text("bị đình chỉ", exact=True)).to_be_visible()
    expect(page.get_by_text(f"bị đình chỉ từ {today:%d/%m/%Y}")).to_be_visible()
    expect(page.get_by_text(re.compile("không trả tiền cho bất kỳ ai"))).to_be_visible()
    expect(page.get_by_role("link", name="113")).to_be_visible()
    look("agency-check-suspended")

    # A broker met at the market is not on the portal: the worker reports them and keeps the code.
    page.get_by_label("Tên, số giấy phép hoặc mã số thuế của doanh nghiệp").fill("Chị Hoa đi Đài Loan")
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_text(re.compile("Không có doanh nghiệp được cấp phép nào"))).to_be_visible()
    page.get_by_role("link", name="Báo cáo người môi giới hoặc doanh nghiệp không có trên cổng").click()
    expect(page.get_by_label("Tên người môi giới hoặc doanh nghiệp")).to_have_value("Chị Hoa đi Đài Loan")
    page.get_by_label("Số điện thoại của họ").fill("0987 111 222")
    page.get_by_label("Nơi họ hoạt động hoặc gặp bạn (xã, Facebook, Zalo…)").fill("Chợ Đông Hà")
    page.get_by_label("Vì sao bạn báo cáo?").select_option("trafficking")
    page.get_by_label("Họ đã đòi bạn những gì (tiền, giấy tờ, tiền đặt cọc…)").fill(
        "Đòi 60 triệu đặt cọc, giữ căn cước."
    )
    look("broker-report")
    page.get_by_role("button", name="Gửi phản ánh").click()
    code = page.locator("#follow-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)

    page.get_by_role("link", name="Theo dõi báo cáo của bạn").click()
    page.get_by_label("Mã bạn nhận được khi báo cáo").fill(code.lower())
    page.get_by_role("button", name="Xem vụ việc").click()
    expect(page.get_by_text("Báo cáo của bạn về Chị Hoa đi Đài Loan")).to_be_visible()
    expect(page.locator("dd strong", has_text="mới")).to_be_visible()
    look("case-followed")

    # An officer resolves it with a fine, on a laptop, in a session of their own.
    officer = OfficerFactory()
    desk = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh").new_page()
    sign_in(desk, live_server, officer.username)
    case = Case.objects.get(broker_name="Chị Hoa đi Đài Loan")
    desk.goto(f"{live_server.url}/desk/cases/{case.pk}/")
    desk.get_by_label("Trạng thái mới").select_option("resolved")
    desk.get_by_label("Ghi chú của cán bộ (người báo cáo đọc được bằng mã theo dõi)").fill("Đã chuyển Công an xã.")
    desk.get_by_label("Hình thức xử phạt").select_option("fine")
    desk.get_by_label("Ngày quyết định (dd/mm/yyyy)").fill(f"{today:%d/%m/%Y}")
    desk.get_by_label("Số tiền phạt (đồng)").fill("50000000")
    desk.get_by_role("button", name="Lưu").click()
    expect(desk.get_by_text("Nhập số quyết định xử phạt.")).to_be_visible()  # refused, nothing written
    desk.get_by_label("Số quyết định").fill("45/QĐ-XPHC")
    desk.get_by_role("button", name="Lưu").click()
    expect(desk.get_by_text(re.compile("Phạt tiền 50.000.000 đ"))).to_be_visible()
    desk.context.close()

    # The agency check now shows the fine against the name, and the worker's code shows the outcome.
    page.goto(f"{live_server.url}/desk/agencies/?q=chi+hoa+di+dai+loan")
    expect(page.get_by_text(re.compile(r"Phạt tiền 50\.000\.000 đ — quyết định 45/QĐ-XPHC"))).to_be_visible()
    page.goto(f"{live_server.url}/desk/follow/")
    page.get_by_label("Mã bạn nhận được khi báo cáo").fill(code)
    page.get_by_role("button", name="Xem vụ việc").click()
    expect(page.locator("dd strong", has_text="đã giải quyết")).to_be_visible()
    expect(page.get_by_text("Đã chuyển Công an xã.")).to_be_visible()
    look("case-resolved")
