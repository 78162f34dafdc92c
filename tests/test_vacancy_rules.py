"""The rules behind a vacancy that an agency or employer would try to get around."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import FeeRule, Organisation, Programme, Vacancy
from jobs.services import organisation_verify, vacancies_expire
from tests.factories import (
    VerifiedAgencyFactory,
    as_payload,
    contract_for,
    domestic_fields,
    draft_vacancy,
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


# --- What is public: the querysets' vocabulary (jobs/models.py) ---------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "active"),
    [
        pytest.param({}, True, id="active, a year left"),
        pytest.param({"licence_expires_on": 0}, True, id="expires today"),
        pytest.param({"licence_expires_on": -1}, False, id="expired yesterday"),
        pytest.param({"licence_status": "suspended"}, False, id="suspended"),
        pytest.param({"licence_status": "revoked"}, False, id="revoked"),
        pytest.param({"kind": "employer"}, False, id="a licence of the wrong kind"),
    ],
)
def test_a_licence_is_active_only_for_a_service_enterprise_whose_active_licence_has_not_expired(db, overrides, active):
    if "licence_expires_on" in overrides:  # days from today, counted when the test runs (not when it is collected)
        overrides = {"licence_expires_on": timezone.localdate() + timedelta(days=overrides["licence_expires_on"])}
    organisation = VerifiedAgencyFactory(**overrides)

    assert Organisation.objects.licence_active().filter(pk=organisation.pk).exists() is active
    assert organisation.licence_is_active() is active  # the same rule, read from the row


def test_a_published_vacancy_of_an_organisation_no_longer_verified_is_not_visible(api, actors):
    vacancy = published_vacancy(actors.employer_org, officer=actors.officer)
    assert api().get(f"/api/v1/vacancies/{vacancy.pk}").status_code == 200

    organisation_verify(organisation=actors.employer_org, by=actors.officer, approve=False, note="Giả mạo")

    assert api().get(f"/api/v1/vacancies/{vacancy.pk}").status_code == 404
    assert Vacancy.objects.published().filter(pk=vacancy.pk).exists()  # its own status did not change


def test_an_overseas_vacancy_is_visible_only_through_an_active_licence_of_the_right_kind(api, actors):
    vacancy = published_vacancy(actors.agency_org, officer=actors.officer, abroad=True)
    assert api().get(f"/api/v1/vacancies/{vacancy.pk}").status_code == 200

    Organisation.objects.filter(pk=actors.agency_org.pk).update(kind=Organisation.Kind.EMPLOYER)

    assert api().get(f"/api/v1/vacancies/{vacancy.pk}").status_code == 404


def test_a_licence_that_ran_out_yesterday_takes_its_overseas_vacancies_out_at_the_nightly_expiry(api, actors):
    vacancy = published_vacancy(actors.agency_org, officer=actors.officer, abroad=True)
    today = timezone.localdate()
    Organisation.objects.filter(pk=actors.agency_org.pk).update(licence_expires_on=today - timedelta(days=1))
    before = Vacancy.objects.get(pk=vacancy.pk).modified_at

    vacancies_expire(today=today)

    assert Vacancy.objects.get(pk=vacancy.pk).modified_at > before  # requeued, so the index drops it
    assert api().get(f"/api/v1/vacancies/{vacancy.pk}").status_code == 404


# --- Within the fee cap: one decision (jobs/fees.py), read by the pages ------------------------------------


def cost_lines(client, vacancy) -> dict:
    """The vacancy page's two fee lines and whether each shows as fine: the fee check and the cap's line."""
    html = client.get(f"/vacancies/{vacancy.pk}/").content.decode()
    check = re.search(r'<li class="(ok|warn)">Kiểm tra chi phí', html).group(1)
    cap = re.search(r'<p class="(ok|warn)">Tiền dịch vụ', html).group(1)
    return {"fee check": check, "cap line": cap}


@pytest.mark.parametrize(
    ("costs", "lines"),
    [
        pytest.param({}, {"fee check": "ok", "cap line": "ok"}, id="within the cap"),
        pytest.param({"service_fee": 60_000_001}, {"fee check": "warn", "cap line": "warn"}, id="above the cap"),
        pytest.param({"brokerage_fee": 1_000_000}, {"fee check": "warn", "cap line": "ok"}, id="brokerage only"),
    ],
)
def test_the_owner_sees_on_the_draft_which_fee_line_fails(client, actors, costs, lines):
    contract = contract_for(actors.agency_org, wage=20_000_000, months=36)
    vacancy = draft_vacancy(actors.agency_org, overseas_fields(contract, costs=costs))
    client.force_login(actors.agency)

    assert cost_lines(client, vacancy) == lines
