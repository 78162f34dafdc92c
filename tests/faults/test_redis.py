"""Redis stopped while people search, browse, sign in and officers publish and import."""

import json
import time

import pytest

from tests.faults.stack import Load, Officer, wait_until

pytestmark = pytest.mark.faults

# A whole minute, as an operator's restart of Redis can take: longer than any client timeout, and long
# enough for the worker's reconnection back-off to grow.
DOWN_SECONDS = 60
WORKERS_CSV = (
    "full_name,phone,date_of_birth,sex,commune,education\n"
    "Nguyễn Văn An,0912 000 101,17/05/1995,nam,Đông Hà,upper_secondary\n"
    "Trần Thị Bình,0912 000 102,02/09/1998,nữ,Đông Hà,higher\n"
    "Lê Văn Cường,0912 000 103,30/01/2001,nam,Đông Hà,lower_secondary\n"
).encode()

REQUESTS = {
    "search": lambda stack: stack.get("/api/v1/vacancies/search?q=tho+han"),
    "home": lambda stack: stack.get("/"),
    "results": lambda stack: stack.get("/vacancies/?q=lai+xe"),
    "sign-in": lambda stack: Officer(stack, signed_in=False).sign_in(),
}


def test_with_redis_stopped_pages_search_and_sign_in_answer_writes_commit_and_queued_work_is_done_after(healthy):
    stack = healthy
    officer = Officer(stack)
    to_publish, published, publishing = stack.pending_review(80), [], []
    restarts = stack.log("worker").count("worker exited")

    with Load(stack, REQUESTS, per_second=12) as load:
        time.sleep(3)
        stack.redis_stop()
        try:
            stopped = load.now()
            health = stack.get("/healthz")
            upload = officer.upload("/api/v1/desk/imports", "hoi-cho.csv", WORKERS_CSV, kind="workers")
            while load.now() < stopped + DOWN_SECONDS:
                pk = to_publish.pop()
                publishing.append(officer.post(f"/api/v1/vacancies/{pk}/approve").status)
                published.append(pk)
                time.sleep(1)
        finally:
            stack.redis_start()
        back = time.monotonic()
        time.sleep(3)

    assert health.status == 503
    report = json.loads(health.data)
    assert report["redis"] != "ok" and report["database"] == "ok"
    assert upload.status == 202, upload.data[:300]
    assert set(publishing) == {200}  # every write committed
    assert set(load.statuses()) == {200}, load.statuses()  # no 500, no refusal: rate limits fell back per process

    # What could not be queued is found and done once Redis is back: indexing by reconcile, the import by its sweep.
    wait_until(lambda: set(published) <= stack.indexed_vacancies(), seconds=120, what="published vacancies indexed")
    searchable = time.monotonic() - back
    job = json.loads(upload.data)["id"]
    imported = wait_until(
        lambda: (answer := json.loads(officer.get(f"/api/v1/desk/imports/{job}").data))["status"] == "done" and answer,
        seconds=120,
        what="the import uploaded during the outage",
    )
    assert imported["imported_rows"] == 3
    wait_until(lambda: stack.get("/healthz").status == 200, seconds=60, what="/healthz 200 again")
    restarts = stack.log("worker").count("worker exited") - restarts
    print(
        f"\nRedis stopped {DOWN_SECONDS} s: {len(load.answers)} requests, {dict(load.statuses())}, slowest "
        f"{load.slowest():.2f} s; {len(published)} vacancies published meanwhile, all searchable "
        f"{searchable:.1f} s after Redis was back; the import uploaded meanwhile done "
        f"{time.monotonic() - back:.1f} s after; the worker exited and was restarted {restarts} times"
    )
