"""Every kind of page and answer carries the content policy and the usual headers, and no page needs what the
policy forbids: no inline script (JSON for scripts is `type="application/json"`, schema.org data
`application/ld+json`: data blocks, never run), no event-handler attribute,
no inline style."""

import pytest
from django.core.cache import cache

from tests.conftest import assert_protected
from tests.factories import contract_for, make_worker, overseas_fields, published_vacancy, signed_in


@pytest.fixture
def world(actors, index):
    contract = contract_for(actors.agency_org)
    vacancy = published_vacancy(
        actors.agency_org, overseas_fields(contract, title="Thực tập sinh hàn"), officer=actors.officer
    )
    worker = make_worker(abroad=True)
    index()
    cache.clear()
    return actors, vacancy, worker


@pytest.mark.search
def test_every_kind_of_page_and_answer_carries_the_policy_and_needs_nothing_it_forbids(client, world):
    actors, vacancy, worker = world
    org, pk = actors.agency_org.pk, vacancy.pk
    pages = {
        None: ["/", "/vacancies/?q=tho+han", f"/vacancies/{pk}/", "/signin/", "/signup/", "/org/", "/desk/report/",
               f"/desk/vacancies/{pk}/report/", "/healthz", "/api/v1/communes", "/api/v1/vacancies/search?q=han",
               "/password-reset/", "/api/docs/", "/api/docs/?script=", "/no-such-page/"],
        worker.user: ["/me/profile/personal/", "/me/profile/consents/", "/me/matches/", "/me/applications/",
                      "/me/data/", "/me/data/download", f"/vacancies/{pk}/", "/api/v1/workers/me", "/me/notifications/",
                      "/me/phone/"],
        actors.agency: ["/org/", f"/org/{org}/vacancies/new/", f"/org/vacancies/{pk}/", f"/org/{org}/contracts/new/",
                        f"/org/vacancies/{pk}/applicants/", f"/org/vacancies/{pk}/candidates/"],
        actors.officer: ["/desk/queues/", "/desk/dashboard/", "/desk/imports/", "/desk/cases/", "/desk/audit/",
                         "/desk/targets/", "/desk/reports/", "/desk/placements/", "/desk/dashboard/months.csv",
                         "/desk/messages/", "/admin/", "/admin/jobs/vacancy/", f"/admin/jobs/vacancy/{pk}/change/",
                         "/api/v1/desk/queues/vacancies"],
    }  # fmt: skip
    for user, paths in pages.items():
        client.logout()
        if user is not None:
            signed_in(client, user)
        for path in paths:
            assert_protected(client.get(path))


@pytest.mark.search
def test_the_htmx_pages_tell_htmx_to_inject_no_style_and_evaluate_nothing(client, world):
    actors, _vacancy, _worker = world
    client.force_login(actors.agency)

    for path in ["/", "/vacancies/?q=han", f"/org/{actors.agency_org.pk}/vacancies/new/"]:
        html = client.get(path).content.decode()
        assert "htmx-2.min.js" in html
        assert '"includeIndicatorStyles": false, "allowEval": false' in html
