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
    queues = ["celery", settings.IMPORTS_QUEUE, settings.NOTIFY_QUEUE]
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


@pytest.fixture(autouse=True)
def no_limits_spent():
    """Each test starts with no rate counters spent (sign-up codes, sign-in failures, searches): they live in
    this run's own Redis database and would otherwise carry over from one test to the next."""
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def providers():
    """The local SMS (eSMS), Zalo ZNS and SMTP servers of notifications/devservers.py, on free ports of this
    run's own: every message a test causes goes to them through the network, as in production."""
    from notifications.devservers import DevServers

    servers = DevServers().start()
    settings.ESMS_URL, settings.ZALO_ZNS_URL = servers.sms.url, servers.zalo.url
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", servers.smtp.port
    yield servers
    servers.stop()


@pytest.fixture(autouse=True)
def empty_outbox(providers):
    """Each test reads only what it caused the local providers to receive."""
    with providers.outbox.lock:
        providers.outbox.sent.clear()
        providers.outbox.request_ids.clear()
    providers.outbox.fail_status = 0
    providers.outbox.no_zalo = set()


def sent_to_providers(providers) -> list[dict]:
    """What the local providers received, read from them over HTTP as a developer reads the outbox page."""
    import json
    import urllib.request

    with urllib.request.urlopen(f"{providers.sms.url}/sent.json", timeout=5) as answer:
        return json.load(answer)


def send_now() -> None:
    """What the Celery worker does after a commit, done here and now for tests that run without one."""
    from notifications.models import Event
    from notifications.tasks import dispatch

    dispatch(list(Event.objects.filter(expanded_at=None).values_list("pk", flat=True)))


def code_sent_to(providers, phone: str) -> str:
    """The last one-time code the local SMS server received for this number (0912 345 678 as typed)."""
    import re

    national = "0" + phone.replace(" ", "").removeprefix("+84").removeprefix("0")
    send_now()
    texts = [sms["text"] for sms in sent_to_providers(providers) if sms["channel"] == "sms" and sms["to"] == national]
    codes = [match.group(1) for text in texts if (match := re.search(r"\b(\d{6})\b", text))]
    assert codes, f"no code was sent to {phone}"
    return codes[-1]


@pytest.fixture
def sign_up(providers):
    """Sign a client up the way a worker does: number and password, then the code that came by SMS."""

    def signed_up(client, phone: str, password: str = "thohan-2026"):
        started = client.post("/api/v1/auth/signup", {"phone": phone, "password": password})
        assert started.status_code == 202, started.json()
        confirmed = client.post("/api/v1/auth/signup/confirm", {"phone": phone, "code": code_sent_to(providers, phone)})
        assert confirmed.status_code == 201, confirmed.json()
        return client

    return signed_up
