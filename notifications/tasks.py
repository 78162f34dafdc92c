from celery import shared_task

from notifications import services


@shared_task(acks_late=True)
def dispatch(event_ids: list[int]) -> None:
    due = services.expand(event_ids)
    for start in range(0, len(due), services.BATCH):
        services.deliver(due[start : start + services.BATCH])


@shared_task(acks_late=True)
def deliver_message(message_ids: list[int]) -> None:
    services.deliver(message_ids)


@shared_task
def sweep() -> dict[str, int]:
    return services.sweep()
