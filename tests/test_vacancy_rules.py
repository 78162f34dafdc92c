"""The rules behind a vacancy that an agency or employer would try to get around."""

import pytest

from jobs.models import FeeRule, Programme
from tests.factories import (
    VerifiedAgencyFactory,
    as_payload,
    contract_for,
    domestic_fields,
    member_of,
    overseas_fields,
    published_vacancy,
)


def post(api, user, organisation, fields, language="vi"):
    return api(user, language=language).post(
        "/api/v1/vacancies", as_payload({"organisation": organisation.pk, **fields}), format="json"
    )


def test_a_vacancy_at_home_cannot_borrow_a_contract(api, actors):
    contract = contract_for(actors.agency_org)

    response = post(api, actors.employer, actors.employer_org, domestic_fields(contract=contract, positions=10))

    assert response.status_code == 400
    assert list(response.json()) == ["contract"]


def test_a_vacancy_cannot_ask_for_workers_below_the_working_age_through_the_api_either(api, actors):
    response = post(api, actors.employer, actors.employer_org, domestic_fields(age_min=14))

    assert response.status_code == 400
    assert response.json() == {"age_min": ["Người lao động phải từ đủ 15 tuổi trở lên."]}


def test_members_change_contact_details_but_not_what_the_department_verified(api, actors):
    client = api(actors.employer)
    org = f"/api/v1/organisations/{actors.employer_org.pk}"

    assert client.patch(org, {"phone": "0233 3999 999"}, format="json").json()["phone"] == "0233 3999 999"
    refused = client.patch(org, {"tax_code": "3200000999", "name": "Tên khác"}, format="json")

    assert refused.status_code == 400
    assert set(refused.json()) == {"tax_code", "name"}


def test_the_fee_cap_follows_the_approved_contracts_term_not_the_posts(api, actors):
    contract = contract_for(actors.agency_org, wage=20_000_000, months=12)

    response = post(api, actors.agency, actors.agency_org, overseas_fields(contract, months=36))

    assert response.status_code == 400
    assert response.json()["overseas_terms"] == [
        "Thời hạn hợp đồng dài hơn thời hạn 12 tháng của hợp đồng cung ứng đã được chấp thuận."
    ]


def test_seafarers_keep_their_cap_on_long_contracts(api, actors):
    contract = contract_for(actors.agency_org, wage=20_000_000, months=48, occupation="8350")

    response = post(api, actors.agency, actors.agency_org, overseas_fields(contract, months=48))

    assert response.json()["overseas_terms"]["fee_cap_vnd"] == 120_000_000  # 1.5 months per 12, for 48 months


def test_a_rule_changed_after_the_save_is_applied_at_submission(api, actors):
    contract = contract_for(actors.agency_org, wage=20_000_000, months=12)
    created = post(api, actors.agency, actors.agency_org, overseas_fields(contract, months=12)).json()
    assert created["overseas_terms"]["fee_verdict"] == "within_cap"
    FeeRule.objects.create(
        kind="service_fee", country_id="JP", max_vnd=10_000_000, source="Thông tư mới (ví dụ)", confirmed=True
    )

    response = api(actors.agency).post(f"/api/v1/vacancies/{created['id']}/submit")

    assert response.status_code == 400
    assert "10.000.000 đ" in response.json()["status"][0]


def test_a_certificate_is_named_once_and_its_level_checked(api, actors):
    twice = domestic_fields(languages=[{"framework": "jlpt", "level": "N4"}, {"framework": "jlpt", "level": "N3"}])
    unknown = domestic_fields(languages=[{"framework": "jlpt", "level": "N6"}])

    assert post(api, actors.employer, actors.employer_org, twice).json() == {
        "languages": ["Mỗi loại chứng chỉ chỉ được nêu một lần."]
    }
    assert post(api, actors.employer, actors.employer_org, unknown).status_code == 400


def test_a_vacancy_stays_inside_its_programmes_age_band(api, actors):
    contract = contract_for(actors.agency_org, country="KR")
    contract.programme = Programme.objects.get(code="kr-eps")
    contract.save()

    response = post(api, actors.agency, actors.agency_org, overseas_fields(contract, age_min=18, age_max=55))

    assert response.json() == {"age_max": ["Chương trình này tiếp nhận người lao động đến 39 tuổi."]}


def test_a_refusal_in_english_is_all_english(api, actors):
    draft = post(api, actors.employer, actors.employer_org, domestic_fields()).json()

    response = api(actors.employer, language="en").post(f"/api/v1/vacancies/{draft['id']}/close")

    assert response.json() == {"status": ["A vacancy that is draft cannot be closed."]}


@pytest.mark.parametrize("path", ["/api/v1/contracts", "/api/v1/organisations"])
def test_lists_read_in_a_fixed_number_of_queries(api, actors, django_assert_max_num_queries, path):
    for _ in range(5):
        agency = VerifiedAgencyFactory()
        member_of(agency)
        published_vacancy(agency, abroad=True, officer=actors.officer)

    with django_assert_max_num_queries(3):  # count and page; nothing per row
        response = api(actors.officer).get(path)

    assert response.json()["count"] >= 5


def test_a_contracts_quota_never_drops_below_what_its_vacancies_hold(api, actors):
    contract = contract_for(actors.agency_org, quota=10)
    published_vacancy(actors.agency_org, overseas_fields(contract, positions=6), officer=actors.officer)
    client = api(actors.agency)

    refused = client.patch(f"/api/v1/contracts/{contract.pk}", {"quota": 5}, format="json")
    accepted = client.patch(f"/api/v1/contracts/{contract.pk}", {"quota": 8}, format="json")

    assert refused.json() == {"quota": ["Các tin tuyển dụng đã giữ 6 chỉ tiêu của hợp đồng này."]}
    assert accepted.json()["remaining"] == 2


def test_an_organisation_keeps_its_last_owner(api, actors):
    response = api(actors.employer).delete(
        f"/api/v1/organisations/{actors.employer_org.pk}/members", {"username": actors.employer.username}, format="json"
    )

    assert response.json() == {"username": ["Không thể xoá quản trị viên cuối cùng của đơn vị."]}
