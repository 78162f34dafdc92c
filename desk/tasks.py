from celery import shared_task

# --- Work queues, cases and imports ---


@shared_task
def run_import(job_id: int) -> None:
    """Run an uploaded import; a job already past its start (a retry, a duplicate message) is left alone."""
    from desk.imports import import_run
    from desk.models import ImportJob

    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).first()
    if job is not None:
        import_run(job)
