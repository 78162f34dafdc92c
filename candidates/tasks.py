from celery import shared_task

from candidates import services


@shared_task
def purge_unselected_applications() -> int:
    return services.applications_purge_unselected()
