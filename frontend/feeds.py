"""Open data: an Atom feed of any results address, schema.org JobPosting on each visible vacancy's page, a
sitemap of the visible vacancies, and the licence they are published under (CC BY 4.0)."""

import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from jobs.models import Vacancy
from search import queries
from search.alerts import cleaned, query_of

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
FEED_SIZE = 50
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


# --- Atom ---------------------------------------------------------------------------------------


class VacancyFeed(Feed):
    """`/vacancies/feed?…` takes the search's own parameters (a bad one: the search's message, 400) and
    gives its newest 50 results."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        try:
            self.query = query_of(cleaned(request.GET))
        except ValidationError as error:
            detail = error.detail if isinstance(error.detail, dict) else {"": error.detail}
            text = "\n".join(f"{name}: {' '.join(map(str, messages))}" for name, messages in detail.items())
            return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")
        self.query.sort, self.query.page_size, self.query.facets = "newest", FEED_SIZE, ()
        self.path = request.GET.urlencode()
        return super().__call__(request, *args, **kwargs)

    def title(self):
        words = self.query.q or _("all vacancies")
        return _("Quảng Trị Job Portal: %(search)s") % {"search": words}

    def link(self):
        return f"{reverse('results')}?{self.path}"

    def subtitle(self):
        return _("The newest vacancies this search finds.")

    def feed_copyright(self):
        return _("Public vacancy data of the Quảng Trị Job Portal, %(licence)s (%(url)s)") % {
            "licence": LICENCE,
            "url": LICENCE_URL,
        }

    def items(self):
        return queries.vacancy_search(self.query)["results"]

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        return item.get("summary", "")

    def item_link(self, item):
        return reverse("vacancy", args=[item["pk"]])

    def item_pubdate(self, item):
        return datetime.fromisoformat(item["published_at"])

    def item_author_name(self, item):
        return item.get("organisation_name", "")


# --- schema.org JobPosting ------------------------------------------------------------------------

EMPLOYMENT_TYPES = {
    Vacancy.ContractType.PERMANENT: ["FULL_TIME"],
    Vacancy.ContractType.FIXED_TERM: ["FULL_TIME", "TEMPORARY"],
    Vacancy.ContractType.SEASONAL: ["TEMPORARY"],
    Vacancy.ContractType.PART_TIME: ["PART_TIME"],
    Vacancy.ContractType.OVERSEAS: ["FULL_TIME", "TEMPORARY"],
}


def job_posting(vacancy: Vacancy) -> dict:
    """The vacancy as schema.org JobPosting, as Google's job-posting guidelines ask."""
    if vacancy.is_overseas:
        address = {"@type": "PostalAddress", "addressCountry": vacancy.country_id, "addressLocality": vacancy.city}
    else:
        address = {
            "@type": "PostalAddress",
            "addressCountry": "VN",
            "addressRegion": "Quảng Trị",
            "addressLocality": vacancy.commune.name if vacancy.commune else "",
        }
    organisation = vacancy.organisation
    return {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": vacancy.description,
        "identifier": {"@type": "PropertyValue", "name": _("Quảng Trị Job Portal"), "value": str(vacancy.pk)},
        "datePosted": timezone_date(vacancy.published_at),
        "validThrough": datetime.combine(vacancy.deadline, time(23, 59, 59), tzinfo=VIETNAM).isoformat(),
        "employmentType": EMPLOYMENT_TYPES[vacancy.contract_type],
        "hiringOrganization": {"@type": "Organization", "name": organisation.name},
        "jobLocation": {"@type": "Place", "address": address},
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": vacancy.currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": float(vacancy.salary_min),
                "maxValue": float(vacancy.salary_max),
                "unitText": "MONTH",
            },
        },
        "totalJobOpenings": vacancy.positions,
        "occupationalCategory": vacancy.occupation.code,
        "directApply": True,
        "url": settings.SITE_URL + reverse("vacancy", args=[vacancy.pk]),
        "license": LICENCE_URL,
    }


def timezone_date(moment) -> str:
    return moment.astimezone(VIETNAM).date().isoformat() if moment else ""


JSON_IN_HTML = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> str:
    """JSON for a `<script type="application/ld+json">` data block (never run, so the content policy's
    script-src does not apply), escaped as json_script escapes: no "</script>" can close it early."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_IN_HTML))  # noqa: S308 — escaped above


# --- Sitemap and licence ----------------------------------------------------------------------


class VacancySitemap(Sitemap):
    changefreq = "daily"
    limit = 10_000

    def items(self):
        return Vacancy.objects.visible().only("pk", "modified_at").order_by("pk")

    def location(self, item):
        return reverse("vacancy", args=[item.pk])

    def lastmod(self, item):
        return item.modified_at


def sitemap(request):
    return sitemap_view(request, {"vacancies": VacancySitemap})


def licence(request):
    return render(request, "frontend/data_licence.html", {"licence": LICENCE, "licence_url": LICENCE_URL})
