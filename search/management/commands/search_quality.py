from django.core.management.base import BaseCommand

from search.quality import evaluate


class Command(BaseCommand):
    help = "Measure search and matching quality on the judged set in tests/relevance/ (NDCG@10, recall@20)."

    def add_arguments(self, parser):
        parser.add_argument("--detail", action="store_true", help="a line per query and profile")

    def handle(self, *args, detail, **options):
        for name, scores in evaluate().items():
            if detail:
                for label, ndcg, recall, found in scores.rows:
                    self.stdout.write(
                        f"  {name:8} {label[:40]:40} ndcg@10={ndcg:.3f} recall@20={recall:.3f} hits={found}"
                    )
            figures = "  ".join(f"{key}={value:.3f}" for key, value in scores.summary().items())
            self.stdout.write(f"{name:8} ({len(scores.ndcg)} cases)  {figures}")
