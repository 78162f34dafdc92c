from celery import shared_task

from jobs import services, stream


@shared_task
def expire_vacancies() -> int:
    return services.vacancies_expire()


@shared_task
def purge_stream() -> int:
    return stream.purge()
