"""Training through the API: courses reviewed like vacancies, enrolment rules, completions that become
verified certificates matching uses at once, the bad input of issue 16, and the permission matrix."""

from datetime import timedelta

import pytest
from django.utils import timezone

from candidates.models import Certificate
from tests.factories import (
    VerifiedInstitutionFactory,
    course_fields,
    member_of,
    published_course,
    published_vacancy,
    signed_up,
)
from training import services as training
from training.models import Course, Enrolment

ACTORS = ["anonymous", "worker", "employer", "agency", "unlicensed_agency", "officer", "outsider", "institution"]


@pytest.fixture
def institution(actors):
    actors.institution_org = VerifiedInstitutionFactory()
    actors.institution = member_of(actors.institution_org)
    return actors.institution_org


def payload(institution, **overrides):
    fields = course_fields(**overrides)
    data = {**fields, "organisation": institution.pk, "occupation": fields["occupation"].code}
    data["commune"] = fields["commune"].code if fields["commune"] else None
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def test_a_course_is_published_through_the_vacancies_review(api, actors, institution):
    client = api(actors.institution)
    created = client.post("/api/v1/courses", payload(institution), format="json")
    assert created.status_code == 201, created.json()
    course = created.json()
    assert course["status"] == "draft"
    assert api().get(f"/api/v1/courses/{course['id']}").status_code == 404  # a draft is the institution's own

    assert client.post(f"/api/v1/courses/{course['id']}/submit").json()["status"] == "pending_review"
    assert client.post(f"/api/v1/courses/{course['id']}/approve").status_code == 403
    approved = api(actors.officer).post(f"/api/v1/courses/{course['id']}/approve")
    assert approved.json()["status"] == "published"
    public = api().get(f"/api/v1/courses/{course['id']}").json()
    assert public["seats_left"] == 20
    steps = list(Course.objects.get(pk=course["id"]).events.values_list("to_status", flat=True))
    assert steps == ["draft", "pending_review", "published"]
    again = api(actors.officer).post(f"/api/v1/courses/{course['id']}/approve")
    assert again.status_code == 400
    assert again.json() == {"status": ["Khóa học đang ở trạng thái “đã đăng” nên không thể chuyển sang “đã duyệt”."]}


def test_an_edited_course_goes_back_to_review_a_closed_one_is_not_edited_and_it_keeps_its_organisation(
    api, actors, institution
):
    course = published_course(institution, officer=actors.officer)
    client = api(actors.institution)

    edited = client.patch(f"/api/v1/courses/{course.pk}", {"seats": 25}, format="json")
    moved = client.patch(f"/api/v1/courses/{course.pk}", {"organisation": actors.employer_org.pk}, format="json")
    Course.objects.filter(pk=course.pk).update(status="closed")
    closed = client.patch(f"/api/v1/courses/{course.pk}", {"seats": 30}, format="json")

    assert (edited.status_code, edited.json()["status"]) == (200, "pending_review")
    assert list(course.events.values_list("from_status", "to_status"))[-1] == ("published", "pending_review")
    assert (moved.status_code, moved.json()) == (400, {"organisation": ["Không thể đổi sang tổ chức khác."]})
    assert closed.json() == {"status": ["Khóa học đang ở trạng thái “đã đóng” nên không thể chuyển sang “chỉnh sửa”."]}
    stored = Course.objects.get(pk=course.pk)
    assert (stored.organisation_id, stored.seats, stored.events.count()) == (institution.pk, 25, 4)


ENROLMENT_MOVES = {("applied", "accept"), ("applied", "withdraw"), ("accepted", "withdraw")}
ENROLMENT_MOVES |= {("accepted", "complete"), ("withdrawn", "enrol")}
ENROLMENT_REFUSALS = {
    "accept": {"status": ["Chỉ có thể nhận một đăng ký đang chờ."]},
    "withdraw": {"status": ["Lượt đăng ký này đã kết thúc."]},
    "complete": {"enrolment": ["Người này chưa được nhận vào khóa học."]},
    "enrol": {"course": ["Bạn đã đăng ký khóa học này rồi."]},
}


def test_every_move_the_enrolment_path_does_not_list_is_refused_and_nothing_is_written(api, actors, institution):
    course = published_course(institution, officer=actors.officer)
    worker = signed_up(api, "0912 000 301")
    pk = worker.post(f"/api/v1/courses/{course.pk}/enrol").json()["id"]
    owner, today = api(actors.institution), timezone.localdate().isoformat()
    moves = {
        "accept": lambda: owner.post(f"/api/v1/enrolments/{pk}/accept"),
        "withdraw": lambda: worker.post(f"/api/v1/enrolments/{pk}/withdraw"),
        "complete": lambda: owner.post(f"/api/v1/enrolments/{pk}/complete", {"passed": True, "completed_on": today}),
        "enrol": lambda: worker.post(f"/api/v1/courses/{course.pk}/enrol"),
    }

    def stored():
        return Enrolment.objects.values("status", "accepted_on", "completed_on", "certificate").get(pk=pk)

    refused = 0
    for status in Enrolment.Status.values:
        for move, make in moves.items():
            if (status, move) in ENROLMENT_MOVES:
                continue
            Enrolment.objects.filter(pk=pk).update(status=status)
            before = stored()

            response = make()

            assert (response.status_code, response.json()) == (400, ENROLMENT_REFUSALS[move]), (status, move)
            assert stored() == before, (status, move)
            refused += 1
    assert refused == 5 * 4 - len(ENROLMENT_MOVES)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"end_date": timezone.localdate() + timedelta(days=5)},
            "end_date",
            "Khóa học kết thúc trước khi bắt đầu.",
        ),
        (
            {"level": "college"},
            "level",
            "Trung tâm giáo dục nghề nghiệp không đào tạo trình độ này; được mở: sơ cấp, đào tạo dưới 3 tháng.",
        ),
        ({"commune": None}, "commune", "Hãy cho biết khóa học ở xã, phường nào, hoặc đánh dấu học trực tuyến."),
    ],
)
def test_a_course_with_bad_dates_level_or_place_is_refused_and_nothing_written(
    api, actors, institution, overrides, field, message
):
    response = api(actors.institution).post("/api/v1/courses", payload(institution, **overrides), format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not Course.objects.exists()


def test_seats_cannot_drop_below_the_enrolments(api, actors, institution):
    course = published_course(institution, officer=actors.officer, seats=2)
    for phone in ("0912 000 101", "0912 000 102"):
        assert signed_up(api, phone).post(f"/api/v1/courses/{course.pk}/enrol").status_code == 201
    response = api(actors.institution).patch(f"/api/v1/courses/{course.pk}", {"seats": 1}, format="json")
    assert response.status_code == 400
    assert response.json() == {"seats": ["Đã có 2 người giữ chỗ trong khóa học này."]}
    assert Course.objects.get(pk=course.pk).seats == 2


def test_enrolment_is_refused_beyond_the_seats_and_after_the_start(api, actors, institution):
    full = published_course(institution, officer=actors.officer, seats=1)
    assert signed_up(api, "0912 000 201").post(f"/api/v1/courses/{full.pk}/enrol").status_code == 201
    refused = signed_up(api, "0912 000 202").post(f"/api/v1/courses/{full.pk}/enrol")
    assert refused.status_code == 400
    assert refused.json() == {"course": ["Khóa học đã hết chỗ."]}

    started = published_course(institution, officer=actors.officer)
    Course.objects.filter(pk=started.pk).update(start_date=timezone.localdate())
    late = signed_up(api, "0912 000 203").post(f"/api/v1/courses/{started.pk}/enrol")
    assert late.status_code == 400
    assert late.json() == {"course": ["Khóa học đã bắt đầu; đã hết hạn đăng ký."]}
    assert Enrolment.objects.count() == 1


def test_an_institution_seeing_its_enrolments_is_audited_in_each_workers_export(api, actors, institution):
    course = published_course(institution, officer=actors.officer)
    worker = signed_up(api, "0912 000 351")
    assert worker.post(f"/api/v1/courses/{course.pk}/enrol").status_code == 201

    names = api(actors.institution).get(f"/api/v1/courses/{course.pk}/enrolments").json()

    assert [e["full_name"] for e in names] == ["Nguyễn Văn Hùng"]
    export = worker.get("/api/v1/workers/me/export").json()
    assert [e["viewer"] for e in export["seen_by"]] == [actors.institution.username]
    assert export["enrolments"][0]["course__title"] == course.title


def test_completion_for_someone_not_enrolled_is_refused(api, actors, institution):
    course = published_course(institution, officer=actors.officer)
    assert signed_up(api, "0912 000 301").post(f"/api/v1/courses/{course.pk}/enrol").status_code == 201
    enrolment = Enrolment.objects.get()
    response = api(actors.institution).post(f"/api/v1/enrolments/{enrolment.pk}/complete", {"passed": True})
    assert response.status_code == 400
    assert response.json() == {"enrolment": ["Người này chưa được nhận vào khóa học."]}
    assert not Certificate.objects.exists()


@pytest.mark.search
def test_a_completion_becomes_a_verified_certificate_that_matching_uses_at_once(api, actors, institution, index):
    vacancy = published_vacancy(actors.employer_org, training_level="elementary", officer=actors.officer)
    course = published_course(institution, officer=actors.officer)
    worker = signed_up(api, "0912 000 401", desired_occupations=[], expected_salary_vnd=None)
    index()

    match = next(m for m in worker.get("/api/v1/workers/me/matches").json()["results"] if m["pk"] == vacancy.pk)
    assert "Yêu cầu trình độ đào tạo: sơ cấp." in match["missing"]
    link = match["missing_courses"][match["missing"].index("Yêu cầu trình độ đào tạo: sơ cấp.")]
    assert link == "/courses/?occupation=7212&level=elementary&for_me=1"
    found = worker.get("/api/v1/courses/search?occupation=7212&level=elementary&for_me=true").json()
    assert [c["pk"] for c in found["results"]] == [course.pk]

    enrolment = worker.post(f"/api/v1/courses/{course.pk}/enrol").json()
    school = api(actors.institution)
    assert school.post(f"/api/v1/enrolments/{enrolment['id']}/accept").json()["status"] == "accepted"
    Course.objects.filter(pk=course.pk).update(start_date=timezone.localdate() - timedelta(days=90))
    done = school.post(f"/api/v1/enrolments/{enrolment['id']}/complete", {"passed": True, "serial_number": "SC-01"})
    assert done.json()["status"] == "completed"

    certificate = worker.get("/api/v1/workers/me/certificates").json()[0]
    assert (certificate["level"], certificate["verified"], certificate["serial_number"]) == (
        "elementary",
        True,
        "SC-01",
    )
    match = next(m for m in worker.get("/api/v1/workers/me/matches").json()["results"] if m["pk"] == vacancy.pk)
    assert match["missing"] == []


# (what, method, path, payload, expected status per actor, in the order of ACTORS)
def _draft(a):
    return training.course_create(organisation=a.institution_org, by=a.institution, **course_fields())


def _enrolment(a, api):
    course = published_course(a.institution_org, officer=a.officer)
    assert signed_up(api, "0912 000 999").post(f"/api/v1/courses/{course.pk}/enrol").status_code == 201
    return Enrolment.objects.get()


def _accepted_in_a_started_course(a, api):
    enrolment = training.enrolment_accept(enrolment=_enrolment(a, api), by=a.officer)
    Course.objects.filter(pk=enrolment.course_id).update(start_date=timezone.localdate() - timedelta(days=30))
    return enrolment


MATRIX = [
    ("list courses", "get", lambda a, api: "/api/v1/courses", None, [200] * 8),
    ("my enrolments", "get", lambda a, api: "/api/v1/workers/me/enrolments", None, [403] + [200] * 7),
    (
        "read a draft",
        "get",
        lambda a, api: f"/api/v1/courses/{_draft(a).pk}",
        None,
        [404, 404, 404, 404, 404, 200, 404, 200],
    ),
    (
        "post a course for the institution",
        "post",
        lambda a, api: "/api/v1/courses",
        lambda a: payload(a.institution_org),
        [403, 403, 403, 403, 403, 201, 403, 201],
    ),
    (
        "post a course for an employer",
        "post",
        lambda a, api: "/api/v1/courses",
        lambda a: payload(a.employer_org),
        [403, 403, 400, 403, 403, 400, 403, 403],
    ),
    (
        "approve a pending course",
        "post",
        lambda a, api: f"/api/v1/courses/{training.course_submit(course=_draft(a), by=a.institution).pk}/approve",
        None,
        [403, 404, 404, 404, 404, 200, 404, 403],
    ),
    (
        "see a course's enrolments",
        "get",
        lambda a, api: f"/api/v1/courses/{_enrolment(a, api).course_id}/enrolments",
        None,
        [403, 404, 404, 404, 404, 200, 404, 200],
    ),
    (
        "accept an enrolment",
        "post",
        lambda a, api: f"/api/v1/enrolments/{_enrolment(a, api).pk}/accept",
        None,
        [403, 404, 404, 404, 404, 200, 404, 200],
    ),
    (
        "record a completion",
        "post",
        lambda a, api: f"/api/v1/enrolments/{_accepted_in_a_started_course(a, api).pk}/complete",
        lambda a: {"passed": True},
        [403, 404, 404, 404, 404, 200, 404, 200],
    ),
]


@pytest.mark.parametrize(("what", "method", "path", "body", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(api, actors, institution, actor, what, method, path, body, expected):
    user = None if actor == "anonymous" else getattr(actors, actor)
    url = path(actors, api)
    response = getattr(api(user), method)(url, body(actors) if body else None, format="json")
    assert response.status_code == expected[ACTORS.index(actor)], response.content


@pytest.mark.search
def test_a_missing_language_level_links_to_language_courses_only_where_there_are_some(api, actors, institution, index):
    vacancy = published_vacancy(
        actors.agency_org, abroad=True, languages=[{"framework": "jlpt", "level": "N4"}], officer=actors.officer
    )
    worker = signed_up(api, "0912 000 451")
    assert worker.post("/api/v1/workers/me/languages", {"framework": "jlpt", "level": "N5"}).status_code == 201
    index()

    def links():
        match = next(m for m in worker.get("/api/v1/workers/me/matches").json()["results"] if m["pk"] == vacancy.pk)
        return dict(zip(match["missing"], match["missing_courses"], strict=True))

    assert links() == {"Yêu cầu JLPT N4; bạn có N5.": None}  # no course teaches toward JLPT yet
    course = published_course(
        institution, officer=actors.officer, title="Tiếng Nhật N4", language_framework="jlpt", language_level="N4"
    )
    index()

    assert list(links().values()) == ["/courses/?language=jlpt%3A1&for_me=1"]
    found = worker.get("/api/v1/courses/search?language=jlpt:1&for_me=true").json()["results"]
    assert [c["pk"] for c in found] == [course.pk]
