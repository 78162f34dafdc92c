from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs.services import occupations_load


class Command(BaseCommand):
    help = "Load the reference data and the Vietnamese demo data, then rebuild the search indices. Idempotent."

    def handle(self, *args, **options):
        occupations = occupations_load()
        self.stdout.write(f"Nghề (VSCO 2020 / ISCO-08): {occupations}")
        call_command("search_rebuild", stdout=self.stdout)
