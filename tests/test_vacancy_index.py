"""Changes that decide what the public sees reach the search index through the real pipeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs import services
from jobs.models import Programme, Vacancy
from jobs.tasks import expire_vacancies
from search.documents import VacancyDocument
from search.indexes import alias_of
from tests.conftest import eventually
from tests.factories import OfficerFactory, published_vacancy, signed_in

pytestmark = [pytest.mark.search, pytest.mark.celery]


def indexed_ids(es):
    es.indices.refresh(index=alias_of(VacancyDocument))
    hits = es.search(index=alias_of(VacancyDocument), query={"match_all": {}}, size=100, source=False)["hits"]["hits"]
    return {int(hit["_id"]) for hit in hits}


def test_a_licence_suspension_removes_the_agencys_overseas_vacancies_from_the_index(
    celery_worker, search_index, actors
):
    overseas = published_vacancy(actors.agency_org, abroad=True, officer=actors.officer)
    at_home = published_vacancy(actors.employer_org, officer=actors.officer)
    assert eventually(lambda: indexed_ids(search_index) == {overseas.pk, at_home.pk})

    services.licence_set_status(organisation=actors.agency_org, by=actors.officer, status="suspended")

    assert eventually(lambda: indexed_ids(search_index) == {at_home.pk})


def test_bulk_expiry_reaches_the_index(celery_worker, search_index, actors):
    vacancies = [published_vacancy(actors.employer_org, officer=actors.officer) for _ in range(3)]
    assert eventually(lambda: len(indexed_ids(search_index)) == 3)
    yesterday = timezone.localdate() - timedelta(days=1)
    Vacancy.objects.filter(pk__in=[v.pk for v in vacancies[:2]]).update(deadline=yesterday)

    expire_vacancies.delay()  # what beat sends at 00:05

    assert eventually(lambda: indexed_ids(search_index) == {vacancies[2].pk})
    assert set(Vacancy.objects.values_list("status", flat=True)) == {"expired", "published"}


def test_a_programme_age_band_changed_in_the_admin_reaches_its_vacancies_in_the_index(
    celery_worker, search_index, actors, client
):
    vacancy = published_vacancy(actors.agency_org, abroad=True, officer=actors.officer)
    programme = Programme.objects.get(code="jp-titp")

    def age_max():
        search_index.indices.refresh(index=alias_of(VacancyDocument))
        hits = search_index.search(index=alias_of(VacancyDocument), query={"ids": {"values": [vacancy.pk]}})
        return [hit["_source"]["age_max"] for hit in hits["hits"]["hits"]]

    assert eventually(lambda: age_max() == [None])  # neither the vacancy nor the programme sets one
    signed_in(client, OfficerFactory(is_staff=True, is_superuser=True))
    form = {
        field: getattr(programme, field)
        for field in ["code", "name_vi", "name_en", "min_age", "language_requirement", "source"]
    }
    form |= {"country": programme.country_id, "max_age": 30, "confirmed": "on"}

    response = client.post(f"/admin/jobs/programme/{programme.pk}/change/", form)

    assert response.status_code == 302  # saved
    assert eventually(lambda: age_max() == [30])
