from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs import demo, services


class Command(BaseCommand):
    help = "Load the reference data and the Vietnamese demo data, then rebuild the search indices. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--vacancies", type=int, default=60, help="domestic demo vacancies (default 60)")

    def handle(self, *args, vacancies, **options):
        self.stdout.write(f"Xã, phường, đặc khu: {services.communes_load()}")
        self.stdout.write(f"Nghề (VSCO 2020 / ISCO-08): {services.occupations_load()}")
        services.reference_load()
        counts = demo.seed(vacancies=vacancies)
        self.stdout.write(f"Dữ liệu mẫu: {counts}")
        call_command("search_rebuild", stdout=self.stdout)
