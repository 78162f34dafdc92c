"""Keeping Elasticsearch in step with PostgreSQL.

A service that changes indexed rows calls `portal.indexing.index_on_commit(Model, ids)` inside its
transaction. After the commit (never before: a rolled-back write must not reach the index), the ids go to
the `sync_documents` task, which reloads the rows through the model's `indexable()` queryset and
upserts what it finds and deletes the rest. Ids, not instances: the task always indexes what the
database says now, so retries and repeats are harmless.

If the broker is down at commit, the write stands and the rows stay "unsynced"
(`portal.indexing.IndexedModel`); the periodic `reconcile` indexes them later.
"""

import re
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import reduce
from operator import or_

from django.db.models import F, Q
from django.utils import timezone
from elasticsearch.dsl import Document
from elasticsearch.helpers import bulk, scan

from jobs.models import Commune
from search.client import elasticsearch
from search.indexes import create_index, ensure_alias, point_alias
from search.queries import VacancyQuery, vacancy_count
from search.text import fold

CHUNK = 500  # rows per bulk request: a few hundred KB, well under the default 100 MB limit


def sync(document: type[Document], ids: Iterable[int], *, index: str | None = None) -> None:
    """Make the index agree with the database for these ids."""
    ids = list(ids)
    model = document.model()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # Read the change marks first: a row changed after this read keeps a newer modified_at,
        # is not marked synced below, and is indexed again by its own task or by reconcile.
        seen = dict(model.objects.filter(pk__in=chunk).values_list("pk", "modified_at"))
        rows = list(document.queryset().filter(pk__in=chunk))
        _write(document, rows, deleted=set(chunk) - {row.pk for row in rows}, index=index)
        if index is None and document.model()._meta.label_lower == "jobs.vacancy":
            from search.alerts import queue  # the saved searches look at what was just published or edited

            queue(row.pk for row in rows)
        if seen:
            unchanged = reduce(or_, (Q(pk=pk, modified_at=at) for pk, at in seen.items()))
            model.objects.filter(unchanged).update(search_synced_at=F("modified_at"))


def _write(document, rows, *, deleted=(), index=None) -> None:
    target = index or ensure_alias(document)
    actions = [{"_index": target, "_id": row.pk, "_source": document.source(row)} for row in rows]
    actions += [{"_op_type": "delete", "_index": target, "_id": pk} for pk in deleted]
    bulk(elasticsearch(), actions, chunk_size=CHUNK, ignore_status=(404,))  # deleting the absent is fine


def reconcile(document: type[Document], *, sweep: bool = False, limit: int = 20_000) -> int:
    """Index rows whose change never reached the index; with `sweep`, also drop documents
    whose row is gone (a hard delete whose task was lost). Returns how many it fixed."""
    model = document.model()
    ids = list(model.objects.unsynced().order_by("modified_at").values_list("pk", flat=True)[:limit])
    sync(document, ids)
    return len(ids) + (_drop_orphans(document) if sweep else 0)


def _drop_orphans(document) -> int:
    alias = ensure_alias(document)
    hits = scan(elasticsearch(), index=alias, query={"query": {"match_all": {}}, "_source": False}, size=CHUNK)
    in_index = {int(hit["_id"]) for hit in hits}
    orphans = in_index - set(document.model().objects.indexable().values_list("pk", flat=True))
    _write(document, [], deleted=orphans)
    return len(orphans)


@dataclass
class Rebuilt:
    index: str
    documents: int
    load_seconds: float  # the bulk load alone, for its rate


def rebuild(document: type[Document]) -> Rebuilt:
    """Load a fresh index, swap the alias to it, catch up with what changed meanwhile.

    Searches keep answering from the old index until the swap, which is atomic.
    """
    started, clock, loaded = timezone.now(), time.monotonic(), 0
    es = elasticsearch()
    index = create_index(document)
    es.indices.put_settings(index=index, settings={"refresh_interval": "-1"})  # no refreshes while loading
    rows = document.queryset().order_by("pk").iterator(chunk_size=CHUNK)
    # This thread reads PostgreSQL (its connection, its transaction) and builds the documents; two
    # others send them, so Elasticsearch indexes one chunk while the next is built. Errors raise.
    with ThreadPoolExecutor(max_workers=2) as senders:
        sending = deque()
        for chunk in _chunks(rows, CHUNK):
            actions = [{"_index": index, "_id": row.pk, "_source": document.source(row)} for row in chunk]
            sending.append(senders.submit(bulk, es, actions, chunk_size=CHUNK))
            loaded += len(actions)
            if len(sending) > 2:
                sending.popleft().result()
        for sent in sending:
            sent.result()
    load_seconds = time.monotonic() - clock
    es.indices.put_settings(index=index, settings={"refresh_interval": None})  # back to the default
    es.indices.refresh(index=index)
    point_alias(document, index)
    sync(document, document.model().objects.filter(modified_at__gte=started).values_list("pk", flat=True))
    _drop_orphans(document)
    return Rebuilt(index, loaded, load_seconds)


def _chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# What people type into a search box that finds nothing includes their own details: phone and ID numbers
# (9 digits or more, however grouped: salaries have fewer) and e-mail addresses never reach the table.
PERSONAL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\d(?:[\s.\-]?\d){8,}")
ZERO_RESULT_RETENTION = timedelta(days=90)  # a season of searches to learn what is missing, then gone


def scrubbed(text: str) -> str:
    return PERSONAL_IN_TEXT.sub("…", text)


def record_zero_result(*, text: str, filters: dict, offers: list[dict]) -> None:
    from search.models import ZeroResultQuery

    filters = {name: [scrubbed(value) for value in values] for name, values in filters.items()}
    text = scrubbed(text)[:200]
    ZeroResultQuery.objects.create(text=text, folded=fold(text), filters=filters, offers=offers)


def zero_results_purge(*, now=None) -> int:
    """Forget the searches that found nothing after `ZERO_RESULT_RETENTION`; how many were deleted."""
    from search.models import ZeroResultQuery

    cutoff = (now or timezone.now()) - ZERO_RESULT_RETENTION
    return ZeroResultQuery.objects.filter(at__lt=cutoff).delete()[0]


def broader_searches(query: VacancyQuery, filters: dict[str, list[str]]) -> list[dict]:
    """A search found nothing: record it for the department (its text and `filters`, the filters as given,
    by name), and say what a broader one finds: the same search without each filter in turn, then the
    same words around the commune asked for. The API and the results page offer the same."""
    offers = []
    for name in filters:
        field = "occupations" if name == "occupation" else name  # the one filter named otherwise in the query
        if count := vacancy_count(replace(query, **{field: getattr(VacancyQuery(), field)})):
            offers.append({"drop": name, "count": count})
    if query.commune and not query.near:
        commune = Commune.objects.get(code=query.commune)
        nearby = VacancyQuery(q=query.q, near=(commune.latitude, commune.longitude))
        if count := vacancy_count(nearby):
            offers.append({"near": query.commune, "radius_km": nearby.radius_km, "count": count})
    record_zero_result(text=query.q, filters=filters, offers=offers)
    return offers
