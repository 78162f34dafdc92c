"""Workers through the API: sign-up, profile, certificates, consents, applications, placements, their data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone, translation

from accounts.models import AuditEntry, User
from candidates.models import Application, ApplicationEvent, Placement, WorkerProfile
from jobs.models import Commune, Occupation, Programme
from notifications.models import Message
from tests.conftest import send_now
from tests.factories import (
    ID_NUMBER,
    complete_checklist,
    contract_for,
    overseas_fields,
    profile_payload,
    published_vacancy,
    signed_up,
)

Stage = Application.Status


@pytest.fixture
def worker_client(api, reference, sign_up):
    client = sign_up(api(), "0912 345 678")
    response = client.put("/api/v1/workers/me", profile_payload(), format="json")
    assert response.status_code == 200, response.json()
    return client


def worker_user():
    return User.objects.get(phone="+84912345678")


def test_a_worker_signs_up_builds_a_profile_applies_departs_is_counted_then_erases_their_data(
    api, actors, worker_client
):
    certificate = worker_client.post(
        "/api/v1/workers/me/certificates",
        {
            "level": "intermediate",
            "occupation": Occupation.objects.get(code="7212").code,
            "institution": "Trường Cao đẳng Kỹ thuật Quảng Trị",
            "serial_number": "TC-0012345",
            "issued_on": "2019-06-30",
        },
    )
    assert certificate.status_code == 201, certificate.json()
    assert worker_client.post("/api/v1/workers/me/languages", {"framework": "jlpt", "level": "n4"}).status_code == 201
    assert (
        worker_client.post("/api/v1/workers/me/consents", {"purpose": "be_found", "granted": True}).status_code == 200
    )
    vacancy = published_vacancy(actors.agency_org, abroad=True, officer=actors.officer)

    application = worker_client.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).json()
    assert application["status"] == "applied"

    agency = api(actors.agency)
    for step in ["shortlisted", "interviewed", "offered"]:
        response = agency.post(f"/api/v1/applications/{application['id']}/move", {"status": step})
        assert response.status_code == 200, response.json()

    complete_checklist(api, worker_client, application["id"], actors.agency, wage=20_000_000)
    response = agency.post(f"/api/v1/applications/{application['id']}/move", {"status": "departed"})
    assert response.status_code == 200, response.json()
    mine = worker_client.get("/api/v1/workers/me/applications").json()["results"][0]
    assert [e["to_status"] for e in mine["events"]] == ["applied", "shortlisted", "interviewed", "offered", "departed"]

    officer = api(actors.officer)
    year = timezone.localdate().year
    assert officer.get(f"/api/v1/placements/summary?year={year}").json()["total"] == 0  # not yet confirmed
    placement = officer.get("/api/v1/placements?status=pending").json()["results"][0]
    assert officer.post(f"/api/v1/placements/{placement['id']}/confirm").status_code == 200
    assert officer.get(f"/api/v1/placements/summary?year={year}").json() == {
        "year": year,
        "total": 1,
        "abroad": 1,
        "at_home": 0,
    }

    send_now()  # the messages about their application, as the Celery worker sends them
    export = worker_client.get("/api/v1/workers/me/export")
    assert export["Content-Disposition"].startswith("attachment")
    data = export.json()
    assert data["sensitive"]["id_number"] == ID_NUMBER
    assert [c["serial_number"] for c in data["certificates"] if c["kind"] == "vocational"] == ["TC-0012345"]
    assert data["applications"][0]["status"] == "departed"
    assert data["applications"][0]["history"][-1]["to_status"] == "departed"  # every step, as it happened
    assert [c["purpose"] for c in data["consents"]] == ["be_found"]
    assert {m["event__kind"] for m in data["messages_sent"]} == {"application_moved"}

    user_pk = worker_user().pk
    assert worker_client.delete("/api/v1/workers/me").status_code == 204

    assert not User.objects.filter(pk=user_pk).exists()
    assert not WorkerProfile.objects.exclude(user=actors.worker).exists()
    assert not Message.objects.filter(to__in=["+84912345678", "0912345678"]).exists()  # nor what was sent to them
    with connection.cursor() as cursor:  # nothing of theirs anywhere: no name, phone or ID number
        cursor.execute("SELECT count(*) FROM candidates_placement WHERE worker_id IS NOT NULL")
        assert cursor.fetchone()[0] == 0
    assert officer.get(f"/api/v1/placements/summary?year={year}").json()["total"] == 1  # the count stays
    anonymous = Placement.objects.get()
    assert (anonymous.sex, anonymous.age_band, anonymous.priority_groups) == ("male", "25-34", ["near_poor"])


def test_sign_up_takes_a_vietnamese_mobile_number_and_a_real_password(api, reference, sign_up):
    client = api()

    bad_phone = client.post("/api/v1/auth/signup", {"phone": "12345", "password": "thohan-2026"})
    weak = client.post("/api/v1/auth/signup", {"phone": "+84 912 345 678", "password": "12345678"})
    sign_up(client, "+84 912 345 678")

    assert bad_phone.status_code == 400
    assert bad_phone.json() == {"phone": ["Hãy nhập số điện thoại di động Việt Nam, ví dụ 0912 345 678."]}
    assert weak.status_code == 400 and "password" in weak.json()
    assert client.get("/api/v1/workers/me").status_code == 404  # signed in, no profile yet
    assert api().post("/api/v1/auth/login", {"phone": "0912 345 678", "password": "thohan-2026"}).status_code == 200
    for phone in ("0912 345 678", "not a number"):  # a wrong password and a malformed number answer alike
        wrong = api().post("/api/v1/auth/login", {"phone": phone, "password": "nope"})
        assert wrong.status_code == 400
        assert wrong.json() == {"non_field_errors": ["Số điện thoại hoặc mật khẩu không đúng."]}


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("04509800123", "Số định danh cá nhân gồm 12 chữ số."),
        ("999098001234", "Ba chữ số đầu không phải là mã tỉnh, thành phố."),
        ("045198001234", "Chữ số thứ tư không khớp với năm sinh và giới tính."),
        ("045099001234", "Chữ số thứ năm và thứ sáu phải là hai số cuối của năm sinh."),
    ],
)
def test_the_id_number_is_checked_against_birth_year_century_and_sex(worker_client, id_number, message):
    payload = profile_payload()
    payload["sensitive"]["id_number"] = id_number

    response = worker_client.put("/api/v1/workers/me", payload, format="json")

    assert response.status_code == 400
    assert response.json() == {"id_number": [message]}


def test_an_id_number_belongs_to_one_account(api, worker_client, sign_up):
    other = sign_up(api(), "0987 654 322")

    response = other.put("/api/v1/workers/me", profile_payload(), format="json")

    assert response.status_code == 400
    assert response.json() == {"id_number": ["Số định danh cá nhân này đã được đăng ký ở một tài khoản khác."]}
    assert other.get("/api/v1/workers/me").status_code == 404  # nothing of the profile was written
    assert worker_client.get("/api/v1/workers/me").json()["sensitive"]["id_number"] == ID_NUMBER


def test_sensitive_data_is_encrypted_at_rest(worker_client):
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM candidates_sensitiverecord")
        stored = bytes(cursor.fetchone()[0])

    assert ID_NUMBER.encode() not in stored and b"Kinh" not in stored and b"near_poor" not in stored
    assert worker_client.get("/api/v1/workers/me").json()["sensitive"]["id_number"] == ID_NUMBER


def test_who_sees_the_id_number_ethnicity_and_contact_and_every_view_is_audited(api, actors, worker_client):
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    application = worker_client.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).json()
    worker = worker_user().worker

    own = worker_client.get("/api/v1/workers/me").json()["sensitive"]
    employer_view = api(actors.employer).get(f"/api/v1/applications/{application['id']}").json()["worker"]
    officer_view = api(actors.officer).get(f"/api/v1/workers/{worker.pk}").json()
    other_employer = api(actors.agency).get(f"/api/v1/applications/{application['id']}")
    not_officer = api(actors.employer).get(f"/api/v1/workers/{worker.pk}")

    assert own["id_number"] == ID_NUMBER and own["ethnicity"] == "Kinh"
    assert employer_view["full_name"] == "Nguyễn Văn Hùng" and employer_view["phone"] == "+84912345678"
    assert employer_view["personal"] == {"id_number": "*********234"}  # no ethnicity, health or priority groups
    assert officer_view["sensitive"]["id_number"] == ID_NUMBER and officer_view["sensitive"]["ethnicity"] == "Kinh"
    assert other_employer.status_code == 404 and not_officer.status_code == 404  # not theirs to see: no such worker
    assert list(AuditEntry.objects.filter(subject=worker.user).values_list("actor", "action").order_by("at")) == [
        (actors.employer.pk, "view_personal"),
        (actors.officer.pk, "view_personal"),
    ]


def test_the_application_state_machine(api, actors, worker_client):
    vacancy = published_vacancy(actors.employer_org, positions=1, officer=actors.officer)
    application = worker_client.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).json()
    employer = api(actors.employer)

    def move(status):
        return employer.post(f"/api/v1/applications/{application['id']}/move", {"status": status})

    assert move("offered").json() == {
        "status": ["Hồ sơ đang ở trạng thái “đã nộp” nên không thể chuyển sang “đã mời nhận việc”."]
    }
    assert move("shortlisted").status_code == 200
    assert move("interviewed").status_code == 200
    assert move("offered").status_code == 200
    assert move("departed").status_code == 400  # a job at home is "hired"
    assert move("hired").status_code == 200
    assert move("rejected").status_code == 400  # closed
    assert worker_client.post(f"/api/v1/workers/me/applications/{application['id']}/withdraw").status_code == 400
    assert worker_client.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).status_code == 400  # once


# The application's path: each move an organisation makes is named by the status it leads to; the worker withdraws.
OPEN_STAGES = ["applied", "shortlisted", "interviewed", "offered"]
ALLOWED = {("applied", "shortlisted"), ("shortlisted", "interviewed"), ("interviewed", "offered")}
ALLOWED |= {("offered", "hired"), ("offered", "departed")}
ALLOWED |= {(stage, "rejected") for stage in OPEN_STAGES} | {(stage, "withdraw") for stage in OPEN_STAGES}


def test_every_move_the_application_path_does_not_list_is_refused_and_nothing_is_written(api, actors, reference):
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    worker = signed_up(api, "0912 000 003")
    pk = worker.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).json()["id"]
    employer = api(actors.employer)
    moves = {s: (lambda s=s: employer.post(f"/api/v1/applications/{pk}/move", {"status": s})) for s in Stage.values}
    moves["withdraw"] = lambda: worker.post(f"/api/v1/workers/me/applications/{pk}/withdraw")

    def stored():
        return Application.objects.get(pk=pk).status, ApplicationEvent.objects.count(), Placement.objects.count()

    refused = 0
    for status in Stage.values:
        for move, make in moves.items():
            if (status, move) in ALLOWED:
                continue
            Application.objects.filter(pk=pk).update(status=status)
            before = stored()

            response = make()

            with translation.override("vi"):
                current, target = Stage(status).label, Stage("withdrawn" if move == "withdraw" else move).label
            message = f"Hồ sơ đang ở trạng thái “{current}” nên không thể chuyển sang “{target}”."
            assert (response.status_code, response.json()) == (400, {"status": [message]}), (status, move)
            assert stored() == before, (status, move)
            refused += 1
    assert refused == 8 * 9 - len(ALLOWED)


def test_a_worker_outside_the_programmes_age_band_is_refused_with_the_reason(api, actors, reference):
    born = timezone.localdate().replace(year=timezone.localdate().year - 42)
    client = signed_up(api, "0987 654 321", date_of_birth=born.isoformat())
    contract = contract_for(actors.agency_org, country="KR")
    contract.programme = Programme.objects.get(code="kr-eps")
    contract.save()
    vacancy = published_vacancy(actors.agency_org, overseas_fields(contract), officer=actors.officer)

    response = client.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk})

    assert response.status_code == 400
    assert response.json() == {"vacancy": ["Tin tuyển dụng này nhận người lao động từ 18 đến 39 tuổi; bạn 42 tuổi."]}


def test_hires_never_exceed_the_positions(api, actors, reference):
    vacancy = published_vacancy(actors.employer_org, positions=1, officer=actors.officer)
    employer = api(actors.employer)
    applications = []
    for phone in ("0912 000 001", "0912 000 002"):
        client = signed_up(api, phone)
        applications.append(client.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).json()["id"])
    for pk in applications:
        for step in ["shortlisted", "interviewed", "offered"]:
            assert employer.post(f"/api/v1/applications/{pk}/move", {"status": step}).status_code == 200

    first = employer.post(f"/api/v1/applications/{applications[0]}/move", {"status": "hired"})
    second = employer.post(f"/api/v1/applications/{applications[1]}/move", {"status": "hired"})

    assert first.status_code == 200
    assert second.json() == {"status": ["Đã tuyển đủ 1 vị trí của tin tuyển dụng này."]}


def test_a_placement_counts_once_and_only_once_confirmed(api, actors, reference):
    officer = api(actors.officer)
    year = timezone.localdate().year
    payload = {
        "source": "job_fair",
        "placed_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "is_abroad": False,
        "occupation": Occupation.objects.get(code="8153").code,
        "commune": Commune.objects.get(name="Đông Hà").code,
        "sex": "female",
        "age_band": "25-34",
    }
    placement = officer.post("/api/v1/placements", payload, format="json").json()

    assert officer.get(f"/api/v1/placements/summary?year={year}").json()["total"] == 0
    assert officer.post(f"/api/v1/placements/{placement['id']}/confirm").status_code == 200
    assert officer.post(f"/api/v1/placements/{placement['id']}/confirm").status_code == 400
    assert officer.get(f"/api/v1/placements/summary?year={year}").json()["total"] == 1
    assert api(actors.employer).get("/api/v1/placements").status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/applications", "/api/v1/placements"])
def test_officer_lists_read_in_a_fixed_number_of_queries(api, actors, django_assert_max_num_queries, path):
    vacancy = published_vacancy(actors.employer_org, positions=10, officer=actors.officer)
    for index in range(4):
        client = signed_up(api, f"0912 000 10{index}")
        application = client.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).json()["id"]
        for step in ["shortlisted", "interviewed", "offered", "hired"]:
            moved = api(actors.employer).post(f"/api/v1/applications/{application}/move", {"status": step})
            assert moved.status_code == 200, moved.json()

    with django_assert_max_num_queries(4):  # count, page, events, the audit entry; nothing per application
        response = api(actors.officer).get(path)

    assert response.json()["count"] == 4


def test_a_placed_worker_who_erases_their_data_still_fills_the_place(api, actors, reference):
    vacancy = published_vacancy(actors.employer_org, positions=1, officer=actors.officer)
    employer = api(actors.employer)
    clients = []
    for phone in ("0912 000 201", "0912 000 202"):
        client = signed_up(api, phone)
        application = client.post("/api/v1/workers/me/applications", {"vacancy": vacancy.pk}).json()["id"]
        for step in ["shortlisted", "interviewed", "offered"]:
            assert employer.post(f"/api/v1/applications/{application}/move", {"status": step}).status_code == 200
        clients.append((client, application))
    assert employer.post(f"/api/v1/applications/{clients[0][1]}/move", {"status": "hired"}).status_code == 200
    assert clients[0][0].delete("/api/v1/workers/me").status_code == 204

    second = employer.post(f"/api/v1/applications/{clients[1][1]}/move", {"status": "hired"})

    assert second.json() == {"status": ["Đã tuyển đủ 1 vị trí của tin tuyển dụng này."]}
