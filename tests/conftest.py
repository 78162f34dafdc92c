"""Shared fixtures. Every service is the real one: PostgreSQL, Redis, Elasticsearch, Celery."""

import io
import re
import time
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
import segno
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import formats, translation

from portal.celery import app as celery_app
from portal.throttling import AnonRateThrottle
from search import queries
from search.client import elasticsearch
from search.documents import DOCUMENTS, OccupationDocument
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
            make_worker,
            member_of,
        )

        self.employer_org = VerifiedEmployerFactory()
        self.agency_org = VerifiedAgencyFactory()
        self.unlicensed_org = SuspendedAgencyFactory()
        self.worker = make_worker("0913 000 000", full_name="Trần Văn Diễn").user  # with a profile, as workers have
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


# --- What a user reads: pages, tables, workbooks, reports -------------------------------------------------


def text(response) -> str:
    """The page's visible text, tags dropped and spaces collapsed, to read like a person does."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


class Tables(HTMLParser):
    """The page's tables, by their section's id, as rows of the text in their cells."""

    def __init__(self, html: str):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id", "").startswith("table-"):
            self.current = self.tables.setdefault(attrs["id"].removeprefix("table-"), [])
        elif tag == "tr" and self.current is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None
        elif tag == "section":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def page_tables(client, query: str) -> dict:
    response = client.get(f"/desk/dashboard/?{query}")
    assert response.status_code == 200
    return Tables(response.content.decode()).tables


def as_on_page(cell) -> str:
    """A workbook's cell as Excel shows it with Vietnamese separators: its number format applied."""
    if cell.value is None:
        return "—"
    if isinstance(cell.value, str):
        return cell.value
    if cell.number_format == "#,##0":
        shown = Decimal(cell.value).quantize(Decimal(1))
    else:
        assert cell.number_format == "#,##0.0#"
        shown = Decimal(f"{cell.value:.2f}")
        shown = shown.quantize(Decimal("0.1")) if shown == shown.quantize(Decimal("0.1")) else shown
    with translation.override("vi"):
        return formats.number_format(shown, use_l10n=True, force_grouping=True)


def assert_same_figures(book, tables: dict, *, as_of: date):
    """Every sheet holds its table of the page: same headers, same rows, same numbers as shown."""
    assert len(book.worksheets) == len(tables)
    for sheet, (name, rows) in zip(book.worksheets, tables.items(), strict=True):
        assert sheet["A2"].value == "Số liệu đến ngày" and sheet["B2"].value.date() == as_of
        assert sheet["B2"].number_format == "dd/mm/yyyy"
        in_book = [[as_on_page(cell) for cell in row] for row in sheet.iter_rows(min_row=4)]
        said_on_the_page_only = (
            ["Chưa có kết quả nào được xác nhận."],
            ["Chưa có lượt tuyển sinh nào được nhận."],
            ["Chưa có lượt xuất cảnh hoặc về nước nào."],
            ["Không có vụ việc nào đang mở."],
            ["Năm nay chưa có phiên giao dịch nào diễn ra."],
            ["Không có tin tuyển dụng nào còn hạn vào cuối tháng."],
            ["Chưa có số liệu của tháng này."],
        )
        expected = [row for row in rows if row not in said_on_the_page_only]
        assert in_book == expected, name


def run_command(kind, path, officer, *extra) -> tuple[bool, list[str]]:
    """The command's report, line by line, and whether it succeeded."""
    out = io.StringIO()
    try:
        call_command("import_records", kind, str(path), "--officer", officer.username, *extra, stdout=out)
        ok = True
    except CommandError:
        ok = False
    return ok, out.getvalue().splitlines()


def problems(lines: list[str]) -> list[tuple[str, str, str]]:
    return [tuple(line.split("\t")) for line in lines[1:]]


def page_saying(client, url: str, words: str) -> str | None:
    html = client.get(url).content.decode()
    return html if words in html else None


def found(text, es):
    es.indices.refresh(index=alias_of(OccupationDocument))
    return [hit["code"] for hit in queries.occupations_matching(text)]


class ThreeAMinute(AnonRateThrottle):
    rate = "3/min"


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


def qr_of(address: str) -> bytes:
    """The QR code of an address, as segno draws it: what the ticket's image must be."""

    out = io.BytesIO()
    segno.make(address, error="m").save(out, kind="svg", scale=6, border=2)
    return out.getvalue()
