from celery import shared_task

from notifications import services


@shared_task(acks_late=True)
def dispatch(event_id: int) -> None:
    for message_id in services.expand(event_id):
        services.deliver(message_id)


@shared_task(acks_late=True)
def deliver_message(message_id: int) -> None:
    services.deliver(message_id)


@shared_task
def sweep() -> dict[str, int]:
    return services.sweep()


@shared_task
def daily() -> dict[str, int]:
    from notifications import digests

    return {
        "applicants": digests.applicants_digest(),
        "placements": digests.placements_digest(),
        "deadlines": digests.deadlines_soon(),
    }
