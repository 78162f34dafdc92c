from django.core.management.base import BaseCommand

from search import services
from search.documents import DOCUMENTS


class Command(BaseCommand):
    help = "Rebuild every search index with no downtime: new index, bulk load, alias swap, catch-up."

    def handle(self, *args, **options):
        for document in DOCUMENTS:
            rebuilt = services.rebuild(document)
            rate = rebuilt.documents / rebuilt.load_seconds if rebuilt.load_seconds else 0
            self.stdout.write(f"{document.__name__}: {rebuilt.index}, {rebuilt.documents} documents ({rate:,.0f}/s)")
