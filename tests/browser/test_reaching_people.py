"""Reaching people, clicked through in Chromium: a worker signs up with the code the local SMS server
received, another resets a forgotten password, a worker registered at a job fair claims the account and
finds the profile the Centre entered, and an employer's move of an application reaches the worker by SMS."""

import re

import pytest
from playwright.sync_api import expect

from accounts.services import worker_create
from candidates import services as candidates
from tests.browser.conftest import sign_in
from tests.conftest import code_sent_to, eventually, run_command, sent_to_providers
from tests.factories import PASSWORD, WORKER_HEADER, OfficerFactory, as_csv, make_worker, published_vacancy, worker_row

pytestmark = pytest.mark.browser


def type_code(page, providers, phone):
    expect(page.get_by_role("heading", name=re.compile("Nhập mã chúng tôi vừa gửi|Chọn mật khẩu mới"))).to_be_visible()
    page.get_by_label("Mã xác minh (6 chữ số, trong tin nhắn SMS)").fill(code_sent_to(providers, phone))


def test_a_worker_resets_a_forgotten_password_with_the_code_from_the_sms(page, live_server, providers, look):
    worker_create(phone="0912 000 401", password=PASSWORD)

    page.goto(f"{live_server.url}/signin/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.get_by_label("Số điện thoại di động").fill("0912 000 401")
    look("password-reset")
    page.get_by_role("button", name="Gửi mã cho tôi").click()
    type_code(page, providers, "0912 000 401")
    page.get_by_label("Mật khẩu mới (ít nhất 8 ký tự)").fill("matkhau-moi-2026")
    look("password-reset-code")
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page.get_by_text("Đã đặt mật khẩu mới; bạn đã đăng nhập.")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, live_server, "0912000401", password="matkhau-moi-2026")
    expect(page.get_by_role("link", name="Đăng xuất").or_(page.get_by_role("button", name="Đăng xuất"))).to_be_visible()


def test_a_worker_registered_at_a_job_fair_claims_the_account_and_finds_the_profile(
    page, live_server, reference, providers, tmp_path
):
    run_command("workers", as_csv([worker_row(7)], WORKER_HEADER, tmp_path), OfficerFactory())

    page.goto(f"{live_server.url}/signup/")
    page.get_by_label("Số điện thoại di động").fill("0912 000 007")
    page.get_by_label("Mật khẩu (ít nhất 8 ký tự)").fill(PASSWORD)
    page.get_by_role("button", name="Tạo tài khoản").click()
    type_code(page, providers, "0912 000 007")
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page.get_by_label("Họ và tên")).to_have_value("Nguyễn Văn An 7")  # the Centre's entry, now theirs
    expect(page.get_by_label("Ngày sinh")).to_have_value("1995-05-17")


def test_an_employer_moves_an_application_and_the_worker_gets_an_sms(
    page, live_server, actors, celery_worker, providers
):
    vacancy = published_vacancy(actors.employer_org, title="Tuyển thợ hàn CO2", officer=actors.officer)
    candidates.apply(worker=make_worker("0912 000 501"), vacancy=vacancy)

    sign_in(page, live_server, actors.employer.username)
    page.goto(f"{live_server.url}/org/vacancies/{vacancy.pk}/applicants/")
    page.get_by_label("Bước tiếp theo").select_option("shortlisted")
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_text("Bước: vào danh sách ngắn")).to_be_visible()

    def sms():  # sent by the Celery worker after the move committed
        return [m["text"] for m in sent_to_providers(providers) if m["to"] == "0912000501"]

    assert eventually(sms)
    assert sms()[0].startswith('Ho so ung tuyen "Tuyen tho han CO2" cua ban: vao danh sach ngan.')
