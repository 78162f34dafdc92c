from celery import shared_task

from fairs import services


@shared_task
def purge_registrations() -> int:
    """Nightly: a fair's registrations forget their phone numbers a month after it (fairs.services)."""
    return services.registrations_purge()
