"""What people look for and do not find: the searches recorded by `search.services.record_zero_result`
(already scrubbed of phone, ID numbers and e-mail addresses, kept 90 days), for the officers' page."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.aggregates import ArrayAgg, JSONBAgg
from django.db.models import Count, DateField
from django.db.models.functions import TruncWeek

from search.models import ZeroResultQuery

PER_WEEK = 30  # the most asked of each week; the rest are the long tail


@dataclass
class Missed:
    folded: str
    searches: int
    texts: list[str]  # as typed (scrubbed), a few
    offers: list[dict]  # each broader search offered, once, with the most it found


@dataclass
class Week:
    start: date
    searches: int = 0
    missed: list[Missed] = field(default_factory=list)


def zero_results_by_week() -> list[Week]:
    """The kept searches that found nothing, by week (newest first) and folded text (most asked first):
    one grouped query. A group's searches may have had different filters, so its offers are merged by
    what they broaden (the filter dropped, or the commune searched around), keeping the largest count."""
    groups = (
        ZeroResultQuery.objects.annotate(week=TruncWeek("at", output_field=DateField()))
        .values("week", "folded")
        .annotate(
            searches=Count("id"),
            texts=ArrayAgg("text", distinct=True, default=[]),
            offers=JSONBAgg("offers", distinct=True, default=[]),
        )
        .order_by("-week", "-searches", "folded")
    )
    weeks: dict[date, Week] = {}
    for group in groups:
        week = weeks.setdefault(group["week"], Week(group["week"]))
        week.searches += group["searches"]
        if len(week.missed) < PER_WEEK:
            offers = _merged([offer for offered in group["offers"] for offer in offered])
            week.missed.append(Missed(group["folded"], group["searches"], sorted(group["texts"])[:5], offers))
    return list(weeks.values())


def _merged(offers: list[dict]) -> list[dict]:
    best: dict[tuple, dict] = {}
    for offer in offers:
        kind = ("drop", offer["drop"]) if "drop" in offer else ("near", offer["near"])
        if kind not in best or offer["count"] > best[kind]["count"]:
            best[kind] = offer
    return sorted(best.values(), key=lambda offer: -offer["count"])
