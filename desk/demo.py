"""Demo targets and a year's volume of confirmed placements, so the dashboard moves toward the plan.

The candidates demo makes a few hundred placements through the services; a province places about
12.000 people a year, so this adds the bulk of them, dated day by day from 1 January to yesterday at
a pace slightly under the target's, as a job-fair import would. They are written in bulk (one row
per placement through each service would take minutes); each one is a complete, confirmed record.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from candidates.models import Placement, PriorityGroup, age_band
from desk import services
from desk.models import Target
from jobs.models import Commune, Country, Occupation, Programme

# Hires per month, relative: slow around Tết, busy in spring and after the harvest.
MONTH_WEIGHTS = [0.7, 0.6, 1.2, 1.2, 1.1, 1.0, 1.0, 1.0, 1.1, 1.1, 1.0, 1.0]
ABROAD = [  # country, programme, share of departures
    ("JP", "jp-titp", 45),
    ("JP", "jp-ssw1", 10),
    ("KR", "kr-eps", 15),
    ("TW", "tw", 25),
    ("DE", "de-triple-win", 5),
]
HOME_TRADES = ["8153", "7212", "7522", "4224", "5120", "3221", "7112", "8332", "7411", "7511", "5223", "6111", "7231"]
ABROAD_TRADES = ["7212", "8153", "7112", "5321", "7411", "7231", "6111", "7511", "3221"]


@transaction.atomic
def seed(*, pace: float = 1.0, seed_value: int = 2026) -> dict[str, int]:
    """The 2023 provincial plan as the targets of 2023 and of this year, and this year's placements."""
    today = timezone.localdate()
    if Target.objects.filter(year=today.year).exists():
        return {"targets": Target.objects.count(), "placements": Placement.objects.count()}
    officer = User.objects.get(username="canbo")
    for year in sorted({2023, today.year}):
        services.targets_set(year=year, values=services.PROVINCIAL_PLAN, by=officer, source=services.PLAN_SOURCE)
    rng = random.Random(seed_value)  # noqa: S311  repeatable demo data, not secrets
    made = _placements(rng, today, officer, pace)
    return {"targets": Target.objects.count(), "placements": made}


def _placements(rng, today: date, officer, pace: float) -> int:
    communes = list(Commune.objects.all())
    weights = [3.0 if commune.kind == Commune.Kind.WARD else 1.0 for commune in communes]  # towns hire more
    home = list(Occupation.objects.filter(code__in=HOME_TRADES))
    abroad = list(Occupation.objects.filter(code__in=ABROAD_TRADES))
    countries = Country.objects.in_bulk(field_name="code")
    programmes = Programme.objects.in_bulk(field_name="code")
    target = services.PROVINCIAL_PLAN[Target.Indicator.NEW_JOBS]
    per_day = float(target) * pace / sum(w * 30.4 for w in MONTH_WEIGHTS)
    confirmed_at = timezone.now()
    rows = []
    day = date(today.year, 1, 1)
    while day < today:
        for _ in range(_poisson(rng, per_day * MONTH_WEIGHTS[day.month - 1])):
            goes_abroad = rng.random() < 0.1
            country, programme, _share = rng.choices(ABROAD, weights=[a[2] for a in ABROAD])[0]
            groups = [g for g, p in GROUP_SHARES if rng.random() < p]
            status = Placement.Status.CONFIRMED if rng.random() < 0.95 else Placement.Status.PENDING
            rows.append(
                Placement(
                    source=Placement.Source.JOB_FAIR,
                    placed_on=day,
                    is_abroad=goes_abroad,
                    country=countries[country] if goes_abroad else None,
                    programme=programmes[programme] if goes_abroad else None,
                    occupation=rng.choice(abroad) if goes_abroad else rng.choice(home),
                    commune=rng.choices(communes, weights=weights)[0],
                    sex="female" if rng.random() < 0.45 else "male",
                    age_band=age_band(rng.randint(18, 35) if goes_abroad else rng.randint(18, 58)),
                    priority_groups=groups,
                    status=status,
                    confirmed_by=officer if status == Placement.Status.CONFIRMED else None,
                    confirmed_at=confirmed_at if status == Placement.Status.CONFIRMED else None,
                )
            )
        day += timedelta(days=1)
    Placement.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


GROUP_SHARES = [
    (PriorityGroup.POOR, 0.04),
    (PriorityGroup.NEAR_POOR, 0.05),
    (PriorityGroup.ETHNIC_MINORITY, 0.07),
    (PriorityGroup.MERITORIOUS, 0.02),
    (PriorityGroup.DISABILITY, 0.005),
]


def _poisson(rng, mean: float) -> int:
    """Hires on one day: about `mean`, some days more, some fewer (normal approximation)."""
    return max(0, round(rng.gauss(mean, mean**0.5)))
