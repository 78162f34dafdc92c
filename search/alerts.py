"""Saved searches and match alerts: which new vacancies answer whom, and telling them (through notify()).

A saved search keeps the input the search takes, checked by the search's own serializer (the same 400),
and the `VacancyQuery` it became. When vacancies are indexed (published or edited), `queue()` writes their
ids to an outbox (`PendingPercolation`); `percolate()` drains it in batches on Celery and asks, for every
active saved search, the search's own request (`queries.vacancy_search_request`) restricted to the batch's
ids, in `msearch` requests, identical searches once. One rule in one place: a saved search finds exactly
what the search finds.

Elasticsearch's percolator would answer "which stored queries does this document match" in one request;
the distribution we run (Maven Central's integ-test zip) has no percolator module, so the searches are run
instead (README, "Saved searches and alerts").

Only the searches of workers whose "job alerts" consent is live are run: withdrawing it (or deleting or
pausing a search) stops them at once. Each vacancy is told once per search (`SavedSearchHit`).
"""

import json
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta

from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from rest_framework import serializers

from candidates.models import Consent, WorkerProfile
from notifications.services import notify_many
from portal.enqueue import enqueue_on_commit
from search.client import elasticsearch
from search.documents import VacancyDocument
from search.indexes import alias_of
from search.models import PendingPercolation, SavedSearch, SavedSearchHit
from search.queries import VacancyQuery, matches_request, vacancy_search_request

# The search's input, without paging and sort: what a saved search keeps.
PARAMS = ["q", "occupation", "commune", "near", "radius_km", "abroad", "country", "programme", "salary_min"]
PARAMS += ["training_level", "employment_type", "posted_since"]
BATCH = 500  # vacancies percolated at once
MSEARCH = 200  # searches per msearch request
STOP_SALT = "search.saved.stop"
MATCHES_PER_DIGEST = 5


class AlertsConsentNeeded(serializers.ValidationError):
    pass


# --- Saved searches -----------------------------------------------------------------------------


def cleaned(params) -> dict:
    """The search input among `params` (a QueryDict or a dict), empty values left out."""
    kept = {}
    for name in PARAMS:
        if name in params:
            given = params.getlist(name) if hasattr(params, "getlist") else params[name]
            values = [str(v).strip() for v in (given if isinstance(given, list) else [given]) if str(v).strip()]
            if values:
                kept[name] = values if name == "occupation" else values[0]
    return kept


def query_of(params: dict) -> VacancyQuery:
    """The query the search would run for this input (`cleaned`: the search's query string, every value text),
    or the search's own 400 (serializers.ValidationError)."""
    from search.api import SearchInput

    given = SearchInput(data=QueryDict(urlencode(params, doseq=True)))
    given.is_valid(raise_exception=True)
    return given.to_query()


def _stored(query: VacancyQuery) -> dict:
    return {name: value for name, value in asdict(query).items() if name in STORED}


STORED = ["q", "occupations", "commune", "near", "radius_km", "abroad", "country", "programme", "salary_min"]
STORED += ["training_level", "employment_type", "posted_since"]


def _query(stored: dict) -> VacancyQuery:
    values = dict(stored)
    if values.get("near"):
        values["near"] = tuple(values["near"])
    if values.get("posted_since"):
        values["posted_since"] = date.fromisoformat(values["posted_since"])
    return VacancyQuery(**values, facets=(), sort="newest")


def _alerts_worker(user) -> WorkerProfile:
    worker = WorkerProfile.objects.filter(user=user).first() if user.is_authenticated else None
    if worker is None or not worker.consents.filter(purpose=Consent.Purpose.ALERTS, withdrawn_at=None).exists():
        raise AlertsConsentNeeded(
            {"non_field_errors": [_("To receive alerts, agree to receive job alerts in your profile first.")]}
        )
    return worker


@transaction.atomic
def saved_search_create(*, user, name: str, params, rhythm: str = SavedSearch.Rhythm.DAILY) -> SavedSearch:
    """Save a search: its input checked as the search checks it (the same 400), for a worker who agreed to
    receive job alerts."""
    params = checked(params)
    _alerts_worker(user)
    name = (name or "").strip() or params.get("q") or _("My search")
    return SavedSearch.objects.create(user=user, name=name[:100], params=params, rhythm=rhythm)


def checked(params) -> dict:
    """What a saved search keeps: the input as given, and under "_query" the query it became (reference
    data read once, here, not at every percolation); the search's own 400 if the input is bad."""
    params = cleaned(params)
    return {**params, "_query": json.loads(json.dumps(_stored(query_of(params)), default=str))}


def saved_search_pause(search: SavedSearch, *, paused: bool) -> SavedSearch:
    search.paused_at = (search.paused_at or timezone.now()) if paused else None
    search.save(update_fields=["paused_at"])
    return search


def results_path(search: SavedSearch) -> str:
    shown = {name: value for name, value in search.params.items() if name in PARAMS}
    return reverse("results") + "?" + urlencode(shown, doseq=True)


def stop_token(search: SavedSearch) -> str:
    return signing.dumps(search.pk, salt=STOP_SALT)


def search_from_stop_token(token: str) -> SavedSearch | None:
    try:
        return SavedSearch.objects.filter(pk=signing.loads(token, salt=STOP_SALT)).first()
    except signing.BadSignature:
        return None


# --- Percolation ------------------------------------------------------------------------------


def queue(vacancy_ids) -> None:
    """Vacancies just indexed: the saved searches look at them soon (after this transaction commits)."""
    from search.tasks import percolate_pending

    if ids := list(vacancy_ids):
        PendingPercolation.objects.bulk_create([PendingPercolation(vacancy_id=pk) for pk in ids], ignore_conflicts=True)
        enqueue_on_commit(percolate_pending)


def active_searches():
    """Searches that are not paused, of workers whose "job alerts" consent is live."""
    consented = Consent.objects.filter(worker__user=OuterRef("user"), purpose=Consent.Purpose.ALERTS, withdrawn_at=None)
    return SavedSearch.objects.filter(paused_at=None).filter(Exists(consented))


def answering(vacancy_ids: list[int], searches=None) -> dict[int, list[int]]:
    """Saved search id → the vacancies among `vacancy_ids` its search finds (visible ones only, as search)."""
    groups: dict[str, list[int]] = {}
    for pk, params in (searches if searches is not None else active_searches()).values_list("pk", "params"):
        groups.setdefault(json.dumps(params["_query"], sort_keys=True), []).append(pk)
    ids = [str(pk) for pk in vacancy_ids]
    keys, found = list(groups), {}
    es, index = elasticsearch(), alias_of(VacancyDocument)
    if keys:
        es.indices.refresh(index=index)  # what was just indexed, searchable
    for start in range(0, len(keys), MSEARCH):
        chunk = keys[start : start + MSEARCH]
        body = []
        for key in chunk:
            query = replace(_query(json.loads(key)), page_size=len(ids))
            request = vacancy_search_request(query).filter("ids", values=ids).source(False)
            body += [{}, request.to_dict()]
        responses = es.msearch(
            index=index, searches=body, filter_path="responses.status,responses.hits.hits._id,responses.error"
        )
        for key, response in zip(chunk, responses["responses"], strict=True):
            if "error" in response:
                raise RuntimeError(f"saved search failed: {response['error']}")
            hits = [int(hit["_id"]) for hit in response.get("hits", {}).get("hits", [])]
            if hits:
                for pk in groups[key]:
                    found[pk] = hits
    return found


def percolate(*, limit: int = BATCH) -> int:
    """Take a batch of pending vacancies (others' batches skipped), record the searches they answer, tell
    the "at once" ones. Returns how many vacancies it took."""
    with transaction.atomic():
        pending = list(
            PendingPercolation.objects.select_for_update(skip_locked=True)
            .order_by("queued_at")
            .values_list("vacancy_id", flat=True)[:limit]
        )
        if not pending:
            return 0
        found = answering(pending)
        hits = [SavedSearchHit(search_id=s, vacancy_id=v) for s, vacancies in found.items() for v in vacancies]
        SavedSearchHit.objects.bulk_create(hits, ignore_conflicts=True, batch_size=2000)
        tell(SavedSearch.objects.filter(pk__in=found, rhythm=SavedSearch.Rhythm.AT_ONCE))
        PendingPercolation.objects.filter(vacancy_id__in=pending).delete()
    return len(pending)


# --- Telling ----------------------------------------------------------------------------------


def tell(searches, *, key_day: date | None = None) -> int:
    """One message per search with vacancies it has not told yet (keyed by the day for digests)."""
    untold = SavedSearchHit.objects.filter(search__in=searches, told_at=None).select_related("vacancy", "search__user")
    by_search: dict[int, list[SavedSearchHit]] = {}
    for hit in untold.order_by("-vacancy__published_at"):
        by_search.setdefault(hit.search_id, []).append(hit)
    events = []
    for hits in by_search.values():
        search = hits[0].search
        titles = "; ".join(hit.vacancy.title for hit in hits[:3])
        context = {
            "search": search.name,
            "count": len(hits),
            "vacancies": titles,
            "path": f"/vacancies/{hits[0].vacancy_id}/" if len(hits) == 1 else results_path(search),
            "stop_path": reverse("saved-search-stop", args=[stop_token(search)]),
        }
        first = min(hit.pk for hit in hits)
        key = f"search:{search.pk}:{key_day}" if key_day else f"search:{search.pk}:hit:{first}"
        events.append({"kind": "saved_search", "user": search.user, "context": context, "key": key})
    notify_many(events)
    SavedSearchHit.objects.filter(pk__in=[hit.pk for hits in by_search.values() for hit in hits]).update(
        told_at=timezone.now()
    )
    return len(events)


def digests(*, day: date | None = None) -> int:
    """The daily digests, and on Mondays the weekly ones (beat, once a day)."""
    day = day or timezone.localdate()
    rhythms = [SavedSearch.Rhythm.DAILY] + ([SavedSearch.Rhythm.WEEKLY] if day.weekday() == 0 else [])
    return tell(active_searches().filter(rhythm__in=rhythms), key_day=day)


def match_digests(*, day: date | None = None, now: datetime | None = None) -> int:
    """Vacancies published in the last day that the matching ranks for each worker who agreed to job
    alerts, with their reasons: at most one digest a day (the event's key is the day)."""
    from search.matching import matching_profile
    from search.queries import _explained, _scored

    day, now = day or timezone.localdate(), now or timezone.now()
    since = (now - timedelta(days=1)).isoformat()
    workers = WorkerProfile.objects.filter(
        consents__purpose=Consent.Purpose.ALERTS, consents__withdrawn_at=None
    ).select_related("user", "commune")
    events = []
    for worker in workers:
        profile = matching_profile(worker)
        request = matches_request(profile, size=MATCHES_PER_DIGEST).filter("range", published_at={"gte": since})
        found = [_explained(hit, profile) for hit in _scored(request, VacancyDocument)]
        if not found:
            continue
        context = {
            "count": len(found),
            "vacancies": "; ".join(match["title"] for match in found[:3]),
            "reasons": [[r["criterion"] for r in match["reasons"]] for match in found],
            "path": "/me/matches/",
        }
        key = f"matches:{day}:{worker.user_id}"
        events.append({"kind": "match_digest", "user": worker.user, "context": context, "key": key})
    notify_many(events)
    return len(events)


def stop(search: SavedSearch) -> None:
    """The one-click stop of one saved search's messages: it is paused (the list can resume it)."""
    saved_search_pause(search, paused=True)
