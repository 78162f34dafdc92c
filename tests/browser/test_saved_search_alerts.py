"""A saved search, clicked through in Chromium: a worker saves "tho han" abroad with a daily digest, an agency
publishes a welding vacancy in Japan, the next digest reaches the worker's phone through the local SMS server
with that vacancy and a stop link that works; after stopping, nothing more arrives."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candidates import services as candidates
from search import alerts
from search.models import PendingPercolation, SavedSearch
from search.tasks import alert_digests
from tests.browser.conftest import sign_in
from tests.conftest import eventually, sent_to_providers
from tests.factories import contract_for, make_worker, overseas_fields, published_vacancy

pytestmark = pytest.mark.browser


def test_a_worker_saves_a_search_and_the_daily_digest_brings_the_new_vacancy_until_stopped(
    page, live_server, actors, search_index, celery_worker, providers, look
):
    profile = make_worker("0912 000 601")
    candidates.consent_set(worker=profile, purpose="alerts", granted=True)
    sign_in(page, live_server, "0912000601")

    page.goto(f"{live_server.url}/vacancies/?q=tho+han&abroad=true")
    page.get_by_label("Tên tìm kiếm này").fill("Hàn ở nước ngoài")
    page.get_by_label("tóm tắt hằng ngày").check()
    look("save-search")
    page.get_by_role("button", name="Lưu tìm kiếm này").click()
    expect(page.get_by_text("Đã lưu tìm kiếm.")).to_be_visible()
    expect(page.get_by_role("link", name="Hàn ở nước ngoài")).to_be_visible()
    look("saved-searches")

    contract = contract_for(actors.agency_org)
    vacancy = published_vacancy(
        actors.agency_org, overseas_fields(contract, title="Thợ hàn bán tự động tại Aichi"), officer=actors.officer
    )
    assert eventually(lambda: SavedSearch.objects.get().hits.filter(vacancy=vacancy).exists())  # indexed, percolated
    alert_digests.delay()  # what beat sends each morning

    def texts():
        return [m["text"] for m in sent_to_providers(providers) if m["to"] == "0912000601"]

    assert eventually(texts)
    sms = texts()[0]
    assert "Tho han ban tu dong tai Aichi" in sms and "Han o nuoc ngoai" in sms
    page.goto(live_server.url + re.search(r"/searches/stop/[^/\s]+/", sms).group(0))
    page.get_by_role("button", name="Dừng thông báo này").click()
    expect(page.get_by_role("heading", name="Đã dừng thông báo")).to_be_visible()

    another = published_vacancy(
        actors.agency_org, overseas_fields(contract, title="Thợ hàn TIG tại Osaka"), officer=actors.officer
    )
    assert eventually(lambda: not PendingPercolation.objects.filter(vacancy_id=another.pk).exists())
    assert alerts.digests(day=timezone.localdate() + timedelta(days=1)) == 0  # the next morning: nothing to tell
    assert not SavedSearch.objects.get().hits.filter(vacancy=another).exists()
    assert len(texts()) == 1
