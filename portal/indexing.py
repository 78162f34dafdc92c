"""Rows that Elasticsearch mirrors, and the one way a write asks for them to be indexed.

A service that changes indexed rows calls `index_on_commit(Model, ids)` inside its transaction. After the
commit (never before: a rolled-back write must not reach the index), the ids go to search's
`sync_documents` task, sent by its name, so the apps that own indexed rows (jobs, candidates, training)
need not import `search/`, which sits above them and reads their models. The task reloads the rows through
the model's `indexable()` queryset and upserts what it finds and deletes the rest (search/services.py).
If the broker is down at commit, the write stands and the rows stay unsynced; search's periodic
`reconcile` indexes them later (`IndexedQuerySet.unsynced`).
"""

from collections.abc import Iterable

from celery import signature
from django.db import models
from django.db.models import F, Q

from portal.enqueue import enqueue_on_commit

SYNC_TASK = "search.tasks.sync_documents"  # (label, ids): search/tasks.py


def index_on_commit(model: type[models.Model], ids: Iterable[int]) -> None:
    if ids := list(ids):  # with the broker down, the rows stay unsynced and reconcile indexes them
        enqueue_on_commit(signature(SYNC_TASK), model._meta.label_lower, ids)


class IndexedQuerySet(models.QuerySet):
    def unsynced(self):
        """Rows whose last change has not reached the index (the reconcile task's work)."""
        return self.filter(Q(search_synced_at__isnull=True) | ~Q(search_synced_at=F("modified_at")))


class IndexedModel(models.Model):
    """A row that Elasticsearch mirrors.

    `modified_at` moves on every change; the indexer copies the value it indexed into
    `search_synced_at`. Rows where the two differ missed their indexing task, and the periodic
    reconcile finds them. `QuerySet.update()` skips `auto_now`: a bulk update of an indexed model
    must set `modified_at=timezone.now()` itself.
    """

    modified_at = models.DateTimeField(auto_now=True, db_index=True)
    search_synced_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
