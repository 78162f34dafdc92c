"""The indexing pipeline: service → commit → Celery on Redis → Elasticsearch, and its repairs."""

import pytest
from celery.signals import task_retry
from django.core.management import call_command
from django.db import transaction

from jobs.models import Occupation
from jobs.services import occupation_save
from search.documents import OccupationDocument
from search.indexes import alias_of, indices_behind
from search.tasks import reconcile
from tests.conftest import CLOSED_PORT, broker_at, eventually, found

pytestmark = [pytest.mark.search, pytest.mark.celery]

WELDER = {"code": "7212", "name_vi": "Thợ hàn và thợ cắt kim loại", "name_en": "Welders and flamecutters"}
COOK = {"code": "5120", "name_vi": "Đầu bếp", "name_en": "Cooks"}
# Not in the reference data every test stands on, so "it is not in the database" means the rollback worked.
RIGGER = {"code": "7215", "name_vi": "Thợ lắp đặt cáp và giàn nâng", "name_en": "Riggers and cable splicers"}


def test_a_saved_occupation_is_found_after_a_real_worker_indexes_it(celery_worker, search_index):
    occupation = occupation_save(**WELDER, aliases=["hàn điện", "welder"])

    assert eventually(lambda: "7212" in found("tho han", search_index))
    assert "7212" in found("hàn điện", search_index)
    assert not Occupation.objects.unsynced().filter(pk=occupation.pk).exists()


def test_a_rolled_back_write_never_reaches_the_index(celery_worker, search_index):
    with pytest.raises(RuntimeError), transaction.atomic():
        occupation_save(**RIGGER, aliases=[])
        raise RuntimeError("the request failed after the save")

    occupation_save(**COOK, aliases=[])  # a later write: once it is searchable, the queue is drained
    assert eventually(lambda: "5120" in found("dau bep", search_index))
    assert "7215" not in found("tho lap dat cap", search_index)
    assert not Occupation.objects.filter(code="7215").exists()


def test_a_write_commits_with_the_broker_down_and_reconcile_indexes_it_later(celery_worker, search_index):
    with broker_at(f"redis://127.0.0.1:{CLOSED_PORT}/0"):
        occupation = occupation_save(**WELDER, aliases=[])

    assert Occupation.objects.filter(pk=occupation.pk).exists()
    assert Occupation.objects.unsynced().filter(pk=occupation.pk).exists()
    assert "7212" not in found("tho han", search_index)

    reconcile.delay()  # what Celery beat sends every minute

    assert eventually(lambda: "7212" in found("tho han", search_index))
    assert not Occupation.objects.unsynced().exists()


def test_the_sweep_drops_a_document_whose_row_was_deleted_while_the_broker_was_down(celery_worker, search_index):
    occupation = occupation_save(**WELDER, aliases=[])
    assert eventually(lambda: "7212" in found("tho han", search_index))

    occupation.delete()  # a hard delete whose indexing task was lost
    reconcile.delay(sweep=True)

    assert eventually(lambda: "7212" not in found("tho han", search_index))


def test_a_rebuild_swaps_in_a_new_index_and_searches_keep_answering(celery_worker, search_index):
    occupation_save(**WELDER, aliases=[])
    assert eventually(lambda: "7212" in found("tho han", search_index))
    before = indices_behind(alias_of(OccupationDocument))

    call_command("search_rebuild")

    after = indices_behind(alias_of(OccupationDocument))
    assert len(after) == 1 and after != before
    assert not search_index.indices.exists(index=before[0])
    assert "7212" in found("tho han", search_index)


def test_an_elasticsearch_outage_loses_nothing(celery_worker, search_index, settings):
    retries = []
    task_retry.connect(lambda **kwargs: retries.append(kwargs["reason"]), weak=False)
    up, settings.ELASTICSEARCH_URL = settings.ELASTICSEARCH_URL, f"http://127.0.0.1:{CLOSED_PORT}"

    occupation = occupation_save(**WELDER, aliases=[])  # the write commits with the node down
    assert eventually(lambda: retries)  # the worker tried, failed, and will try again

    assert Occupation.objects.unsynced().filter(pk=occupation.pk).exists()
    settings.ELASTICSEARCH_URL = up  # the node is back
    reconcile.delay()  # beat's next round (the task's own retry would get there too)

    assert eventually(lambda: "7212" in found("tho han", search_index))
    assert not Occupation.objects.unsynced().exists()
