from django.core.management.base import BaseCommand

from search.quality import evaluate

TARGETS = {"search": {"ndcg@10": 0.90, "recall@20": 0.80}, "matching": {"ndcg@10": 0.90}}


class Command(BaseCommand):
    help = "Measure search and matching quality on the judged set in tests/relevance/ (NDCG@10, recall@20)."

    def add_arguments(self, parser):
        parser.add_argument("--detail", action="store_true", help="a line per query and profile")

    def handle(self, *args, detail, **options):
        for name, scores in evaluate().items():
            if detail:
                for label, ndcg, recall, found in scores.rows:
                    figures = "judged to find nothing" if ndcg is None else f"ndcg@10={ndcg:.3f} recall@20={recall:.3f}"
                    self.stdout.write(f"  {name:8} {label[:40]:40} {figures} hits={found}")
            summary = scores.summary()
            figures = "  ".join(f"{key}={value:.3f}" for key, value in summary.items())
            cases = f"{len(scores.ndcg)} cases + {scores.nothing_expected} judged to find nothing"
            self.stdout.write(f"{name:8} ({cases})  {figures}")
            for metric, target in TARGETS[name].items():
                verdict = "met" if summary[metric] >= target else "NOT met"
                self.stdout.write(f"  target {metric} ≥ {target:.2f}: {verdict}")
