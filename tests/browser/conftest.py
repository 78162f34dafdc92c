"""Browser tests: Playwright drives Debian's Chromium, headless, against the real server (live_server),
the real PostgreSQL, Redis, Elasticsearch and a real Celery worker. A browser download does not work on
these machines, so the browser is /usr/bin/chromium (scripts/services.sh installs it)."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import PASSWORD, officer_device, totp_now

# live_server runs Django in a thread while Playwright's event loop runs in this one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling Google's hosts, which this network refuses.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last, after pytest-django's own ordering: Playwright's event loop then runs in the main
    thread until the session ends, and their transactional flush empties the reference data that the
    tests without a database fixture (the relevance set) read."""
    browser = [item for item in items if item.get_closest_marker("browser")]
    items[:] = [item for item in items if not item.get_closest_marker("browser")] + browser


@pytest.fixture(autouse=True)
def fresh_rate_counters():
    """Search pages count toward the API's fair rate (in Redis): each journey starts with none spent."""
    cache.clear()


@pytest.fixture(autouse=True)
def nothing_the_content_policy_blocks(request):
    """Every journey runs under the portal's Content-Security-Policy: whatever a page tried that the policy
    blocked (an inline script or style, eval) shows in Chromium's console and fails the journey."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    blocked = []
    page.on("console", lambda line: blocked.append(line.text) if "Content Security Policy" in line.text else None)
    yield
    assert blocked == []


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Vietnamese first, as a phone in Quảng Trị would ask."""
    return {**browser_context_args, "locale": "vi-VN", "viewport": PHONE, "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def look(page, axe):
    """Screenshot the page at phone and laptop width (var/screenshots/, git-ignored), then check it with axe:
    no serious or critical violation."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def check(name: str):
        size = page.viewport_size
        for label, viewport in (("phone", PHONE), ("laptop", LAPTOP)):
            page.set_viewport_size(viewport)
            page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
        page.set_viewport_size(size)
        results = axe.run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, f"{name}: {results.generate_report()}"

    return check


def sign_in(page, live_server, login_name, *, password=PASSWORD, then=""):
    """Sign in on the page as a person types it (a phone number in any spacing, or a user name), landing on
    `then` if given; an officer then types the code of their authenticator app (the second factor)."""
    page.goto(f"{live_server.url}/signin/" + (f"?next={then}" if then else ""))
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(login_name)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    officer = User.objects.filter(username=login_name, is_officer=True).first()
    if officer is not None:
        expect(page.get_by_role("heading", name="Bước thứ hai khi đăng nhập")).to_be_visible()
        page.get_by_label("Mã trong ứng dụng xác thực (6 chữ số)").fill(totp_now(officer_device(officer)))
        page.get_by_role("button", name="Tiếp tục").click()


def optional(label):
    """A field's label as the page shows it when the form does not require the field."""
    return re.compile(rf"^{re.escape(label)}( \(không bắt buộc\))?$")
