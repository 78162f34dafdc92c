from celery import shared_task

from candidates import digests, services


@shared_task
def purge_unselected_applications() -> int:
    return services.applications_purge_unselected()


@shared_task
def daily_digests() -> dict[str, int]:
    return {
        "applicants": digests.applicants_digest(),
        "placements": digests.placements_digest(),
        "deadlines": digests.deadlines_soon(),
    }
