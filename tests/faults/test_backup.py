"""make backup, the database dropped and the indices lost, make restore: everything as it was."""

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.faults.stack import ROOT, wait_until

pytestmark = pytest.mark.faults

COUNTS = (
    "import json; from django.apps import apps\n"
    "print(json.dumps({model._meta.label: model.objects.count() for model in apps.get_models()}))"
)

# Work waiting for the worker, not records: the restarted worker may drain it before the counts are read.
WORK_QUEUES = {"search.PendingPercolation"}


def records(counts: dict) -> dict:
    return {label: count for label, count in counts.items() if label not in WORK_QUEUES}


def index_counts(stack) -> dict:
    stack.es("POST", "/faults-*/_refresh")
    return {alias: stack.es("GET", f"/{alias}/_count")["count"] for alias in ("faults-vacancies", "faults-occupations")}


def make(stack, *args) -> str:
    done = subprocess.run(["make", "-s", *args], cwd=ROOT, env=stack.env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_backup_then_drop_then_restore_and_rebuild_gives_every_count_back(healthy):
    stack = healthy
    wait_until(lambda: stack.indexed_vacancies() == stack.visible_vacancies(), seconds=120, what="index = database")
    before, indexed = records(json.loads(stack.shell(COUNTS))), index_counts(stack)

    dump = Path(make(stack, "backup", f"BACKUP_DIR={stack.dir / 'backups'}").strip().splitlines()[-1])
    manifest = json.loads(dump.with_suffix(".json").read_text())
    assert manifest["dump"] == dump.name and manifest["bytes"] == dump.stat().st_size
    assert set(manifest["keys_needed"]) == {"FIELD_ENCRYPTION_KEYS", "FIELD_BLIND_INDEX_KEY", "DJANGO_SECRET_KEY"}
    for secret in (stack.env["FIELD_ENCRYPTION_KEYS"], stack.env["FIELD_BLIND_INDEX_KEY"], "faults-only"):
        assert secret not in dump.with_suffix(".json").read_text()

    for name in ("web", "beat", "worker"):  # as an operator restores: the portal stopped
        stack.stop_process(name)
    stack.psql("DROP DATABASE portal WITH (FORCE)")
    stack.es("DELETE", "/faults-*")
    started = time.monotonic()
    make(stack, "restore", f"FILE={dump}")
    restored = time.monotonic() - started
    stack.worker_start()
    stack.beat_start()
    stack.web_start()

    assert records(json.loads(stack.shell(COUNTS))) == before
    assert index_counts(stack) == indexed
    assert stack.get("/api/v1/vacancies/search?q=tho+han").status == 200
    second = subprocess.run(["make", "-s", "restore", f"FILE={dump}"], cwd=ROOT, env=stack.env, capture_output=True)
    assert second.returncode != 0 and b"is not empty" in second.stderr  # never over live data
    print(f"\nbackup of {dump.stat().st_size:,} bytes; restore and rebuild took {restored:.1f} s; counts equal")
