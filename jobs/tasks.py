from celery import shared_task

from jobs import services


@shared_task
def expire_vacancies() -> int:
    return services.vacancies_expire()
