from contextlib import contextmanager, suppress
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from desk import services
from desk.models import MonthlyReport
from desk.statistics import public_period
from portal.enqueue import enqueue


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def monthly_report(year: int | None = None, month: int | None = None, *, unless_built: bool = False) -> int:
    """Build the workbook of a month (default: the last complete one) and e-mail it to the officers.
    Idempotent: building a month again replaces its workbook. With `unless_built` (beat's daily sweep),
    only a month whose workbook is missing: the 1st's message was lost, or its worker died."""
    if year is None or month is None:
        last = public_period(timezone.localdate().year, today=timezone.localdate()).as_of
        year, month = last.year, last.month
    if unless_built and MonthlyReport.objects.filter(year=year, month=month).exists():
        return 0
    report = services.report_build(year=year, month=month)
    return services.report_send(report=report)


# --- Work queues, cases and imports ---


IMPORT_LOCK = 13  # the first key of the imports' advisory locks; the second is the job's id


@shared_task(soft_time_limit=settings.IMPORT_SOFT_TIME_LIMIT, time_limit=settings.IMPORT_SOFT_TIME_LIMIT + 60)
def run_import(job_id: int) -> None:
    """Run an uploaded import, holding its lock in PostgreSQL while it runs. A message for an import that
    another worker holds (a retry, a duplicate) is dropped. An import in a running state whose lock nobody
    holds lost its worker (killed: PostgreSQL released the lock with its connection and rolled back its
    transaction, so nothing of it was written): it ends as failed with a report saying so.
    Routed to the imports queue (settings.CELERY_TASK_ROUTES). Past the soft time limit the import stops
    as failed and its transaction rolls back; a minute later the hard limit kills whatever still runs (and
    the message, requeued, finds it abandoned)."""
    from desk.imports import import_abandoned, import_run
    from desk.models import ImportJob

    Status = ImportJob.Status
    with _import_lock(job_id) as mine:
        if not mine:
            return
        if ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(status=Status.VALIDATING) == 1:
            import_run(ImportJob.objects.get(pk=job_id))
        else:
            import_abandoned(job_id)


@contextmanager
def _import_lock(job_id: int):
    """The import's advisory lock, unless someone holds it already (this session too: a lock PostgreSQL
    would give again to the session that holds it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory' AND classid = %s"
            " AND objid = %s AND objsubid = 2) THEN false ELSE pg_try_advisory_lock(%s, %s) END",
            [IMPORT_LOCK, job_id, IMPORT_LOCK, job_id],
        )
        mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            with suppress(DatabaseError), connection.cursor() as cursor:  # a lost connection took the lock along
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [IMPORT_LOCK, job_id])


@shared_task
def sweep_imports() -> int:
    """Every minute: an import still unfinished after a minute gets its message again. Its enqueue was lost
    (the broker was down at the upload) and it runs now; or its worker died and it ends as failed; or it
    is running and the message is dropped."""
    from desk.models import ImportJob

    Status = ImportJob.Status
    unfinished = ImportJob.objects.filter(
        status__in=[Status.QUEUED, Status.VALIDATING, Status.IMPORTING],
        created_at__lt=timezone.now() - timedelta(minutes=1),
    )
    return sum(enqueue(run_import, pk) for pk in unfinished.values_list("pk", flat=True))


@shared_task
def purge_import_files() -> int:
    """Nightly: empty every uploaded import file older than 7 days (Law 91/2025: personal data is kept
    no longer than its purpose needs; the report stays, the names, phones and ID numbers go)."""
    from desk.imports import import_files_purge

    return import_files_purge()
