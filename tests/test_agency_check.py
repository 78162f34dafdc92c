"""Safe work abroad: the public agency check, reports about brokers who are not on the portal followed
with a code, sanctions recorded with a resolution, and fee rules in time (issue 17, items 2-4)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from desk.models import Case
from jobs import services
from jobs.models import FeeRule, Organisation, Sanction
from tests.factories import VerifiedAgencyFactory, contract_for, overseas_fields, published_vacancy, signed_in

TODAY = timezone.localdate


def resolve(api, officer, case_id, **fields):
    return api(officer).post(
        f"/api/v1/desk/cases/{case_id}/status", {"status": "resolved", "note": "Đã xác minh."} | fields, format="json"
    )


def report_broker(api, **fields):
    payload = {
        "broker_name": "Chị Hoa môi giới Đài Loan",
        "broker_phone": "0987 111 222",
        "broker_place": "Chợ Đông Hà",
        "reason": "trafficking",
        "details": "Đòi 60 triệu đặt cọc, giữ căn cước.",
        "contact": "0912345678",
    } | fields
    return api().post("/api/v1/reports", payload, format="json")


# --- The agency check -------------------------------------------------------------------------


def test_the_check_finds_an_agency_by_licence_number_tax_code_or_name_without_diacritics(api, actors):
    agency = actors.agency_org
    agency.name = "Công ty CP Nhân lực Quốc tế Hồng Đức"
    agency.save()
    contract_for(agency, quota=10)
    for query in (agency.licence_number, agency.tax_code, "nhan luc quoc te hong duc", "Hồng Đức"):
        answer = api().get("/api/v1/agencies/check", {"q": query})
        assert answer.status_code == 200, query
        body = answer.json()
        assert [found["name"] for found in body["agencies"]] == [agency.name], query
        assert body["licensed"] is True
        found = body["agencies"][0]
        assert found["licence_state"] == "active"
        assert found["contracts"][0]["places_left"] == 10
        assert found["contracts"][0]["approval_number"] == "101/QLLĐNN-HĐ"


def test_the_check_asks_the_same_few_queries_however_many_agencies_it_shows(api, actors, django_assert_num_queries):
    """Matched by PostgreSQL on folded names, shown with their contracts, sanctions and resolved cases in
    one query each: the identifier, the names, sanctions, contracts, cases, brokers, the department's number."""

    def agency_named(name):
        agency = VerifiedAgencyFactory(name=name)
        contract_for(agency, quota=4)
        Sanction.objects.create(
            organisation=agency, subject_name=name, kind="fine", decision_number="7/QĐ-XPHC", decided_on=TODAY()
        )
        Case.objects.create(organisation=agency, reason="unlawful_fee", status=Case.Status.RESOLVED)
        return agency

    agency_named("Công ty Nhân lực Sông Hương")
    with django_assert_num_queries(7):
        one = api().get("/api/v1/agencies/check", {"q": "nhan luc"}).json()
    agency_named("Công ty CP Nhân Lực Miền Trung")
    agency_named("Tổng công ty nhân lực Hà Nội")
    with django_assert_num_queries(7):
        three = api().get("/api/v1/agencies/check", {"q": "NHÂN LỰC"}).json()

    assert [found["name"] for found in one["agencies"]] == ["Công ty Nhân lực Sông Hương"]
    assert len(three["agencies"]) == 3
    for found in three["agencies"]:
        assert found["contracts"][0]["places_left"] == 4
        assert [sanction["decision_number"] for sanction in found["sanctions"]] == ["7/QĐ-XPHC"]
        assert [(case["reason"], case["count"]) for case in found["resolved_cases"]] == [("unlawful_fee", 1)]


def test_an_unknown_name_is_told_not_to_pay_anyone_with_the_numbers_to_call_and_their_source(api, actors):
    body = api().get("/api/v1/agencies/check", {"q": "Công ty Ma Xó Đi Nhật"}).json()
    assert body["licensed"] is False and body["agencies"] == []
    assert "không trả tiền cho bất kỳ ai" in body["message"]
    assert {"113", "111"} <= {line["number"] for line in body["hotlines"]}
    assert all(line["source"] for line in body["hotlines"])


def test_the_department_centre_is_the_first_number_to_call(api, actors):
    Organisation.objects.create(
        kind=Organisation.Kind.PUBLIC_CENTRE,
        name="Trung tâm Dịch vụ việc làm Quảng Trị",
        tax_code="3200111333",
        phone="0233 3852 111",
        verification=Organisation.Verification.VERIFIED,
    )
    body = api().get("/api/v1/agencies/check", {"q": "không có ai"}).json()
    assert body["hotlines"][0]["number"] == "0233 3852 111"


def test_an_expired_licence_says_so_and_is_not_licensed(api, actors):
    agency = actors.agency_org
    agency.licence_expires_on = TODAY() - timedelta(days=1)
    agency.save()
    body = api().get("/api/v1/agencies/check", {"q": agency.licence_number}).json()
    assert body["agencies"][0]["licence_state"] == "expired"
    assert body["licensed"] is False
    assert "không trả tiền" in body["message"]


def test_a_query_too_short_is_a_400_in_vietnamese_and_the_page_says_it_next_to_the_field(api, client, actors):
    answer = api().get("/api/v1/agencies/check", {"q": "ab"})
    assert answer.status_code == 400
    assert "q" in answer.json() and "3" in answer.json()["q"][0]
    page = client.get("/desk/agencies/", {"q": "ab"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 400
    assert "id_q_error" in page.content.decode()


def test_the_check_is_throttled_and_page_and_api_share_the_budget(api, client, actors):
    for _ in range(59):
        assert api().get("/api/v1/agencies/check", {"q": "Hồng Đức"}).status_code == 200
    assert client.get("/desk/agencies/", {"q": "Hồng Đức"}).status_code == 200
    assert api().get("/api/v1/agencies/check", {"q": "Hồng Đức"}).status_code == 429
    assert client.get("/desk/agencies/", {"q": "Hồng Đức"}).status_code == 429


# --- Reports about brokers, followed with a code ------------------------------------------------


def test_anyone_reports_an_unlisted_broker_and_follows_the_case_with_the_code(api, actors):
    answer = report_broker(api)
    assert answer.status_code == 201, answer.json()
    code = answer.json()["follow_code"]
    assert len(code.replace("-", "")) == 12
    case = Case.objects.get(pk=answer.json()["id"])
    assert case.organisation is None and case.broker_name == "Chị Hoa môi giới Đài Loan"
    assert code not in case.follow_code_hash  # only a keyed hash is kept

    followed = api().post("/api/v1/reports/follow", {"code": code.lower().replace("-", " ")})
    assert followed.status_code == 200
    body = followed.json()
    assert body["status"] == "open" and body["reported"] == "Chị Hoa môi giới Đài Loan"
    assert "0912345678" not in str(body) and "contact" not in body  # nothing of the reporter

    assert api().post("/api/v1/reports/follow", {"code": "ABCD-EFGH-JKMN"}).status_code == 404


def test_a_report_without_the_brokers_name_or_with_a_bad_phone_is_refused_and_nothing_is_written(api, actors):
    answer = report_broker(api, broker_name="", broker_phone="12ab")
    assert answer.status_code == 400
    assert set(answer.json()) == {"broker_name", "broker_phone"}
    assert "Cho biết tên" in answer.json()["broker_name"][0]
    assert not Case.objects.exists()


def test_following_is_throttled(api, actors):
    for _ in range(20):
        api().post("/api/v1/reports/follow", {"code": "ABCD-EFGH-JKMN"})
    assert api().post("/api/v1/reports/follow", {"code": "ABCD-EFGH-JKMN"}).status_code == 429


def test_the_officers_queue_shows_the_reporters_contact_masked(api, actors):
    report_broker(api)
    item = api(actors.officer).get("/api/v1/desk/queues/cases").json()["results"][0]
    assert item["contact"] == "*******678"
    assert item["broker"]["name"] == "Chị Hoa môi giới Đài Loan"


def test_the_officers_case_page_shows_the_contact_and_audits_the_view(client, actors):
    from accounts.models import AuditEntry
    from desk import cases

    case = cases.case_report(
        broker_name="Anh Ba", reason="unpaid_wages_abroad", details="Nợ lương.", contact="0912345678", by=None
    )
    page = signed_in(client, actors.officer).get(f"/desk/cases/{case.pk}/")
    assert "0912345678" in page.content.decode()
    assert AuditEntry.objects.filter(actor=actors.officer, detail__contains=f"case {case.pk}").exists()


# --- Sanctions ----------------------------------------------------------------------------------


def test_an_officer_resolves_a_broker_report_with_a_fine_and_the_check_and_the_reporter_see_it(api, actors):
    answer = report_broker(api)
    case_id, code = answer.json()["id"], answer.json()["follow_code"]
    decided = (TODAY() - timedelta(days=2)).isoformat()
    moved = resolve(
        api,
        actors.officer,
        case_id,
        sanction_kind="fine",
        decision_number="45/QĐ-XPHC",
        decided_on=decided,
        fine_vnd=50_000_000,
    )
    assert moved.status_code == 200, moved.json()

    body = api().get("/api/v1/agencies/check", {"q": "chi hoa moi gioi"}).json()
    assert body["licensed"] is False
    [broker] = body["reported_brokers"]
    assert broker["sanction"] == {
        "kind": "fine",
        "decision_number": "45/QĐ-XPHC",
        "decided_on": decided,
        "fine_vnd": 50_000_000,
        "until": None,
    }
    assert api().get("/api/v1/agencies/check", {"q": "0987111222"}).json()["reported_brokers"] == [broker]

    followed = api().post("/api/v1/reports/follow", {"code": code}).json()
    assert followed["status"] == "resolved" and followed["sanction"]["decision_number"] == "45/QĐ-XPHC"
    assert followed["officer_note"] == "Đã xác minh."


def test_open_reports_are_never_shown_on_the_check(api, actors):
    report_broker(api)
    assert api().get("/api/v1/agencies/check", {"q": "chi hoa"}).json()["reported_brokers"] == []


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"sanction_kind": "fine", "fine_vnd": 1_000_000}, "decision_number"),
        ({"sanction_kind": "fine", "decision_number": "1/QĐ"}, "fine_vnd"),
        ({"sanction_kind": "warning", "decision_number": "1/QĐ", "decided_on": None}, "decided_on"),
        ({"sanction_kind": "suspension", "decision_number": "1/QĐ"}, "sanction_kind"),  # a broker holds no licence
    ],
)
def test_a_sanction_missing_what_it_needs_is_a_400_and_nothing_is_written(api, actors, fields, field):
    case_id = report_broker(api).json()["id"]
    moved = resolve(api, actors.officer, case_id, **({"decided_on": TODAY().isoformat()} | fields))
    assert moved.status_code == 400
    assert field in moved.json(), moved.json()
    assert Case.objects.get(pk=case_id).status == "open"
    assert not Sanction.objects.exists()


def test_a_sanction_with_a_dismissal_is_refused(api, actors):
    case_id = report_broker(api).json()["id"]
    moved = api(actors.officer).post(
        f"/api/v1/desk/cases/{case_id}/status",
        {
            "status": "dismissed",
            "note": "x",
            "sanction_kind": "warning",
            "decision_number": "1/QĐ",
            "decided_on": TODAY().isoformat(),
        },
    )
    assert moved.status_code == 400 and "sanction_kind" in moved.json()


def report_agency(api, agency):
    return (
        api()
        .post("/api/v1/reports", {"organisation": agency.pk, "reason": "brokerage", "details": "Thu phí môi giới."})
        .json()
    )


def test_a_suspension_shows_on_the_check_with_its_dates(api, actors):
    agency = actors.agency_org
    case_id = report_agency(api, agency)["id"]
    until = TODAY() + timedelta(days=90)
    moved = resolve(
        api,
        actors.officer,
        case_id,
        sanction_kind="suspension",
        decision_number="12/QĐ-XPHC",
        decided_on=TODAY().isoformat(),
        until=until.isoformat(),
    )
    assert moved.status_code == 200, moved.json()
    found = api().get("/api/v1/agencies/check", {"q": agency.licence_number}).json()
    assert found["licensed"] is False
    agency_found = found["agencies"][0]
    assert agency_found["licence_state"] == "suspended"
    assert agency_found["suspended_on"] == TODAY().isoformat() and agency_found["suspended_until"] == until.isoformat()
    assert [s["kind"] for s in agency_found["sanctions"]] == ["suspension"]
    assert [(r["reason"], r["count"]) for r in agency_found["resolved_cases"]] == [("brokerage", 1)]


@pytest.mark.search
def test_a_suspended_agencys_vacancies_leave_search_and_stay_out(api, actors, index):
    vacancy = published_vacancy(actors.agency_org, abroad=True, officer=actors.officer)
    index()
    assert [r["pk"] for r in api().get("/api/v1/vacancies/search", {"abroad": "true"}).json()["results"]] == [
        vacancy.pk
    ]
    case_id = report_agency(api, actors.agency_org)["id"]
    resolve(
        api,
        actors.officer,
        case_id,
        sanction_kind="revocation",
        decision_number="9/QĐ-TH",
        decided_on=TODAY().isoformat(),
    )
    index()  # as the task queued on commit does; and again, as reconcile would later
    assert api().get("/api/v1/vacancies/search", {"abroad": "true"}).json()["results"] == []
    index()
    assert api().get("/api/v1/vacancies/search", {"abroad": "true"}).json()["results"] == []
    assert api().get(f"/api/v1/vacancies/{vacancy.pk}").status_code == 404


@pytest.mark.search
def test_a_warned_agencys_vacancies_stay_in_search_with_the_warning_there_and_on_the_page(api, client, actors, index):
    vacancy = published_vacancy(actors.agency_org, abroad=True, officer=actors.officer)
    case_id = report_agency(api, actors.agency_org)["id"]
    resolve(
        api,
        actors.officer,
        case_id,
        sanction_kind="warning",
        decision_number="31/QĐ-XPHC",
        decided_on=TODAY().isoformat(),
    )
    index()
    [result] = api().get("/api/v1/vacancies/search", {"abroad": "true"}).json()["results"]
    assert result["warning"] == {"decision_number": "31/QĐ-XPHC", "decided_on": TODAY().isoformat()}
    page = client.get(f"/vacancies/{vacancy.pk}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "31/QĐ-XPHC" in page
    results = client.get("/vacancies/", {"abroad": "true"}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "31/QĐ-XPHC" in results


# --- Fee rules in time --------------------------------------------------------------------------


def general_cap():
    return FeeRule.objects.get(kind="service_fee", months_per_12=1, occupations=None, programme=None, country=None)


def test_a_changed_rule_is_a_new_version_and_past_verdicts_keep_the_one_they_used(api, actors):
    contract = contract_for(actors.agency_org)
    before = published_vacancy(actors.agency_org, overseas_fields(contract), officer=actors.officer)
    old = general_cap()
    assert before.overseas_terms.fee_rule == old

    start = TODAY() - timedelta(days=1)
    new = services.fee_rule_revise(current=old, by=actors.officer, valid_from=start, changes={"months_per_12": "0.5"})
    old.refresh_from_db()
    assert (new.version, new.supersedes, new.valid_to, old.valid_to) == (
        old.version + 1,
        old,
        None,
        start - timedelta(days=1),
    )

    after = published_vacancy(
        actors.agency_org, overseas_fields(contract, costs={"service_fee": 10_000_000}), officer=actors.officer
    )
    assert after.overseas_terms.fee_rule == new and after.overseas_terms.fee_cap_vnd == 30_000_000
    terms = api().get(f"/api/v1/vacancies/{before.pk}").json()["overseas_terms"]
    assert terms["fee_rule"]["id"] == old.pk and terms["fee_cap_vnd"] == 60_000_000
    history = {rule["id"]: rule for rule in api().get("/api/v1/fee-rules").json()}
    assert history[new.pk]["supersedes"] == old.pk and history[old.pk]["valid_to"] == str(start - timedelta(days=1))


def test_the_vacancy_page_names_the_rule_version_behind_its_fee_check(client, actors):
    vacancy = published_vacancy(actors.agency_org, abroad=True, officer=actors.officer)
    page = client.get(f"/vacancies/{vacancy.pk}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "phiên bản 1, từ 01/01/2022" in page


def test_a_new_version_must_start_after_the_current_one(actors):
    from django.core.exceptions import ValidationError

    old = general_cap()
    with pytest.raises(ValidationError) as refused:
        services.fee_rule_revise(current=old, by=actors.officer, valid_from=old.valid_from, changes={})
    assert "valid_from" in refused.value.message_dict
    assert FeeRule.objects.filter(supersedes=old).count() == 0


# --- Who may do what ----------------------------------------------------------------------------

ACTORS = ["anonymous", "worker", "employer", "agency", "unlicensed_agency", "officer", "outsider"]


def broker_case(actors):
    from desk import cases

    return cases.case_report(broker_name="Anh Ba", reason="scam", details="Đòi tiền.", by=None)


def followed_code(actors):
    from desk import cases

    return cases.case_report(broker_name="Anh Ba", reason="scam", details="Đòi tiền.", by=None).follow_code


# (what, method, path, payload, expected status per actor, in the order of ACTORS)
MATRIX = [
    ("check an agency", "get", lambda a: f"/api/v1/agencies/check?q={a.agency_org.licence_number}", None, [200] * 7),
    (
        "report an unlisted broker",
        "post",
        lambda a: "/api/v1/reports",
        lambda a: {"broker_name": "Anh Ba", "reason": "child_labour", "details": "Đưa trẻ 14 tuổi đi làm."},
        [201] * 7,
    ),
    ("follow a case", "post", lambda a: "/api/v1/reports/follow", lambda a: {"code": followed_code(a)}, [200] * 7),
    (
        "resolve a case with a fine",
        "post",
        lambda a: f"/api/v1/desk/cases/{broker_case(a).pk}/status",
        lambda a: (
            {"status": "resolved", "note": "Phạt", "sanction_kind": "fine", "decision_number": "1/QĐ"}
            | {"decided_on": str(TODAY()), "fine_vnd": 5_000_000}
        ),
        [403, 403, 403, 403, 403, 200, 403],
    ),
    (
        "the cases queue, contacts masked",
        "get",
        lambda a: "/api/v1/desk/queues/cases",
        None,
        [403, 403, 403, 403, 403, 200, 403],
    ),
]


@pytest.mark.parametrize(
    "method, path, payload, actor, expected",
    [
        pytest.param(method, path, payload, actor, expected[i], id=f"{what}-{actor}")
        for what, method, path, payload, expected in MATRIX
        for i, actor in enumerate(ACTORS)
    ],
)
def test_permission_matrix(api, actors, method, path, payload, actor, expected):
    client = api(None if actor == "anonymous" else getattr(actors, actor))
    response = getattr(client, method)(path(actors), payload(actors) if payload else None, format="json")
    assert response.status_code == expected, response.content
    if method == "post" and expected == 403:
        assert not Sanction.objects.exists()


@pytest.mark.parametrize("path", ["/desk/agencies/?q=abc", "/desk/report/broker/", "/desk/follow/"])
def test_the_public_pages_need_no_sign_in(client, actors, path):
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="vi").status_code == 200
