"""A job fair clicked through in Chromium: an officer creates a fair, two employers join with vacancies, a
worker pre-registers and is checked in by the QR code on a phone-sized screen, the fair's hires are
imported and confirmed in bulk, and the dashboard's fair table and the 12.000 row move by the number
confirmed."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from desk.models import Target
from fairs.models import Fair
from jobs.models import Commune
from tests.browser.conftest import PHONE, optional, sign_in
from tests.conftest import qr_of
from tests.factories import VerifiedEmployerFactory, make_worker, member_of, published_vacancy

pytestmark = [pytest.mark.browser, pytest.mark.celery]


def figures(page, live_server) -> tuple[list[str], list[str]]:
    """The 12.000 row's count and the fair tables's rows, as the dashboard shows them."""
    page.goto(f"{live_server.url}/desk/dashboard/")
    new_jobs = page.locator("#table-targets tr").nth(1).locator("td").nth(1).inner_text()
    return new_jobs, page.locator("#table-fairs tbody tr").all_inner_texts()


def test_an_officer_creates_a_fair_employers_join_a_worker_is_checked_in_by_qr_and_the_hires_are_counted(
    page, live_server, actors, celery_worker, look
):
    Target.objects.create(year=timezone.localdate().year, indicator="new_jobs", value=12_000)
    second_org = VerifiedEmployerFactory(name="Công ty May Quảng Trị")
    second = member_of(second_org)
    employers = [(actors.employer, actors.employer_org, "Thợ hàn kết cấu thép"), (second, second_org, "Thợ may")]
    for user, organisation, title in employers:
        published_vacancy(organisation, title=title, officer=actors.officer)
    for phone, name in (("0912 000 901", "Lê Thị Hoa"), ("0912 000 902", "Trần Thị Lan")):
        make_worker(phone, full_name=name, born=date(1999, 6, 1), sex="female")

    # The officer creates the fair, on a laptop.
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, actors.officer.username)
    new_jobs_before, _fairs = figures(page, live_server)
    page.goto(f"{live_server.url}/desk/fairs/new")
    page.get_by_label("Tiêu đề").fill("Phiên giao dịch việc làm tháng 12")
    page.get_by_label("Ngày", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_label(optional("Xã, phường")).select_option(str(Commune.objects.get(name="Đông Hà").pk))
    page.get_by_label(optional("Địa chỉ")).fill("133 Lý Thường Kiệt")
    page.get_by_role("button", name="Tạo phiên giao dịch").click()
    expect(page.get_by_role("heading", name="Phiên giao dịch việc làm tháng 12")).to_be_visible()
    fair = Fair.objects.get()
    page.context.clear_cookies()

    # Two employers join, each with its vacancy.
    for user, organisation, title in employers:
        sign_in(page, live_server, user.username)
        page.goto(f"{live_server.url}/fairs/{fair.pk}/")
        page.get_by_role("link", name=f"Tham gia với {organisation.name}").click()
        page.get_by_label(title).check()
        page.get_by_role("button", name="Tham gia", exact=True).click()
        expect(page.get_by_text("Đơn vị của bạn đã tham gia phiên giao dịch này.")).to_be_visible()
        page.context.clear_cookies()
    page.goto(f"{live_server.url}/fairs/")
    page.get_by_role("link", name="Phiên giao dịch việc làm tháng 12").click()
    expect(page.locator("#participants > li")).to_have_count(2)
    look("fair")

    # The worker pre-registers on a phone and shows the ticket.
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "0912 000 901")
    page.goto(f"{live_server.url}/fairs/{fair.pk}/")
    page.get_by_role("button", name="Đăng ký bằng tài khoản của tôi").click()
    expect(page.get_by_role("heading", name="Vé của bạn")).to_be_visible()
    qr = page.get_by_role("img", name="Mã QR để điểm danh")
    expect(qr).to_be_visible()
    page.wait_for_function("() => document.getElementById('ticket-qr').naturalWidth > 0")
    look("fair-ticket")
    token = page.url.rstrip("/").rsplit("/", 1)[-1]
    check_in_url = f"{live_server.url}/desk/fairs/check-in/{token}"
    svg = page.request.get(f"{live_server.url}/fairs/tickets/{token}/qr.svg").body()
    assert svg == qr_of(check_in_url)  # the QR carries that address
    page.context.clear_cookies()

    # The officer's phone opens the address the QR code carries and checks the worker in.
    sign_in(page, live_server, actors.officer.username)
    page.goto(check_in_url)
    expect(page.get_by_text("Lê Thị Hoa")).to_be_visible()
    page.get_by_role("button", name="Điểm danh").click()
    expect(page.locator("#checked-in")).to_contain_text("Đã điểm danh lúc")
    look("fair-check-in")

    # The fair's hires are imported on the desk, then confirmed in bulk on the queue.
    page.set_viewport_size({"width": 1366, "height": 768})
    vacancies = {title: pk for _u, org, title in employers for pk in org.vacancies.values_list("pk", flat=True)}
    rows = [
        f"{fair.pk},{vacancies['Thợ hàn kết cấu thép']},0912 000 901,tuyển",
        f"{fair.pk},{vacancies['Thợ may']},0912 000 902,tuyển",
    ]
    csv = "fair,vacancy,phone,result\n" + "\n".join(rows) + "\n"
    page.goto(f"{live_server.url}/desk/imports/")
    page.get_by_label("Nội dung của tệp").select_option("placements")
    page.get_by_label("Tệp CSV hoặc XLSX").set_input_files(
        {"name": "ket-qua-phien.csv", "mimeType": "text/csv", "buffer": csv.encode()}
    )
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nhập", timeout=30_000)
    page.goto(f"{live_server.url}/desk/queues/")
    for name in ("Lê Thị Hoa", "Trần Thị Lan"):
        page.locator("li.item").filter(has_text=name).get_by_label("Đánh dấu để xác nhận").check()
    page.get_by_role("button", name="Xác nhận các kết quả đã đánh dấu").click()
    expect(page.get_by_text("Đã xác nhận: 2.")).to_be_visible()

    new_jobs_after, fair_rows = figures(page, live_server)
    assert int(new_jobs_after) == int(new_jobs_before) + 2
    assert fair_rows == [f"Phiên giao dịch việc làm tháng 12 ({fair.held_on:%d/%m/%Y})\t1\t1\t2\t2"]
    look("desk-dashboard-fairs")
