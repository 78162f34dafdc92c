"""Officers in the admin work under the same rules as the API."""

from jobs.models import Vacancy
from tests.factories import OfficerFactory, as_payload, contract_for, overseas_fields, published_vacancy, signed_in


def test_the_admin_cannot_publish_a_vacancy_above_the_fee_cap(client, api, actors):
    contract = contract_for(actors.agency_org, wage=20_000_000, months=12)
    above = (
        api(actors.agency)
        .post(
            "/api/v1/vacancies",
            as_payload(
                {
                    "organisation": actors.agency_org.pk,
                    **overseas_fields(contract, months=12, costs={"service_fee": 25_000_000}),
                }
            ),
            format="json",
        )
        .json()
    )
    officer = OfficerFactory(is_staff=True, is_superuser=True)
    signed_in(client, officer)

    response = client.post(
        "/admin/jobs/vacancy/", {"action": "approve", "_selected_action": [above["id"]]}, follow=True
    )

    assert Vacancy.objects.get(pk=above["id"]).status == "draft"
    assert "vượt mức trần" in response.content.decode()


def test_the_admin_suspends_a_licence_through_the_service(client, actors):
    vacancy = published_vacancy(actors.agency_org, abroad=True, officer=actors.officer)
    signed_in(client, OfficerFactory(is_staff=True, is_superuser=True))

    done = client.post(
        "/admin/jobs/organisation/", {"action": "suspend_licence", "_selected_action": [actors.agency_org.pk]}
    )

    assert done.status_code == 302

    assert not Vacancy.objects.visible().filter(pk=vacancy.pk).exists()


def test_the_admin_shows_unconfirmed_fee_rules(client, reference):
    signed_in(client, OfficerFactory(is_staff=True, is_superuser=True))

    unconfirmed = client.get("/admin/jobs/feerule/?confirmed__exact=0").content.decode()
    confirmed = client.get("/admin/jobs/feerule/?confirmed__exact=1").content.decode()

    # the 3-month ceiling on 36-month contracts rests on a secondary source only (domain/brief.md)
    assert "hợp đồng từ 36 tháng, tối đa 3 tháng lương" in unconfirmed
    assert "hợp đồng từ 36 tháng, tối đa 3 tháng lương" not in confirmed
