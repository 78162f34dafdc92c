"""The department's desk: work queues with flags, reports that become cases, the audit log."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone, translation

from accounts.models import AuditEntry
from candidates.models import Placement
from candidates.services import placement_withdraw
from desk import cases
from desk.models import Case
from jobs import services
from jobs.models import Commune, Occupation, Organisation, Vacancy
from tests.factories import (
    EmployerFactory,
    VerifiedAgencyFactory,
    draft_vacancy,
    published_vacancy,
    signed_in,
    submitted_vacancy,
)

PAGES = ["/desk/queues/", "/desk/cases/", "/desk/imports/", "/desk/audit/", "/desk/imports/template/workers.xlsx"]
APIS = ["/api/v1/desk/queues/vacancies", "/api/v1/desk/queues/placements", "/api/v1/desk/imports"]


def browser(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    if user is not None:
        signed_in(client, user)
    return client


@pytest.mark.parametrize("path", PAGES)
def test_desk_pages_are_for_officers_only(actors, path):
    anonymous = browser().get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/signin/?next=")
    for user in (actors.worker, actors.employer, actors.agency):
        assert browser(user).get(path).status_code == 403
    assert browser(actors.officer).get(path).status_code == 200


def test_only_officers_act_from_the_queue(actors):
    pending = submitted_vacancy(
        actors.employer_org,
    )

    assert browser(actors.employer).post(f"/desk/vacancies/{pending.pk}/approve").status_code == 403
    assert browser().post(f"/desk/vacancies/{pending.pk}/approve").status_code == 302
    assert Vacancy.objects.get(pk=pending.pk).status == Vacancy.Status.PENDING_REVIEW


@pytest.mark.parametrize("path", APIS)
def test_desk_api_is_for_officers_only(api, actors, path):
    assert api().get(path).status_code == 403  # no API key offered, so no challenge to answer with a 401
    for user in (actors.worker, actors.employer, actors.agency):
        assert api(user).get(path).status_code == 403
    assert api(actors.officer).get(path).status_code == 200


def job_fair_placement() -> Placement:
    return Placement.objects.create(
        placed_on=timezone.localdate(),
        is_abroad=False,
        occupation=Occupation.objects.get(code="7212"),
        commune=Commune.objects.get(name="Đông Hà"),
        sex="male",
        age_band="25-34",
        source=Placement.Source.JOB_FAIR,
    )


@pytest.fixture
def review_queue(actors):
    """Pending vacancies, the oldest unflagged: one clean, one duplicate pair, one salary outlier,
    and one overseas vacancy whose costs were edited after submission."""
    employer, agency = actors.employer_org, actors.agency_org
    clean = submitted_vacancy(employer, title="Thợ điện công trình", occupation=Occupation.objects.get(code="7411"))
    for index in range(5):  # what welders are paid here, for the salary flag
        published_vacancy(employer, title=f"Thợ hàn xưởng {index}", officer=actors.officer)
    outlier = submitted_vacancy(
        employer,
        title="Thợ hàn lương cao",
        salary_min=Decimal(60_000_000),
        salary_max=Decimal(80_000_000),
    )
    first = submitted_vacancy(employer, title="Thợ hàn ống")
    second = submitted_vacancy(employer, title="THỢ HÀN ỐNG.")
    overseas = submitted_vacancy(agency, abroad=True)
    services.vacancy_update(
        vacancy=overseas,
        by=actors.agency,
        overseas_terms={"service_fee": 80_000_000, "brokerage_fee": 5_000_000, "flight_fee": None},
    )
    return {"clean": clean, "outlier": outlier, "first": first, "second": second, "overseas": overseas}


def test_flagged_vacancies_come_first_with_each_flag_in_words(api, actors, review_queue):
    response = api(actors.officer).get("/api/v1/desk/queues/vacancies")

    results = response.json()["results"]
    by_id = {item["id"]: item for item in results}
    assert results[-1]["id"] == review_queue["clean"].pk
    assert by_id[review_queue["clean"].pk]["flags"] == []
    assert {flag["code"] for flag in by_id[review_queue["overseas"].pk]["flags"]} == {
        "missing",
        "brokerage",
        "above_cap",
    }
    assert [flag["code"] for flag in by_id[review_queue["outlier"].pk]["flags"]] == ["salary"]
    assert by_id[review_queue["first"].pk]["flags"] == [
        {"code": "duplicate", "message": f"Có thể trùng với tin tuyển dụng #{review_queue['second'].pk}."}
    ]
    assert [flag["code"] for flag in by_id[review_queue["second"].pk]["flags"]] == ["duplicate"]
    assert by_id[review_queue["clean"].pk]["actions"]["approve"].endswith(
        f"/api/v1/vacancies/{review_queue['clean'].pk}/approve"
    )

    page = browser(actors.officer).get("/desk/queues/").content.decode()
    assert page.index(f'id="vacancy-{review_queue["overseas"].pk}"') < page.index(
        f'id="vacancy-{review_queue["clean"].pk}"'
    )
    assert "thu của người lao động là bị nghiêm cấm" in page
    assert "Mức lương (70.000.000 đ) chênh lệch nhiều so với trung vị của 5 tin đã đăng cùng nghề" in page
    assert "60.000.000–80.000.000 đ" in page  # the outlier's range, in đồng the Vietnamese way


def test_each_queue_item_links_the_endpoint_that_acts_on_it(api, actors):
    cache.clear()  # the report throttle's counters
    pending = submitted_vacancy(
        actors.employer_org,
    )
    newcomer = EmployerFactory()
    expiring = VerifiedAgencyFactory(licence_expires_on=timezone.localdate() + timedelta(days=10))
    placement = job_fair_placement()
    reported = published_vacancy(actors.employer_org, title="Thợ sơn", officer=actors.officer)
    case = api().post("/api/v1/reports", {"vacancy": reported.pk, "reason": "brokerage"}, format="json").json()
    officer = api(actors.officer)

    def actions(queue, pk) -> dict:
        items = officer.get(f"/api/v1/desk/queues/{queue}").json()["results"]
        return next(item["actions"] for item in items if item["id"] == pk)

    assert officer.post(actions("vacancies", pending.pk)["approve"]).status_code == 200
    assert officer.post(actions("organisations", newcomer.pk)["verify"], {"approve": True}).status_code == 200
    assert officer.post(actions("licences", expiring.pk)["licence"], {"status": "suspended"}).status_code == 200
    assert officer.post(actions("placements", placement.pk)["confirm"]).status_code == 200
    assert officer.post(actions("cases", case["id"])["status"], {"status": "in_review"}).status_code == 200
    assert Vacancy.objects.get(pk=pending.pk).status == Vacancy.Status.PUBLISHED
    assert Organisation.objects.get(pk=newcomer.pk).verification == Organisation.Verification.VERIFIED
    assert Organisation.objects.get(pk=expiring.pk).licence_status == Organisation.LicenceStatus.SUSPENDED
    assert Placement.objects.get(pk=placement.pk).status == Placement.Status.CONFIRMED
    assert Case.objects.get(pk=case["id"]).status == Case.Status.IN_REVIEW


def test_the_queues_page_reads_in_a_fixed_number_of_queries(actors, review_queue, django_assert_max_num_queries):
    client = browser(actors.officer)
    EmployerFactory.create_batch(3)
    with django_assert_max_num_queries(15):  # 14, and the officer's second-factor device
        assert client.get("/desk/queues/").status_code == 200
    for index in range(3):
        submitted_vacancy(
            actors.employer_org,
            title=f"Thợ sơn {index}",
            occupation=Occupation.objects.get(code="7131"),
        )
    EmployerFactory.create_batch(3)
    with django_assert_max_num_queries(15):
        assert client.get("/desk/queues/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/desk/queues/vacancies").status_code == 200


def test_officer_actions_from_the_queue_go_through_the_services_and_into_the_audit_log(actors):
    officer = actors.officer
    client = browser(officer)
    pending = submitted_vacancy(
        actors.employer_org,
    )
    newcomer = EmployerFactory()

    refused = client.post(f"/desk/vacancies/{pending.pk}/reject", {"reason": " "})
    assert refused.status_code == 400
    item = refused.content.decode().split(f'id="vacancy-{pending.pk}"', 1)[1].split("</li>\n", 1)[0]
    assert "Vui lòng nêu lý do từ chối tin tuyển dụng." in item  # next to the reason's field
    client.post(f"/desk/vacancies/{pending.pk}/reject", {"reason": "Thiếu mô tả công việc"})
    client.post(
        f"/desk/organisations/{newcomer.pk}/verify", {"approve": "1", "note": "Đã đối chiếu đăng ký kinh doanh"}
    )
    client.post(
        f"/desk/organisations/{actors.agency_org.pk}/licence", {"status": "suspended", "note": "Quyết định 12/QĐ"}
    )

    pending.refresh_from_db()
    newcomer.refresh_from_db()
    actors.agency_org.refresh_from_db()
    assert (pending.status, pending.status_reason) == (Vacancy.Status.REJECTED, "Thiếu mô tả công việc")
    assert newcomer.verification == Organisation.Verification.VERIFIED
    assert actors.agency_org.licence_status == Organisation.LicenceStatus.SUSPENDED
    details = list(AuditEntry.objects.filter(actor=officer, action="officer_action").values_list("detail", flat=True))
    assert sorted(details) == sorted(
        [
            f"rejected vacancy {pending.pk} — Thiếu mô tả công việc",
            f"verified organisation {newcomer.pk} — Đã đối chiếu đăng ký kinh doanh",
            f"licence of organisation {actors.agency_org.pk} suspended — Quyết định 12/QĐ",
        ]
    )


def test_approving_and_confirming_from_the_queue_are_audited(actors):
    officer = actors.officer
    pending = submitted_vacancy(
        actors.employer_org,
    )
    placement = job_fair_placement()
    client = browser(officer)

    client.post(f"/desk/vacancies/{pending.pk}/approve")
    client.post(f"/desk/placements/{placement.pk}/confirm")

    assert Vacancy.objects.get(pk=pending.pk).status == Vacancy.Status.PUBLISHED
    assert Placement.objects.get(pk=placement.pk).status == Placement.Status.CONFIRMED
    log = client.get("/desk/audit/", {"actor": officer.username, "action": "officer_action"}).content.decode()
    assert f"approved vacancy {pending.pk}" in log
    assert f"confirmed placement {placement.pk}" in log


def test_a_withdrawn_placement_shows_in_the_audit_log_with_its_reason(actors):
    placement = job_fair_placement()

    placement_withdraw(placement=placement, by=actors.officer, reason="Người lao động không nhận việc")

    log = browser(actors.officer).get("/desk/audit/", {"action": "officer_action"}).content.decode()
    assert f"withdrew placement {placement.pk} — Người lao động không nhận việc" in log
    audited = AuditEntry.objects.count()
    with translation.override("vi"), pytest.raises(ValidationError) as again:
        placement_withdraw(placement=placement, by=actors.officer, reason="Lần nữa")
    assert again.value.message_dict == {"status": ["Kết quả này đã được rút lại."]}
    assert AuditEntry.objects.count() == audited  # nothing written the second time


def test_anyone_may_report_a_vacancy_and_it_becomes_a_case_an_officer_resolves(api, actors):
    cache.clear()  # the report throttle's counters
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    anonymous = browser()

    form = anonymous.get(f"/desk/report/?vacancy={vacancy.pk}")
    assert form.status_code == 200
    assert "Thợ hàn kết cấu thép" in form.content.decode()
    missing = anonymous.post(f"/desk/vacancies/{vacancy.pk}/report/", {"reason": "other", "details": ""})
    assert missing.status_code == 400
    assert "Hãy cho biết chuyện gì đã xảy ra." in missing.content.decode()
    done = anonymous.post(
        f"/desk/vacancies/{vacancy.pk}/report/",
        {"reason": "brokerage", "details": "Đòi 10 triệu tiền môi giới", "contact": "0912 000 111"},
    )
    assert done.status_code == 200
    case = Case.objects.get()
    assert f"#{case.pk}" in done.content.decode()
    assert (case.vacancy, case.organisation, case.status, case.reported_by) == (
        vacancy,
        actors.employer_org,
        "open",
        None,
    )

    officer = browser(actors.officer)
    assert f'href="/desk/cases/{case.pk}/"' in officer.get("/desk/queues/").content.decode()
    assert "0912 000 111" in officer.get(f"/desk/cases/{case.pk}/").content.decode()
    assert AuditEntry.objects.filter(action="view_personal", detail=f"reporter's contact, case {case.pk}").exists()
    no_note = officer.post(f"/desk/cases/{case.pk}/", {"status": "resolved", "note": ""})
    assert no_note.status_code == 400
    assert "Hãy ghi những gì đã xác minh và xử lý." in no_note.content.decode()
    officer.post(f"/desk/cases/{case.pk}/", {"status": "in_review"})
    response = api(actors.officer).post(
        f"/api/v1/desk/cases/{case.pk}/status", {"status": "resolved", "note": "Đã xử phạt, buộc hoàn tiền"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "resolved"
    assert api(actors.officer).post(f"/api/v1/desk/cases/{case.pk}/status", {"status": "open"}).status_code == 400
    details = AuditEntry.objects.filter(actor=actors.officer, detail__startswith=f"case {case.pk}")
    assert sorted(details.values_list("detail", flat=True)) == [
        f"case {case.pk} ({actors.employer_org.pk}) → in_review",
        f"case {case.pk} ({actors.employer_org.pk}) → resolved — Đã xử phạt, buộc hoàn tiền",
    ]


CASE_MOVES = {("open", "in_review"), ("open", "resolved"), ("open", "dismissed"), ("in_review", "resolved")}
CASE_MOVES |= {("in_review", "dismissed")}


def test_every_move_the_case_path_does_not_list_is_refused_and_nothing_is_written(api, actors):
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    case = cases.case_report(reason="scam", vacancy=vacancy, details="Đòi tiền cọc.", by=None)

    def stored():
        return Case.objects.values("status", "handled_by", "officer_note").get(pk=case.pk), AuditEntry.objects.count()

    refused = 0
    for status in Case.Status.values:
        for target in Case.Status.values:
            if (status, target) in CASE_MOVES:
                continue
            Case.objects.filter(pk=case.pk).update(status=status)
            before = stored()

            response = api(actors.officer).post(
                f"/api/v1/desk/cases/{case.pk}/status", {"status": target, "note": "Đã xác minh."}
            )

            with translation.override("vi"):
                current, next_ = Case.Status(status).label, Case.Status(target).label
            message = f"Phản ánh đang ở trạng thái {current} không thể chuyển sang {next_}."
            assert (response.status_code, response.json()) == (400, {"status": [message]}), (status, target)
            assert stored() == before, (status, target)
            refused += 1
    assert refused == 4 * 4 - len(CASE_MOVES)


def test_reports_through_the_api_are_checked_and_throttled(api, actors):
    cache.clear()
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    draft = draft_vacancy(actors.employer_org, title="Nháp")
    client = api()

    bad = client.post("/api/v1/reports", {"vacancy": draft.pk, "reason": "nonsense"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()) == {"vacancy", "reason"}
    answers = [
        client.post("/api/v1/reports", {"vacancy": vacancy.pk, "reason": "unlawful_fee"}, format="json").status_code
        for _ in range(5)
    ]
    assert answers == [201] * 4 + [429]
    assert Case.objects.filter(vacancy=vacancy).count() == 4
    assert api(actors.officer).get("/api/v1/desk/queues/cases").json()["count"] == 4

    cache.clear()
    about_agency = api(actors.worker).post(
        "/api/v1/reports", {"organisation": actors.agency_org.pk, "reason": "scam"}, format="json"
    )
    assert about_agency.status_code == 201
    case = Case.objects.get(pk=about_agency.json()["id"])
    assert (case.organisation, case.vacancy, case.reported_by) == (actors.agency_org, None, actors.worker)
    nothing = api().post("/api/v1/reports", {"reason": "scam"}, format="json")
    assert nothing.json() == {"vacancy": ["Hãy cho biết bạn phản ánh tin tuyển dụng hoặc đơn vị nào."]}


def test_the_audit_log_filters_by_actor_action_and_date(actors):
    other = actors.outsider
    AuditEntry.objects.create(actor=actors.officer, action="officer_action", detail="verified organisation 1")
    AuditEntry.objects.create(actor=other, action="view_personal", detail="sensitive record")
    old = AuditEntry.objects.create(actor=actors.officer, action="officer_action", detail="rejected vacancy 9")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    client = browser(actors.officer)

    mine = client.get("/desk/audit/", {"actor": actors.officer.username}).content.decode()
    assert "verified organisation 1" in mine and "rejected vacancy 9" in mine and "sensitive record" not in mine
    views = client.get("/desk/audit/", {"action": "view_personal"}).content.decode()
    assert "sensitive record" in views and "verified organisation 1" not in views
    since = (timezone.localdate() - timedelta(days=7)).strftime("%d/%m/%Y")
    recent = client.get("/desk/audit/", {"since": since}).content.decode()
    assert "verified organisation 1" in recent and "rejected vacancy 9" not in recent
    assert client.get("/desk/audit/", {"since": "2026-13-45"}).status_code == 400


def test_the_report_page_is_throttled_too(actors):
    cache.clear()
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    client = browser()

    answers = [client.post(f"/desk/vacancies/{vacancy.pk}/report/", {"reason": "scam"}).status_code for _ in range(6)]

    assert answers == [200] * 5 + [429]
    assert Case.objects.count() == 5
    assert (
        "Bạn đã gửi nhiều phản ánh; vui lòng thử lại sau."
        in client.post(f"/desk/vacancies/{vacancy.pk}/report/", {"reason": "scam"}).content.decode()
    )


def test_a_vacancy_opened_the_day_after_the_other_closed_in_vietnam_is_no_duplicate(api, actors):
    closed_on = timezone.localdate() - timedelta(days=10)
    earlier = submitted_vacancy(actors.employer_org, title="Thợ hàn ống")
    later = submitted_vacancy(actors.employer_org, title="THỢ HÀN ỐNG.")
    Vacancy.objects.filter(pk=earlier.pk).update(
        created_at=datetime(closed_on.year, closed_on.month, closed_on.day, tzinfo=UTC) - timedelta(days=20),
        deadline=closed_on,
    )
    # 18:30 UTC on the day the other closed is 01:30 the next morning in Quảng Trị.
    opened = datetime(closed_on.year, closed_on.month, closed_on.day, 18, 30, tzinfo=UTC)
    Vacancy.objects.filter(pk=later.pk).update(created_at=opened)

    results = api(actors.officer).get("/api/v1/desk/queues/vacancies").json()["results"]

    assert {item["id"]: item["flags"] for item in results} == {earlier.pk: [], later.pk: []}


def test_a_case_outlives_its_vacancy_and_keeps_its_organisation(api, actors):
    cache.clear()  # the report throttle's counters
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    reported = api().post("/api/v1/reports", {"vacancy": vacancy.pk, "reason": "brokerage"}, format="json")
    case_id = reported.json()["id"]

    vacancy.delete()
    with pytest.raises(ProtectedError):
        actors.employer_org.delete()

    case = Case.objects.get(pk=case_id)
    assert (case.vacancy, case.organisation, case.reason) == (None, actors.employer_org, "brokerage")
    page = browser(actors.officer).get(f"/desk/cases/{case_id}/")
    assert page.status_code == 200
    assert actors.employer_org.name in page.content.decode()


def test_record_numbers_in_a_page_are_plain_digits_not_vietnamese_thousands(actors):
    """Vietnamese formatting writes 12345 as 12.345: right for a count, wrong in an id or a form value."""
    placement = Placement.objects.create(
        source=Placement.Source.JOB_FAIR,
        placed_on=timezone.localdate(),
        is_abroad=False,
        occupation=Occupation.objects.get(code="7212"),
        commune=Commune.objects.get(name="Đông Hà"),
        sex="male",
        age_band="25-34",
    )
    Placement.objects.filter(pk=placement.pk).update(id=12345)

    page = browser(actors.officer).get("/desk/queues/").content.decode()

    assert 'id="placement-12345"' in page and 'action="/desk/placements/12345/confirm"' in page


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/desk/queues", "/desk/queues/"),  # in the daily e-mails already sent to officers
        ("/desk/agencies?q=anh%20tuan", "/desk/agencies/?q=anh%20tuan"),  # on leaflets and in the README
        ("/desk/follow", "/desk/follow/"),
    ],
)
def test_the_desk_pages_former_addresses_without_the_slash_redirect(old, new):
    response = Client().get(old)

    assert response.status_code == 301
    assert response["Location"] == new
