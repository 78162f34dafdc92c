"""The one way to queue a Celery task from a write: after the commit, and never failing the write.

A task queued inside a transaction could run before the commit (and find nothing) or after a rollback
(and act on what never happened), so the message leaves only once the transaction has committed. If the
broker is down then, the write still stands: the failure is logged and the request answers as usual.
Whoever queues this way must own a sweep that finds the work later from the database alone (the
search reconcile, the imports' sweep): the message is only a shortcut, never the record of the work.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    """Send `task(*args)` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(task, *args))


def enqueue(task, *args) -> bool:
    """Send `task(*args)` now; False, logged, if the broker cannot take it."""
    try:
        task.delay(*args)
    except Exception:  # the broker is down or unreachable: the sweep of this kind of work will catch up
        logger.warning("Could not queue %s%r; its sweep will do it", task.name, args[:3], exc_info=True)
        return False
    return True
