"""Shared fixtures. Every service is the real one: PostgreSQL, Redis, Elasticsearch, Celery."""

import time
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache

from portal.celery import app as celery_app
from search import queries
from search.client import elasticsearch
from search.documents import DOCUMENTS
from search.indexes import alias_of, ensure_alias
from search.services import sync


def _drop_test_indices():
    es = elasticsearch()
    for name in es.indices.get(index=f"{settings.SEARCH_INDEX_PREFIX}-*", allow_no_indices=True):
        es.indices.delete(index=name, ignore_unavailable=True)


@pytest.fixture
def search_index():
    """Empty indices behind their aliases for this test (this run's prefix only), dropped afterwards."""
    _drop_test_indices()
    for document in DOCUMENTS:
        ensure_alias(document)
    yield elasticsearch()
    _drop_test_indices()


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker, in a thread, consuming the test broker on the real Redis (every queue)."""
    celery_app.control.purge()
    queues = ["celery", settings.IMPORTS_QUEUE]
    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10, queues=queues) as worker:
        yield worker


def eventually(check, *, seconds=20.0):
    """Poll `check` until it returns something truthy: indexing is asynchronous by design."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


@contextmanager
def broker_at(url):
    """Point task publishing at `url` (a closed port: Redis is "down") for the duration."""
    old = celery_app.conf.broker_url

    def use(broker):
        celery_app.conf.broker_url = broker
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    use(url)
    try:
        yield
    finally:
        use(old)


CLOSED_PORT = 9  # the discard port: nothing listens on it here


def _load_reference():
    from jobs import services

    services.communes_load()
    services.occupations_load()
    services.reference_load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data every test stands on (communes, occupations, programmes, fee rules), once."""
    with django_db_blocker.unblock():
        _load_reference()


@pytest.fixture
def reference(db):
    """Reference data, reloaded when a transactional test has flushed it."""
    from jobs.models import FeeRule

    if not FeeRule.objects.exists():
        _load_reference()


class Actors:
    """The shared cast of permission tests: one of each kind of user."""

    def __init__(self):
        from tests.factories import (
            OfficerFactory,
            SuspendedAgencyFactory,
            UserFactory,
            VerifiedAgencyFactory,
            VerifiedEmployerFactory,
            member_of,
        )

        self.employer_org = VerifiedEmployerFactory()
        self.agency_org = VerifiedAgencyFactory()
        self.unlicensed_org = SuspendedAgencyFactory()
        self.worker = UserFactory()
        self.employer = member_of(self.employer_org)
        self.agency = member_of(self.agency_org)
        self.unlicensed_agency = member_of(self.unlicensed_org)
        self.officer = OfficerFactory()
        self.outsider = UserFactory()


@pytest.fixture
def actors(reference):
    return Actors()


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    def client_for(user=None, language="vi"):
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def index(search_index):
    """Put every vacancy there is through the indexer (as the task would) and make it searchable."""

    def refresh():
        for document in DOCUMENTS:
            sync(document, document.model().objects.values_list("pk", flat=True))
            search_index.indices.refresh(index=alias_of(document))

    cache.clear()  # the throttle counters
    queries.forget_reference()  # the occupation aliases and country names of earlier tests
    return refresh
