"""Shared fixtures. Every service is the real one: PostgreSQL, Redis, Elasticsearch, Celery."""

import time
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from portal.celery import app as celery_app
from search.client import elasticsearch
from search.documents import DOCUMENTS
from search.indexes import ensure_alias


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
    """A real Celery worker, in a thread, consuming the test broker on the real Redis."""
    celery_app.control.purge()
    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10) as worker:
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
