"""Enrolment and completion lists through the desk's import path: all or nothing, and a report of row,
column and message; every enrolment rule applies to an imported row as to one typed on a page."""

from datetime import timedelta

import pytest

from candidates.models import Certificate
from desk.models import ImportJob
from desk.tasks import run_import
from tests.conftest import problems, run_command
from tests.factories import (
    OfficerFactory,
    VerifiedInstitutionFactory,
    as_csv,
    as_xlsx,
    member_of,
    published_course,
    signed_up,
)
from training.models import Enrolment

ENROLMENT_HEADER = ["course", "phone"]
COMPLETION_HEADER = ["course", "phone", "result", "completed_on", "serial_number"]


@pytest.fixture
def officer(reference):
    return OfficerFactory()


@pytest.fixture
def course(officer):
    institution = VerifiedInstitutionFactory()
    member_of(institution)
    return published_course(institution, officer=officer, seats=2)


def test_an_enrolment_list_is_imported_all_or_nothing_with_a_report_of_row_column_and_message(
    api, officer, course, tmp_path
):
    for phone in ("0912 000 701", "0912 000 702", "0912 000 703"):
        signed_up(api, phone)
    rows = [
        {"course": course.pk, "phone": "0912 000 701"},
        {"course": course.pk, "phone": "0912000701"},  # the same person again
        {"course": 99999, "phone": "0912 000 702"},
        {"course": course.pk, "phone": "0999 999 999"},
        {"course": course.pk, "phone": "0912 000 702"},
        {"course": course.pk, "phone": "0912 000 703"},  # a third seat of two
    ]

    ok, lines = run_command("enrolments", as_csv(rows, ENROLMENT_HEADER, tmp_path), officer)

    assert not ok
    assert problems(lines) == [
        ("3", "phone", "Cùng người và khóa học như dòng 2."),
        ("4", "course", "Không có khóa học nào mang số này."),
        ("5", "phone", "Chưa có người lao động nào đăng ký với số di động này."),
        ("7", "course", "Khóa học đã hết chỗ."),
    ]
    assert not Enrolment.objects.exists()  # all or nothing

    ok, lines = run_command("enrolments", as_xlsx(rows[:1] + rows[4:5], ENROLMENT_HEADER, tmp_path), officer)

    assert ok, lines
    assert sorted(Enrolment.objects.values_list("status", flat=True)) == ["accepted", "accepted"]


def test_a_completion_list_writes_verified_certificates_and_refuses_someone_not_enrolled(
    api, officer, course, tmp_path
):
    signed_up(api, "0912 000 801")
    signed_up(api, "0912 000 802")
    ok, lines = run_command(
        "enrolments", as_csv([{"course": course.pk, "phone": "0912 000 801"}], ENROLMENT_HEADER, tmp_path), officer
    )
    assert ok, lines
    course.start_date = course.start_date.replace(year=course.start_date.year - 1)
    course.save(update_fields=["start_date"])
    done = (course.start_date + timedelta(days=30)).strftime("%d/%m/%Y")
    rows = [
        {"course": course.pk, "phone": "0912 000 801", "result": "đạt", "completed_on": done, "serial_number": "SC-9"},
        {"course": course.pk, "phone": "0912 000 802", "result": "dat", "completed_on": done},
        {"course": course.pk, "phone": "0912 000 801", "result": "có lẽ", "completed_on": "31/02/2026"},
    ]

    ok, lines = run_command("completions", as_csv(rows, COMPLETION_HEADER, tmp_path), officer)

    assert not ok
    assert problems(lines) == [
        ("3", "phone", "Người này chưa được nhận vào khóa học."),
        ("4", "result", "Hãy ghi đạt hoặc không đạt."),
        ("4", "completed_on", "Ghi ngày theo dạng dd/mm/yyyy, ví dụ 27/11/2026."),
    ]
    assert not Certificate.objects.exists()

    ok, lines = run_command("completions", as_csv(rows[:1], COMPLETION_HEADER, tmp_path), officer)

    assert ok, lines
    certificate = Certificate.objects.get()
    assert (certificate.level, certificate.verified, certificate.serial_number) == ("elementary", True, "SC-9")
    assert Enrolment.objects.get().status == "completed"


def test_an_institution_imports_its_own_list_on_its_page_and_not_another_schools(
    client, api, actors, officer, course, tmp_path
):
    another_school = VerifiedInstitutionFactory()
    member_of(another_school)
    other = published_course(another_school, officer=officer)
    signed_up(api, "0912 000 951")
    rows = [{"course": course.pk, "phone": "0912 000 951"}, {"course": other.pk, "phone": "0912 000 951"}]
    school = course.organisation.memberships.get().user
    client.force_login(school)

    with as_csv(rows, ENROLMENT_HEADER, tmp_path).open("rb") as upload:
        response = client.post(f"/org/{course.organisation_id}/courses/import/", {"kind": "enrolments", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.created_by == school
    run_import(job.pk)  # what the Celery worker does once the upload commits

    report = client.get(response["Location"]).content.decode()
    assert "Khóa học này không thuộc đơn vị của bạn." in report
    assert not Enrolment.objects.exists()  # all or nothing

    client.force_login(actors.employer)
    with as_csv(rows[:1], ENROLMENT_HEADER, tmp_path).open("rb") as upload:
        refused = client.post(f"/org/{actors.employer_org.pk}/courses/import/", {"kind": "enrolments", "file": upload})
    assert refused.status_code == 403
    assert ImportJob.objects.count() == 1
