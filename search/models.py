from django.db import models
from django.db.models import F, Q


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


class ZeroResultQuery(models.Model):
    """A search that found nothing: what people look for and the portal does not have."""

    text = models.CharField(max_length=200, blank=True)
    folded = models.CharField(max_length=200, blank=True)  # the text folded (search.text.fold): what groups it
    filters = models.JSONField(default=dict)
    offers = models.JSONField(default=list)  # the broader searches the portal offered, as the API gave them
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return self.text or "(no text)"
