"""manage.py import_records KIND FILE [--valid-only] --officer USERNAME: the page's import, at once."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from accounts.models import User
from desk.imports import import_start, report_lines
from desk.models import ImportJob
from desk.tasks import run_import


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of vacancies or worker registrations, with the same rules and report as the page."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportJob.Kind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--valid-only", action="store_true", help="import the valid rows even if some are not")
        parser.add_argument("--officer", required=True, help="the officer's username, recorded as who imported")

    def handle(self, *args, kind, file, valid_only, officer, **options):
        by = User.objects.filter(username=officer, is_officer=True).first()
        if by is None:
            raise CommandError(f"No department officer is called {officer!r}.")
        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        try:
            with translation.override("vi"):  # a refused file is said in Vietnamese, like the report
                job = import_start(
                    by=by, kind=kind, filename=file.name, content=file.read_bytes(), valid_only=valid_only, queue=False
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        run_import(job.pk)  # here and now, under the same lock as the worker's
        job.refresh_from_db()
        with translation.override("vi"):
            for line in report_lines(job):
                self.stdout.write(line)
            if job.status != ImportJob.Status.DONE:
                raise CommandError(job.get_status_display())
