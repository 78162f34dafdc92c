"""Organisations, contracts and vacancies through the API, as their users meet them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from jobs import services
from jobs.models import LabourSupplyContract, Occupation, Programme, Vacancy, VacancyChange, VacancyEvent
from tests.factories import (
    VerifiedAgencyFactory,
    as_payload,
    contract_for,
    domestic_fields,
    member_of,
    overseas_fields,
    published_vacancy,
)

Status = Vacancy.Status


def test_an_agency_registers_is_verified_posts_within_the_cap_and_is_published(api, actors):
    owner = actors.worker  # any signed-in user may register an organisation
    agency = api(owner)
    response = agency.post(
        "/api/v1/organisations",
        {
            "kind": "agency",
            "name": "Công ty CP Nhân lực Miền Trung",
            "tax_code": "3200999999",
            "licence_number": "999/LĐTBXH-GP",
            "licence_issued_on": "2023-05-01",
            "licence_expires_on": "2030-05-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    organisation = response.json()
    assert organisation["verification"] == "pending"

    verified = api(actors.officer).post(f"/api/v1/organisations/{organisation['id']}/verify", {"approve": True})
    assert verified.json()["verification"] == "verified"

    response = agency.post(
        "/api/v1/contracts",
        {
            "organisation": organisation["id"],
            "foreign_partner": "Aichi Kogyo Kumiai",
            "country": "JP",
            "programme": Programme.objects.get(code="jp-titp").code,
            "occupation": Occupation.objects.get(code="7212").code,
            "quota": 20,
            "monthly_wage": "180000",
            "currency": "JPY",
            "term_months": 36,
            "approval_number": "101/QLLĐNN-HĐ",
            "approved_on": "2026-10-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    contract = response.json()
    assert contract["remaining"] == 20

    fields = overseas_fields(LabourSupplyContract.objects.get(pk=contract["id"]))
    response = agency.post(
        "/api/v1/vacancies", as_payload({"organisation": organisation["id"], **fields}), format="json"
    )
    assert response.status_code == 201, response.json()
    vacancy = response.json()
    assert vacancy["status"] == "draft"
    assert vacancy["overseas_terms"]["fee_verdict"] == "within_cap"
    # 180.000 JPY at the demo rate of 175 VND: 31.500.000 VND a month, 36 months → cap of 3 months' wage
    assert vacancy["overseas_terms"]["fee_cap_vnd"] == 94_500_000

    assert agency.post(f"/api/v1/vacancies/{vacancy['id']}/submit").json()["status"] == "pending_review"
    assert api(actors.officer).post(f"/api/v1/vacancies/{vacancy['id']}/approve").json()["status"] == "published"

    public = api().get(f"/api/v1/vacancies/{vacancy['id']}").json()
    assert public["trust"] == {
        "licence_number": "999/LĐTBXH-GP",
        "licence_status": "active",
        "contract_approval_number": "101/QLLĐNN-HĐ",
        "contract_approved_on": "2026-10-01",
        "fee_verdict": "within_cap",
    }


def test_a_vacancy_above_the_cap_is_refused_with_a_clear_message(api, actors):
    contract = contract_for(actors.agency_org, wage=20_000_000, months=36)
    fields = overseas_fields(contract, costs={"service_fee": 60_000_001})
    client = api(actors.agency)
    vacancy = client.post(
        "/api/v1/vacancies", as_payload({"organisation": actors.agency_org.pk, **fields}), format="json"
    )

    assert vacancy.json()["overseas_terms"]["fee_verdict"] == "above_cap"
    response = client.post(f"/api/v1/vacancies/{vacancy.json()['id']}/submit")

    assert response.status_code == 400
    assert response.json()["status"] == [
        "Phí dịch vụ 60.000.001 đ vượt mức trần theo quy định là 60.000.000 đ "
        "(Luật 69/2020/QH14 điều 23 (Law 69/2020 art. 23): tối đa 1 tháng lương hợp đồng cho mỗi 12 tháng làm việc)."
    ]


@pytest.mark.parametrize(
    ("costs", "months", "occupation", "verdict", "cap"),
    [
        pytest.param({"service_fee": 19_999_999}, 12, "7212", "within_cap", 20_000_000, id="within cap"),
        pytest.param({"service_fee": 20_000_000}, 12, "7212", "within_cap", 20_000_000, id="exactly at cap"),
        pytest.param({"service_fee": 20_000_001}, 12, "7212", "above_cap", 20_000_000, id="above cap"),
        pytest.param({"service_fee": 30_000_000}, 12, "8350", "within_cap", 30_000_000, id="seafarers 1.5 months"),
        pytest.param({"service_fee": 60_000_000}, 48, "7212", "within_cap", 60_000_000, id="36+ months: 3 months"),
        pytest.param({"brokerage_fee": 1}, 12, "7212", "brokerage", 20_000_000, id="brokerage above 0"),
        pytest.param({"visa_fee": None}, 12, "7212", "incomplete", 20_000_000, id="missing item"),
    ],
)
def test_the_fee_check(api, actors, costs, months, occupation, verdict, cap):
    contract = contract_for(actors.agency_org, wage=20_000_000, months=months, occupation=occupation)
    fields = overseas_fields(contract, costs=costs, months=months)
    response = api(actors.agency).post(
        "/api/v1/vacancies", as_payload({"organisation": actors.agency_org.pk, **fields}), format="json"
    )

    terms = response.json()["overseas_terms"]
    assert (terms["fee_verdict"], terms["fee_cap_vnd"]) == (verdict, cap)
    assert bool(terms["fee_findings"]) == (verdict != "within_cap")


def test_the_fee_findings_are_in_english_when_asked(api, actors):
    contract = contract_for(actors.agency_org, wage=20_000_000, months=12)
    fields = overseas_fields(contract, costs={"brokerage_fee": 2_000_000}, months=12)
    response = api(actors.agency, language="en").post(
        "/api/v1/vacancies", as_payload({"organisation": actors.agency_org.pk, **fields}), format="json"
    )

    assert response.json()["overseas_terms"]["fee_findings"][0].startswith(
        "Charging the worker brokerage (2,000,000 đ)"
    )


def test_invalid_input_gets_a_message_per_field_in_vietnamese_or_english(api, actors):
    payload = as_payload({"organisation": actors.employer_org.pk, **domestic_fields()})
    payload.update(positions=0, salary_min="20000000", salary_max="10000000", commune=None)

    vi = api(actors.employer).post("/api/v1/vacancies", payload, format="json")
    en = api(actors.employer, language="en").post("/api/v1/vacancies", payload, format="json")

    assert vi.status_code == en.status_code == 400
    assert vi.json()["positions"] == ["Giá trị phải lớn hơn hoặc bằng 1."]
    assert en.json()["positions"] == ["Ensure this value is greater than or equal to 1."]
    payload["positions"] = 3
    vi = api(actors.employer).post("/api/v1/vacancies", payload, format="json")
    assert vi.json() == {
        "salary_max": ["Mức lương tối đa thấp hơn mức lương tối thiểu."],
        "commune": ["Vui lòng cho biết xã, phường, đặc khu nơi làm việc."],
    }
    assert not Vacancy.objects.exists()  # nothing half-written


def test_an_overseas_vacancy_never_exceeds_what_remains_of_its_contract(api, actors):
    contract = contract_for(actors.agency_org, quota=10)
    published_vacancy(actors.agency_org, overseas_fields(contract, positions=7), officer=actors.officer)

    response = api(actors.agency).post(
        "/api/v1/vacancies",
        as_payload({"organisation": actors.agency_org.pk, **overseas_fields(contract, positions=4)}),
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["positions"] == ["Hợp đồng chỉ còn 3 chỉ tiêu; tin tuyển dụng này cần tuyển 4 người."]


def test_an_overseas_vacancy_must_use_its_own_enterprises_contract(api, actors):
    other = VerifiedAgencyFactory()
    member_of(other)
    contract = contract_for(other)

    response = api(actors.agency).post(
        "/api/v1/vacancies",
        as_payload({"organisation": actors.agency_org.pk, **overseas_fields(contract)}),
        format="json",
    )

    assert response.status_code == 400
    assert "contract" in response.json()


def test_suspending_a_licence_takes_its_overseas_vacancies_out_of_public_view(api, actors):
    vacancy = published_vacancy(actors.agency_org, abroad=True, officer=actors.officer)
    assert api().get(f"/api/v1/vacancies/{vacancy.pk}").status_code == 200

    response = api(actors.officer).post(
        f"/api/v1/organisations/{actors.agency_org.pk}/licence", {"status": "suspended", "note": "Vi phạm điều 7"}
    )

    assert response.status_code == 200
    assert api().get(f"/api/v1/vacancies/{vacancy.pk}").status_code == 404
    assert vacancy.pk not in [v["id"] for v in api().get("/api/v1/vacancies").json()["results"]]
    assert api(actors.agency).get(f"/api/v1/vacancies/{vacancy.pk}").json()["trust"]["licence_status"] == "suspended"


def test_the_workflow_refuses_illegal_transitions(api, actors):
    owner = api(actors.employer)
    created = owner.post(
        "/api/v1/vacancies", as_payload({"organisation": actors.employer_org.pk, **domestic_fields()}), format="json"
    ).json()

    assert owner.post(f"/api/v1/vacancies/{created['id']}/close").status_code == 400  # a draft is not published
    assert api(actors.officer).post(f"/api/v1/vacancies/{created['id']}/approve").status_code == 400
    owner.post(f"/api/v1/vacancies/{created['id']}/submit")
    rejected = api(actors.officer).post(f"/api/v1/vacancies/{created['id']}/reject", {"reason": ""})
    assert rejected.json() == {"reason": ["Vui lòng nêu lý do từ chối tin tuyển dụng."]}
    api(actors.officer).post(f"/api/v1/vacancies/{created['id']}/reject", {"reason": "Thiếu mô tả công việc"})

    vacancy = Vacancy.objects.get(pk=created["id"])
    assert vacancy.status == "rejected" and vacancy.status_reason == "Thiếu mô tả công việc"
    assert [(e.from_status, e.to_status, e.by) for e in vacancy.events.all()] == [
        ("", "draft", actors.employer),
        ("draft", "pending_review", actors.employer),
        ("pending_review", "rejected", actors.officer),
    ]


def test_editing_a_published_vacancy_sends_it_back_to_review(api, actors):
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)

    response = api(actors.employer).patch(f"/api/v1/vacancies/{vacancy.pk}", {"positions": 5}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "pending_review"
    assert api().get(f"/api/v1/vacancies/{vacancy.pk}").status_code == 404
    assert list(vacancy.events.values_list("from_status", "to_status", "by", "reason"))[-1] == (
        "published",
        "pending_review",
        actors.employer.pk,
        "chỉnh sửa sau khi đăng",
    )


# Each move of the review workflow as its users make it, and the moves the workflow allows.
REVIEW_MOVES = {
    "submit": lambda api, actors, pk: api(actors.employer).post(f"/api/v1/vacancies/{pk}/submit"),
    "approve": lambda api, actors, pk: api(actors.officer).post(f"/api/v1/vacancies/{pk}/approve"),
    "reject": lambda api, actors, pk: api(actors.officer).post(f"/api/v1/vacancies/{pk}/reject", {"reason": "Thiếu"}),
    "close": lambda api, actors, pk: api(actors.employer).post(f"/api/v1/vacancies/{pk}/close"),
    "edit": lambda api, actors, pk: api(actors.employer).patch(
        f"/api/v1/vacancies/{pk}", {"positions": 7}, format="json"
    ),
}
REVIEW_WORDS = {"submit": "đã gửi duyệt", "approve": "đã duyệt", "reject": "bị từ chối", "close": "đã đóng"}
REVIEW_WORDS["edit"] = "chỉnh sửa"
ALLOWED = {("draft", "submit"), ("rejected", "submit"), ("pending_review", "approve"), ("pending_review", "reject")}
ALLOWED |= {("published", "close"), ("draft", "edit"), ("rejected", "edit"), ("pending_review", "edit")}
ALLOWED |= {("published", "edit")}


def test_every_move_the_review_workflow_does_not_list_is_refused_and_nothing_is_written(api, actors):
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)

    def stored():
        row = Vacancy.objects.values("status", "status_reason", "positions", "modified_at").get(pk=vacancy.pk)
        return row, VacancyEvent.objects.count(), VacancyChange.objects.count()

    refused = 0
    for status in Vacancy.Status.values:
        for move, make in REVIEW_MOVES.items():
            if (status, move) in ALLOWED:
                continue
            Vacancy.objects.filter(pk=vacancy.pk).update(status=status)
            before = stored()

            response = make(api, actors, vacancy.pk)

            with translation.override("vi"):
                label = Vacancy.Status(status).label
            message = f"Tin tuyển dụng đang ở trạng thái “{label}” nên không thể chuyển sang “{REVIEW_WORDS[move]}”."
            assert (response.status_code, response.json()) == (400, {"status": [message]}), (status, move)
            assert stored() == before, (status, move)
            refused += 1
    assert refused == 6 * 5 - len(ALLOWED)


def test_the_bulk_expiry_expires_only_what_the_workflow_lets_expire(api, actors):
    vacancies = {status: published_vacancy(actors.employer_org, officer=actors.officer) for status in Status}
    for status, vacancy in vacancies.items():
        Vacancy.objects.filter(pk=vacancy.pk).update(status=status, deadline=timezone.localdate() - timedelta(days=1))
    events = VacancyEvent.objects.count()

    assert services.vacancies_expire() == 1

    moved = vacancies.pop(Status.PUBLISHED)
    assert Vacancy.objects.get(pk=moved.pk).status == "expired"
    untouched = Vacancy.objects.filter(pk__in=[v.pk for v in vacancies.values()])
    assert dict(untouched.values_list("pk", "status")) == {v.pk: status for status, v in vacancies.items()}
    assert VacancyEvent.objects.count() == events + 1
    assert moved.events.values_list("from_status", "to_status").last() == ("published", "expired")
    assert api().get(f"/api/v1/vacancies/{moved.pk}").status_code == 404
    assert services.vacancies_expire() == 0  # once


def test_a_vacancy_stays_with_its_organisation_in_the_service_and_the_api(api, actors):
    vacancy = published_vacancy(actors.employer_org, positions=2, officer=actors.officer)

    with pytest.raises(ValidationError) as refused:
        services.vacancy_update(vacancy=vacancy, by=actors.employer, organisation=actors.agency_org, positions=3)
    response = api(actors.employer).patch(
        f"/api/v1/vacancies/{vacancy.pk}", {"organisation": actors.agency_org.pk, "positions": 3}, format="json"
    )
    mine = {"organisation": actors.employer_org.pk}
    same = api(actors.employer).patch(f"/api/v1/vacancies/{vacancy.pk}", mine, format="json")

    assert list(refused.value.message_dict) == ["organisation"]
    assert (response.status_code, response.json()) == (400, {"organisation": ["Không thể đổi sang tổ chức khác."]})
    assert same.status_code == 200
    stored = Vacancy.objects.get(pk=vacancy.pk)
    assert (stored.organisation_id, stored.positions) == (actors.employer_org.pk, 2)


def test_an_unverified_employer_cannot_be_published(api, actors):
    actors.employer_org.verification = "pending"
    actors.employer_org.save()
    owner = api(actors.employer)
    created = owner.post(
        "/api/v1/vacancies", as_payload({"organisation": actors.employer_org.pk, **domestic_fields()}), format="json"
    ).json()
    owner.post(f"/api/v1/vacancies/{created['id']}/submit")

    response = api(actors.officer).post(f"/api/v1/vacancies/{created['id']}/approve")

    assert response.status_code == 400
    assert response.json()["status"] == ["Đơn vị chưa được Sở Nội vụ xác minh."]


def test_a_tax_code_is_ten_digits_or_thirteen_with_a_branch(api, actors):
    client = api(actors.worker)
    bad = client.post("/api/v1/organisations", {"kind": "employer", "name": "X", "tax_code": "12345"})
    good = client.post("/api/v1/organisations", {"kind": "employer", "name": "Y", "tax_code": "3200111222-001"})

    assert bad.status_code == 400 and "tax_code" in bad.json()
    assert good.status_code == 201


def test_only_the_department_registers_a_public_employment_service_centre(api, actors):
    centre = {"kind": "public_centre", "name": "Trung tâm Dịch vụ việc làm", "tax_code": "3200111333"}

    refused = api(actors.worker).post("/api/v1/organisations", centre)
    registered = api(actors.officer).post("/api/v1/organisations", centre)

    assert refused.status_code == 400
    assert refused.json() == {"kind": ["Trung tâm dịch vụ việc làm công do Sở Nội vụ đăng ký."]}
    assert registered.status_code == 201


def test_the_public_list_reads_in_a_fixed_number_of_queries(api, actors, django_assert_max_num_queries):
    contract = contract_for(actors.agency_org, quota=100)
    for _ in range(3):
        published_vacancy(actors.employer_org, officer=actors.officer)
        published_vacancy(actors.agency_org, overseas_fields(contract), officer=actors.officer)

    with django_assert_max_num_queries(4):  # count, page, languages; nothing per vacancy
        response = api().get("/api/v1/vacancies")

    assert response.json()["count"] == 6


def test_expired_deadlines_leave_public_view(api, actors):
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    Vacancy.objects.filter(pk=vacancy.pk).update(deadline=timezone.localdate() - timedelta(days=1))

    assert api().get(f"/api/v1/vacancies/{vacancy.pk}").status_code == 404
