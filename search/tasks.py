from celery import shared_task
from elasticsearch import TransportError

from search import services
from search.documents import DOCUMENTS, document_for


@shared_task(autoretry_for=(TransportError,), retry_backoff=2, retry_backoff_max=300, max_retries=10, acks_late=True)
def sync_documents(label: str, ids: list[int]) -> None:
    services.sync(document_for(label), ids)


@shared_task(autoretry_for=(TransportError,), retry_backoff=5, max_retries=3)
def reconcile(sweep: bool = False) -> dict[str, int]:
    return {document.__name__: services.reconcile(document, sweep=sweep) for document in DOCUMENTS}


@shared_task
def purge_zero_results() -> int:
    """Nightly: searches that found nothing are kept 90 days (search.services.zero_results_purge)."""
    return services.zero_results_purge()


@shared_task(autoretry_for=(TransportError,), retry_backoff=2, retry_backoff_max=300, max_retries=10, acks_late=True)
def percolate_pending() -> int:
    """Vacancies indexed since the saved searches last looked, in batches (search/alerts.py); also every
    minute from beat, for a task lost with the broker."""
    from search import alerts

    taken = total = alerts.percolate()
    while taken:
        taken = alerts.percolate()
        total += taken
    return total


@shared_task
def alert_digests() -> dict[str, int]:
    """Once a day: saved searches' daily (and on Mondays weekly) digests, and matches for workers who agreed
    to job alerts."""
    from search import alerts

    return {"searches": alerts.digests(), "matches": alerts.match_digests()}
