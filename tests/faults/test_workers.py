"""A Celery worker killed with kill -9 in the middle of its work: nothing stuck, nothing half-written."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.faults.stack import Officer, wait_until

pytestmark = pytest.mark.faults

ROWS = 300  # about 10 s of importing: time to be killed half-way
HEADER = "tax_code,title,description,occupation,commune,positions,salary_min,salary_max,contract_type,deadline,"
HEADER += "contact_name,contact_phone\n"


def vacancies_csv() -> bytes:
    deadline = (timezone.localdate() + timedelta(days=40)).strftime("%d/%m/%Y")
    rows = [
        f"3200999999,Công nhân lắp ráp điện tử tổ {n},Lắp ráp linh kiện tại Đông Hà.,7212,Đông Hà,2,"
        f"7.000.000,9.000.000,fixed_term,{deadline},Phòng nhân sự,0233 3852 000\n"
        for n in range(ROWS)
    ]
    return (HEADER + "".join(rows)).encode()


def imported(stack) -> int:
    code = "from jobs.models import Vacancy; print(Vacancy.objects.filter(title__startswith='Công nhân').count())"
    return int(stack.shell(code))


def queue_empty(stack) -> bool:
    """Nothing waiting in the broker and nothing taken but unacknowledged."""
    return stack.redis_cli("-n", "1", "llen", "celery") == "0" and stack.redis_cli("-n", "1", "hlen", "unacked") == "0"


def test_an_import_whose_worker_is_killed_ends_failed_with_nothing_written_and_runs_again(healthy):
    stack = healthy
    officer = Officer(stack)
    content = vacancies_csv()

    upload = officer.upload("/api/v1/desk/imports", "hoi-cho-viec-lam.csv", content, kind="vacancies")
    assert upload.status == 202, upload.data[:300]
    job = json.loads(upload.data)["id"]

    def status():
        return json.loads(officer.get(f"/api/v1/desk/imports/{job}").data)

    wait_until(lambda: status()["status"] == "importing", seconds=60, what="the import importing", every=0.1)
    time.sleep(1)  # rows are being written in its transaction
    stack.worker_kill()
    killed = time.monotonic()
    assert imported(stack) == 0  # the transaction died with the worker's connection
    stack.worker_start()

    failed = wait_until(lambda: (answer := status())["status"] == "failed" and answer, seconds=120, what="failed")
    noticed = time.monotonic() - killed
    assert [entry["message"] for entry in failed["errors"]] == [
        "Việc nhập dữ liệu dừng giữa chừng (tiến trình xử lý bị dừng); chưa có dòng nào được nhập. Hãy tải tệp lên lại."
    ]
    assert failed["imported_rows"] == 0 and imported(stack) == 0

    again = officer.upload("/api/v1/desk/imports", "hoi-cho-viec-lam.csv", content, kind="vacancies")
    again_id = json.loads(again.data)["id"]
    done = wait_until(
        lambda: (
            (answer := json.loads(officer.get(f"/api/v1/desk/imports/{again_id}").data))["status"]
            in ("done", "failed", "invalid")
            and answer
        ),
        seconds=240,
        what="the import run again",
    )
    assert (done["status"], done["imported_rows"]) == ("done", ROWS), done["errors"][:3]
    assert imported(stack) == ROWS
    print(f"\nworker killed while importing: the import marked failed {noticed:.1f} s later; run again, {ROWS} rows")


def test_a_worker_killed_while_indexing_loses_no_document(healthy):
    stack = healthy
    officer = Officer(stack)
    to_publish = stack.pending_review(30)
    # Keep the worker busy indexing: every visible vacancy, again and again, in tasks of their own.
    stack.shell(
        "from jobs.models import Vacancy; from search.tasks import sync_documents\n"
        "ids = list(Vacancy.objects.values_list('pk', flat=True))\n"
        "for _ in range(40): sync_documents.delay('jobs.vacancy', ids)"
    )
    statuses = [officer.post(f"/api/v1/vacancies/{pk}/approve").status for pk in to_publish[:15]]
    stack.worker_kill()
    killed = time.monotonic()
    statuses += [officer.post(f"/api/v1/vacancies/{pk}/approve").status for pk in to_publish[15:]]
    stack.worker_start()

    assert set(statuses) == {200}
    wait_until(lambda: stack.indexed_vacancies() == stack.visible_vacancies(), seconds=120, what="index = PostgreSQL")
    equal = time.monotonic() - killed
    wait_until(lambda: queue_empty(stack), seconds=120, what="no task left queued or unacknowledged")
    print(f"\nworker killed while indexing: index equal to PostgreSQL {equal:.1f} s after the kill; queue drained")
