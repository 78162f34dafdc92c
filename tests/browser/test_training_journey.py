"""From "missing" to a course, clicked through in Chromium: a worker whose match says a certificate is
missing follows the link to a course and enrols; the institution accepts and records the completion; the
same vacancy then shows nothing missing, and the dashboard's enrolment rows moved by one."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from desk.models import Target
from tests.browser.conftest import sign_in
from tests.factories import VerifiedInstitutionFactory, make_worker, member_of, published_course, published_vacancy
from training.models import Course

pytestmark = [pytest.mark.browser, pytest.mark.search]


def enrolled_and_completed(page, live_server) -> list[str]:
    page.goto(f"{live_server.url}/desk/dashboard/")
    return page.locator("#table-training_level tr").nth(4).locator("td").all_inner_texts()[:2]


def test_a_missing_certificate_leads_to_a_course_whose_completion_closes_the_gap(
    page, live_server, actors, index, look
):
    Target.objects.create(year=timezone.localdate().year, indicator="enrolment", value=9000)
    vacancy = published_vacancy(
        actors.employer_org, title="Thợ hàn có chứng chỉ sơ cấp", training_level="elementary", officer=actors.officer
    )
    centre = VerifiedInstitutionFactory(name="Trung tâm GDNN - GDTX Hướng Hóa")
    teacher = member_of(centre)
    course = published_course(centre, officer=actors.officer, title="Hàn điện cơ bản (sơ cấp)")
    make_worker(full_name="Hồ Văn Pả", born=date(1998, 4, 2), commune="Khe Sanh", education="lower_secondary")
    index()

    sign_in(page, live_server, actors.officer.username)
    before = enrolled_and_completed(page, live_server)
    page.context.clear_cookies()

    sign_in(page, live_server, "0912 345 678")
    page.goto(f"{live_server.url}/vacancies/{vacancy.pk}/")
    missing = page.get_by_role("listitem").filter(has_text="Yêu cầu trình độ đào tạo: sơ cấp.")
    expect(missing).to_be_visible()
    look("vacancy-missing-training")
    missing.get_by_role("link", name="Khóa học bù được điều này").click()

    expect(page.get_by_role("link", name="Hàn điện cơ bản (sơ cấp)")).to_be_visible()
    look("courses-for-me")
    page.get_by_role("link", name="Hàn điện cơ bản (sơ cấp)").click()
    look("course")
    page.get_by_role("button", name="Đăng ký học").click()
    expect(page.get_by_text("Bạn đã đăng ký. Cơ sở đào tạo sẽ xác nhận việc nhập học.")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}/org/courses/{course.pk}/enrolments/")
    page.get_by_role("button", name="Nhận vào học").click()
    expect(page.get_by_text("Đã nhận vào học.")).to_be_visible()
    # Three months pass: the course is held and ends today.
    Course.objects.filter(pk=course.pk).update(
        start_date=timezone.localdate() - timedelta(days=80), end_date=timezone.localdate()
    )
    page.reload()
    page.get_by_label("hoàn thành và đạt: cấp chứng chỉ").check()
    page.get_by_label("Số hiệu chứng chỉ").fill("HH-2026-001")
    look("course-enrolments")
    page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.get_by_text("Đã ghi kết quả khóa học.")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, live_server, "0912 345 678")
    page.goto(f"{live_server.url}/vacancies/{vacancy.pk}/")
    expect(page.get_by_role("heading", name="Mức độ phù hợp với bạn")).to_be_visible()
    expect(page.get_by_role("heading", name="Bạn còn thiếu gì")).to_have_count(0)
    page.context.clear_cookies()

    sign_in(page, live_server, actors.officer.username)
    after = enrolled_and_completed(page, live_server)
    assert [int(n) for n in after] == [int(n) + 1 for n in before]
