"""Courses reach the courses index through the real pipeline (service → commit → Celery on Redis →
Elasticsearch), with their seats left, and reconcile repairs what a lost broker dropped."""

import pytest

from search import queries
from search.documents import CourseDocument
from search.indexes import alias_of
from search.tasks import reconcile
from tests.conftest import CLOSED_PORT, broker_at, eventually
from tests.factories import VerifiedInstitutionFactory, course_fields, member_of, published_course, signed_up
from training import services as training
from training.models import Course

pytestmark = [pytest.mark.search, pytest.mark.celery]


def found(es, text="", **filters):
    es.indices.refresh(index=alias_of(CourseDocument))
    return [hit["pk"] for hit in queries.course_search(queries.CourseQuery(q=text, **filters))["results"]]


@pytest.fixture
def institution(actors):
    organisation = VerifiedInstitutionFactory()
    member_of(organisation)
    return organisation


def test_a_published_course_is_found_without_diacritics_and_leaves_when_its_seats_are_taken(
    celery_worker, search_index, actors, institution, api
):
    owner = institution.memberships.first().user
    draft = training.course_create(organisation=institution, by=owner, **course_fields(title="Hàn điện cơ bản"))
    course = published_course(institution, officer=actors.officer, seats=1, title="Kỹ thuật hàn điện sơ cấp")

    assert eventually(lambda: found(search_index, "ky thuat han") == [course.pk])
    assert found(search_index, occupation="7212", level="elementary") == [course.pk]
    assert found(search_index, occupation="7212", level="intermediate") == []  # above what it leads to
    assert draft.pk not in found(search_index, "han dien")

    assert signed_up(api, "0912 000 501").post(f"/api/v1/courses/{course.pk}/enrol").status_code == 201  # last seat

    assert eventually(lambda: found(search_index, "ky thuat han") == [])
    assert found(search_index, "ky thuat han", seats_left=False) == [course.pk]
    assert not Course.objects.unsynced().exists()


def test_a_course_approved_with_the_broker_down_is_indexed_by_reconcile(
    celery_worker, search_index, actors, institution
):
    with broker_at(f"redis://127.0.0.1:{CLOSED_PORT}/0"):
        course = published_course(institution, officer=actors.officer)

    assert Course.objects.unsynced().filter(pk=course.pk).exists()
    assert found(search_index, "han dien") == []

    reconcile.delay()

    assert eventually(lambda: found(search_index, "han dien") == [course.pk])
    assert not Course.objects.unsynced().exists()
