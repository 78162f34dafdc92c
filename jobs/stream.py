"""The public change stream of vacancies, for other job boards and systems (JobTech's JobStream is the model).

Every change that can alter what the public sees of a vacancy already goes to the index; the jobs services
queue it through `index_on_commit` below, which writes here, inside the writer's transaction, what the
public now sees of each vacancy: `published` when it comes into view, `changed` when its public form
changed, `removed` when it leaves view (closed, expired, withdrawn by review, its licence gone). A
client reads `snapshot()` once, then `changes(since=cursor)` with the cursor each answer gives.

Why numbers under a lock rather than timestamps or a database sequence: two transactions that change
vacancies at once take their sequence numbers (or clock readings) in one order and may commit in the
other. A reader between the two commits would see the later number, move its cursor past it, and never
see the earlier one. Each writer here takes one transaction-level advisory lock, numbers its entries
after the last committed one and keeps the lock until it commits (or rolls back, and its numbers are
given again): numbers follow commit order with no gap, so whoever sees entry n sees every entry before
it, and a cursor is too old exactly when the entry after it was purged. Vacancy writes are few (hundreds
a day), so their waiting on each other costs nothing.
"""

import json
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from jobs.models import Vacancy, VacancyChange
from portal import indexing

Kind = VacancyChange.Kind
RETENTION = timedelta(days=30)  # a client that is a month behind resynchronises from the snapshot
PAGE = 500  # entries per answer: a few hundred KB
_LOCK = 1_935_190_019  # the advisory lock's key: any constant no other code uses


def public(ids) -> dict[int, dict]:
    """What the public API shows of these vacancies, for those the public can see."""
    from jobs.api import VacancyOutput  # the API module imports the services, which call this one

    rows = (
        Vacancy.objects.visible()
        .filter(pk__in=ids)
        .select_related("organisation", "occupation", "commune", "programme", "contract", "overseas_terms__fee_rule")
        .prefetch_related("languages")
        .order_by("pk")
    )
    # Through JSON and back, so a stored entry and a fresh rendering compare equal when nothing changed.
    return {row.pk: json.loads(json.dumps(VacancyOutput(row).data, cls=DjangoJSONEncoder)) for row in rows}


def index_on_commit(model, ids) -> None:
    """`portal.indexing.index_on_commit`, and for vacancies this stream in the same transaction: the jobs
    services queue every change through here, so the stream and the index follow the same changes."""
    ids = list(ids)
    if ids and model is Vacancy:
        record(ids)
    indexing.index_on_commit(model, ids)


@transaction.atomic
def record(ids) -> None:
    """Write what the public now sees of these vacancies, where it differs from the stream's last word."""
    ids = sorted(set(ids))
    if not ids:
        return
    with connection.cursor() as cursor:  # held until this transaction ends: numbers in commit order
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
    now_public = public(ids)
    last = {
        change.vacancy_id: change
        for change in VacancyChange.objects.filter(vacancy_id__in=ids)
        .order_by("vacancy_id", "-seq")
        .distinct("vacancy_id")
    }
    entries = []
    for pk in ids:
        before, data = last.get(pk), now_public.get(pk)
        shown = before is not None and before.kind != Kind.REMOVED  # (migration 0007 began with the visible)
        if data is not None:
            if not shown:
                entries.append(VacancyChange(vacancy_id=pk, kind=Kind.PUBLISHED, data=data))
            elif before is None or before.data != data:
                entries.append(VacancyChange(vacancy_id=pk, kind=Kind.CHANGED, data=data))
        elif shown:
            entries.append(VacancyChange(vacancy_id=pk, kind=Kind.REMOVED, data=None))
    if entries:
        at, after = timezone.now(), _latest()
        for seq, entry in enumerate(entries, start=after + 1):
            entry.seq, entry.at = seq, at
        VacancyChange.objects.bulk_create(entries)


def _cursor(since: str) -> int:
    resync = _("Read /api/v1/stream/snapshot again and continue from the cursor it gives.")
    if not since.isdigit() or len(since) > 18:
        raise ValidationError({"since": [_("This is not a cursor of this stream.") + " " + resync]})
    cursor = int(since)
    if cursor > _latest():
        raise ValidationError({"since": [_("This is not a cursor of this stream.") + " " + resync]})
    # Numbers have no gap: an entry missing between the cursor and the oldest kept was purged (RETENTION).
    first = VacancyChange.objects.order_by("seq").values_list("seq", flat=True).first()
    if first is not None and cursor < first - 1:
        raise ValidationError({"since": [_("This cursor is older than the stream keeps.") + " " + resync]})
    return cursor


def changes(*, since: str, limit: int = PAGE) -> dict:
    """The entries after the cursor, oldest first, and the cursor to ask from next."""
    cursor = _cursor(since)
    entries = list(VacancyChange.objects.filter(seq__gt=cursor).order_by("seq")[: limit + 1])
    more = len(entries) > limit
    entries = entries[:limit]
    return {"cursor": str(entries[-1].seq if entries else cursor), "more": more, "changes": entries}


def snapshot() -> dict:
    """Everything the public sees now, with the cursor to stream from. The cursor is read first: a change
    committed while the snapshot is read is then also in the stream after it, and applying it twice is
    harmless (each entry carries the whole vacancy, or its removal)."""
    cursor = _latest()
    ids = Vacancy.objects.visible().values_list("pk", flat=True)
    return {"cursor": str(cursor), "vacancies": list(public(ids).values())}


def purge(*, now=None) -> int:
    """Forget entries older than RETENTION, keeping the latest (so the stream's position is never lost)."""
    cutoff = (now or timezone.now()) - RETENTION
    return VacancyChange.objects.filter(at__lt=cutoff).exclude(seq=_latest()).delete()[0]


def _latest() -> int:
    return VacancyChange.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
