"""Open data as a reader or a crawler sees it: the Atom feed of a search, schema.org JobPosting on the
vacancy pages, the sitemap, the licence."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from jobs import services
from jobs.models import Occupation
from tests.factories import draft_vacancy, published_vacancy

pytestmark = pytest.mark.search
ATOM = "{http://www.w3.org/2005/Atom}"
JOB_POSTING_FIELDS = {
    "title",
    "description",
    "datePosted",
    "validThrough",
    "hiringOrganization",
    "jobLocation",
    "baseSalary",
    "employmentType",
    "directApply",
}


def json_ld(client, vacancy) -> dict:
    page = client.get(f"/vacancies/{vacancy.pk}/")
    assert page.status_code == 200
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.content.decode(), re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_a_vacancy_at_home_carries_its_job_posting(client, actors, index):
    vacancy = published_vacancy(actors.employer_org, title="Thợ hàn </script> CO2", officer=actors.officer)

    posting = json_ld(client, vacancy)

    assert set(posting) >= JOB_POSTING_FIELDS
    assert posting["@context"] == "https://schema.org/" and posting["@type"] == "JobPosting"
    assert posting["title"] == "Thợ hàn </script> CO2"  # escaped in the page, whole in the data
    assert posting["hiringOrganization"] == {"@type": "Organization", "name": actors.employer_org.name}
    assert posting["jobLocation"]["address"]["addressCountry"] == "VN"
    assert posting["jobLocation"]["address"]["addressLocality"] == "Đông Hà"
    assert posting["baseSalary"]["currency"] == "VND"
    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "minValue": 9_000_000,
        "maxValue": 14_000_000,
        "unitText": "MONTH",
    }
    assert posting["datePosted"] == timezone.localdate(vacancy.published_at).isoformat()  # Vietnam's day
    assert posting["validThrough"] == f"{vacancy.deadline.isoformat()}T23:59:59+07:00"
    assert posting["employmentType"] == ["FULL_TIME", "TEMPORARY"] and posting["directApply"] is True


def test_a_vacancy_abroad_names_its_country_and_a_closed_one_has_none(client, actors, index):
    vacancy = published_vacancy(actors.agency_org, abroad=True, officer=actors.officer)

    posting = json_ld(client, vacancy)

    assert set(posting) >= JOB_POSTING_FIELDS
    assert posting["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "JP",
        "addressLocality": "Nagoya",
    }
    assert posting["hiringOrganization"]["name"] == actors.agency_org.name
    services.vacancy_close(vacancy=vacancy, by=actors.agency)
    client.force_login(actors.agency)
    assert "application/ld+json" not in client.get(f"/vacancies/{vacancy.pk}/").content.decode()


def test_the_atom_feed_of_a_search_gives_its_newest_results(client, actors, index):
    welding = published_vacancy(actors.employer_org, title="Tuyển thợ hàn CO2", officer=actors.officer)
    published_vacancy(
        actors.employer_org,
        title="Nhân viên kế toán",
        description="Kế toán.",
        occupation=Occupation.objects.get(code="2411"),
        officer=actors.officer,
    )
    index()

    response = client.get("/vacancies/feed", {"q": "tho han"})

    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Tuyển thợ hàn CO2"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(f"/vacancies/{welding.pk}/")
    assert "CC BY 4.0" in feed.findtext(f"{ATOM}rights")


def test_a_feed_with_a_bad_filter_gets_the_searchs_message(client, reference):
    response = client.get("/vacancies/feed", {"commune": "99999"})
    assert response.status_code == 400
    assert response.content.decode().startswith("commune: ")


def test_the_sitemap_lists_the_visible_vacancies_only(client, actors, index):
    visible = published_vacancy(actors.employer_org, officer=actors.officer)
    draft = draft_vacancy(actors.employer_org)

    urls = re.findall(r"<loc>(.*?)</loc>", client.get("/sitemap.xml").content.decode())

    assert any(url.endswith(f"/vacancies/{visible.pk}/") for url in urls)
    assert not any(url.endswith(f"/vacancies/{draft.pk}/") for url in urls)


def test_the_licence_of_the_public_data_is_stated(client, reference):
    page = client.get("/data-licence/").content.decode()
    assert "CC BY 4.0" in page and 'rel="license"' in page
