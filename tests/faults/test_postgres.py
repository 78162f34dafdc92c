"""PostgreSQL restarted under load: 503 while it is away, 200 after, the web never restarted."""

import time

import pytest

from tests.faults.stack import Load, wait_until

pytestmark = pytest.mark.faults

REQUESTS = {
    "vacancy list": lambda stack: stack.get("/api/v1/vacancies"),
    "page": lambda stack: stack.get("/vacancies/?q=tho+han"),
    "communes": lambda stack: stack.get("/api/v1/communes"),
    "health": lambda stack: stack.get("/healthz"),
}


def test_a_postgres_restart_answers_503_meanwhile_and_the_web_recovers_by_itself(healthy):
    stack = healthy
    web = stack.processes["web"]

    with Load(stack, REQUESTS, per_second=16) as load:
        time.sleep(3)
        began = load.now()
        stack.postgres("stop")
        time.sleep(5)  # a restart that takes a while (a failover, a slow recovery)
        stack.postgres("start")
        ended = load.now()
        wait_until(lambda: stack.get("/api/v1/vacancies").status == 200, seconds=30, what="the web answering 200")
        recovered = load.now() - ended
        time.sleep(3)

    assert set(load.statuses()) <= {200, 503}, load.statuses()  # never a 500, never a dropped connection
    assert 503 in load.statuses()  # the outage was seen (and said so)
    after = [answer.status for answer in load.answers if answer.at > ended + recovered + 1]
    assert after and set(after) == {200}
    assert load.slowest() < 5  # connect_timeout (2 s) bounds every answer
    assert web.poll() is None  # the same gunicorn, never restarted
    page = stack.get("/vacancies/")
    print(
        f"\nPostgreSQL down {ended - began:.1f} s: 503 for {load.window(503):.1f} s, "
        f"200 again {recovered:.1f} s after it was up; {dict(load.statuses())}; slowest {load.slowest():.2f} s"
    )
    assert page.status == 200
