from celery import shared_task
from django.conf import settings
from django.utils import timezone

from desk import services
from desk.statistics import public_period


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def monthly_report(year: int | None = None, month: int | None = None) -> int:
    """Build the workbook of a month (default: the last complete one) and e-mail it to the officers.
    Idempotent: building a month again replaces its workbook."""
    if year is None or month is None:
        last = public_period(timezone.localdate().year, today=timezone.localdate()).as_of
        year, month = last.year, last.month
    report = services.report_build(year=year, month=month)
    return services.report_send(report=report)


# --- Work queues, cases and imports ---


@shared_task(soft_time_limit=settings.IMPORT_SOFT_TIME_LIMIT, time_limit=settings.IMPORT_SOFT_TIME_LIMIT + 60)
def run_import(job_id: int) -> None:
    """Run an uploaded import; a job already past its start (a retry, a duplicate message) is left alone.
    The job is claimed in one UPDATE: of two workers handed the same job, only one changes its row.
    Routed to the imports queue (settings.CELERY_TASK_ROUTES). Past the soft time limit the import stops
    as failed and its transaction rolls back; a minute later the hard limit kills whatever still runs."""
    from desk.imports import import_run
    from desk.models import ImportJob

    Status = ImportJob.Status
    if ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(status=Status.VALIDATING) == 1:
        import_run(ImportJob.objects.get(pk=job_id))


@shared_task
def purge_import_files() -> int:
    """Nightly: empty every uploaded import file older than 7 days (Law 91/2025: personal data is kept
    no longer than its purpose needs; the report stays, the names, phones and ID numbers go)."""
    from desk.imports import import_files_purge

    return import_files_purge()
