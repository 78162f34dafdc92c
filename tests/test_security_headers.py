"""Every kind of page and answer carries the content policy and the usual headers, and no page needs what the
policy forbids: no inline script (JSON for scripts is `type="application/json"`, schema.org data
`application/ld+json`: data blocks, never run), no event-handler attribute,
no inline style."""

import re

import pytest
from django.core.cache import cache

from tests.factories import contract_for, overseas_fields, published, signed_in
from tests.test_pages import make_worker

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response) -> dict:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def inline_code(html: str) -> list[str]:
    """What a strict content policy would block in the page: inline scripts, handlers and styles."""
    found = []
    for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S | re.I):
        data_block = 'type="application/json"' in attributes or 'type="application/ld+json"' in attributes  # never run
        if "src=" not in attributes and not data_block:
            found.append(f"<script{attributes}>{body[:60]}")
    found += re.findall(r"<[^>]*\son[a-z]+\s*=[^>]*>", html, flags=re.I)
    found += re.findall(r"<[^>]*\sstyle\s*=[^>]*>", html, flags=re.I)
    found += re.findall(r"<style\b", html, flags=re.I)
    return found


def assert_protected(response):
    assert response.status_code != 500, response.request["PATH_INFO"]
    assert {name: value for name, value in policy(response).items() if name in POLICY} == POLICY
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]
    if response["Content-Type"].startswith("text/html"):
        assert inline_code(response.content.decode()) == [], response.request["PATH_INFO"]


@pytest.fixture
def world(actors, index):
    contract = contract_for(actors.agency_org)
    vacancy = published(actors.agency_org, overseas_fields(contract, title="Thực tập sinh hàn"), officer=actors.officer)
    worker = make_worker()
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
