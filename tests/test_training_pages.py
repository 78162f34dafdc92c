"""The training pages through Django's client: without JavaScript, errors in Vietnamese next to their
field with nothing written, another organisation's records a 404, the officers' review."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from tests.factories import VerifiedInstitutionFactory, course_fields, member_of, published_course, signed_in, signed_up
from training import services as training
from training.models import Course, Enrolment


@pytest.fixture
def institution(actors):
    organisation = VerifiedInstitutionFactory()
    actors.institution = member_of(organisation)
    return organisation


def form_data(**overrides):
    fields = course_fields(**overrides)
    data = {**fields, "occupation": fields["occupation"].pk, "commune": fields["commune"].pk}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def test_a_course_ending_before_it_starts_is_refused_next_to_the_field(client, actors, institution):
    client.force_login(actors.institution)
    today = timezone.localdate()
    response = client.post(f"/org/{institution.pk}/courses/new/", form_data(end_date=today + timedelta(days=1)))

    assert response.status_code == 400
    assert 'id="id_end_date_error">Khóa học kết thúc trước khi bắt đầu.' in response.content.decode()
    assert not Course.objects.exists()

    response = client.post(f"/org/{institution.pk}/courses/new/", form_data())
    course = Course.objects.get()
    assert response.status_code == 302 and course.status == "draft"
    client.post(f"/org/courses/{course.pk}/submit")
    assert Course.objects.get().status == "pending_review"


def test_a_worker_enrols_without_javascript_and_is_refused_a_second_time(client, api, actors, institution):
    course = published_course(institution, officer=actors.officer)
    signed_up(api, "0912 000 901")
    client.force_login(User.objects.get(phone="+84912000901"))
    page = client.get(f"/courses/{course.pk}/").content.decode()
    assert "Đăng ký học" in page and "Hỗ trợ cho nhóm ưu tiên" not in page  # no rules loaded in this test

    response = client.post(f"/courses/{course.pk}/enrol")
    assert response.status_code == 302 and response["Location"] == "/me/courses/"
    assert "đã đăng ký học" in client.get("/me/courses/").content.decode()
    assert client.post(f"/courses/{course.pk}/enrol").status_code == 400  # once is enough
    client.post(f"/me/courses/{Enrolment.objects.get().pk}/withdraw")
    assert Enrolment.objects.get().status == "withdrawn"
    assert client.post(f"/courses/{course.pk}/enrol").status_code == 302  # and back, on the same row
    assert Enrolment.objects.get().status == "applied"
    client.post(f"/me/courses/{Enrolment.objects.get().pk}/withdraw")

    Course.objects.filter(pk=course.pk).update(start_date=timezone.localdate())
    response = client.post(f"/courses/{course.pk}/enrol")
    assert response.status_code == 400
    assert "Khóa học đã bắt đầu; đã hết hạn đăng ký." in response.content.decode()


def test_a_completion_for_someone_not_enrolled_is_refused_on_the_page(client, api, actors, institution):
    course = published_course(institution, officer=actors.officer)
    signed_up(api, "0912 000 902").post(f"/api/v1/courses/{course.pk}/enrol")
    enrolment = Enrolment.objects.get()
    client.force_login(actors.institution)

    response = client.post(f"/org/enrolments/{enrolment.pk}/complete", {"passed": "1"})

    assert response.status_code == 400
    assert "Người này chưa được nhận vào khóa học." in response.content.decode()
    assert Enrolment.objects.get().status == "applied"


def test_another_organisations_course_pages_are_not_found(client, actors, institution):
    course = training.course_create(organisation=institution, by=actors.institution, **course_fields())
    client.force_login(actors.employer)
    for url in (f"/org/courses/{course.pk}/", f"/org/courses/{course.pk}/enrolments/", f"/courses/{course.pk}/"):
        assert client.get(url).status_code == 404


def test_officers_review_courses_on_their_page_and_no_one_else(client, actors, institution):
    course = training.course_submit(
        course=training.course_create(organisation=institution, by=actors.institution, **course_fields()),
        by=actors.institution,
    )
    client.force_login(actors.institution)
    assert client.get("/desk/courses/").status_code == 403

    signed_in(client, actors.officer)
    assert course.title in client.get("/desk/courses/").content.decode()
    client.post(f"/desk/courses/{course.pk}", {"decision": "reject", "reason": ""})
    assert Course.objects.get().status == "pending_review"  # a rejection needs its reason
    client.post(f"/desk/courses/{course.pk}", {"decision": "approve"})
    assert Course.objects.get().status == "published"
