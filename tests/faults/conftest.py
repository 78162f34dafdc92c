"""The fault tests' portal (tests/faults/stack.py): started once for the session, stopped at its end.
Each test breaks one thing, puts it back, and leaves the portal healthy for the next."""

import time

import pytest

from tests.faults.stack import Stack, wait_until


@pytest.fixture(scope="session")
def stack():
    stack = Stack()
    started = time.monotonic()
    try:
        stack.postgres_init()
        stack.redis_start()
        stack.es_start()
        stack.manage("migrate", "--noinput", "-v0")
        stack.shell("from tests.faults.seed import seed; seed()")
        stack.worker_start()
        stack.beat_start()
        stack.web_start()
        print(f"\nfault stack up in {time.monotonic() - started:.0f} s")
        yield stack
    finally:
        stack.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed fault test shows the end of the web server's log: the traceback of an unexpected 500 is there."""
    outcome = yield
    report, stack = outcome.get_result(), item.funcargs.get("stack") or item.funcargs.get("healthy")
    if report.failed and isinstance(stack, Stack):
        report.sections.append(("web server's log, last 60 lines", "\n".join(stack.log("web").splitlines()[-60:])))


@pytest.fixture
def healthy(stack):
    """The portal as a test finds it: every dependency answering."""
    wait_until(lambda: stack.get("/healthz").status == 200, seconds=120, what="/healthz 200 before the test")
    return stack
