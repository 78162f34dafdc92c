"""Demo history for the labour-market page and the officers' page of searches that found nothing.

The jobs demo publishes its vacancies today and the workers demo consents today, so a month's end in the
past would count nothing. This adds a year of job fairs: on a fair day early in each of the last twelve
months, each verified employer brings 5 or 10 vacancies in each of its trades, open to a day in the next
month (so a month's stock is that month's fair), and each order for work abroad comes five times, open
to the month's end. Counts move in fives, as a fair's would, so the public page shows figures rather than
only hidden cells. The demo workers' consents to be found are dated back in groups of five; and a season
of searches that found nothing is recorded, some typed with a phone number. Rows are written in bulk,
each complete with the review events that the history is read from.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from candidates.models import Consent
from desk.labour_market import month_end
from jobs.demo import DOMESTIC_JOBS, EMPLOYERS
from jobs.models import Occupation, Organisation, Vacancy, VacancyEvent
from search.models import ZeroResultQuery
from search.services import record_zero_result

TRADES = {  # employer (by name) → the demo jobs it hires for at fairs (by occupation code)
    "Công ty CP Chế biến gỗ Nam Đông Hà": ["7522"],
    "Khách sạn Biển Đồng Hới": ["4224", "5120"],
    "Công ty TNHH Cơ khí Lao Bảo": ["7212"],
    "Hợp tác xã Nông nghiệp Triệu Phong": ["6111"],
    "Bệnh viện Đa khoa Quảng Trị": ["3221"],
    "Công ty CP Xây dựng Quảng Bình": ["7112", "7411"],
    "Công ty TNHH Thủy sản Cửa Việt": ["7511"],
}
MISSED = [  # what people typed, the filters they set, how many times over the weeks, the broader offers
    ("thợ hàn TIG", {"commune": ["19351"]}, 9, [{"drop": "commune", "count": 3}]),
    ("tho han tig", {}, 4, []),
    ("lái máy xúc", {}, 7, []),
    ("lai may xuc", {"abroad": ["false"]}, 3, []),
    ("phiên dịch tiếng Hàn", {"abroad": ["false"]}, 5, [{"drop": "abroad", "count": 1}]),
    ("điều dưỡng Nhật lương cao", {"country": ["JP"]}, 6, [{"drop": "country", "count": 2}]),
    ("xin việc gọi 0912 345 678", {}, 2, []),
    ("", {"commune": ["19351"], "occupation": ["2512"]}, 3, [{"drop": "occupation", "count": 6}]),
]


@transaction.atomic
def seed(*, seed_value: int = 2026) -> dict[str, int]:
    if ZeroResultQuery.objects.exists():
        return {"fair_vacancies": 0, "missed_searches": ZeroResultQuery.objects.count()}
    rng = random.Random(seed_value)  # noqa: S311  repeatable demo data, not secrets
    today = timezone.localdate()
    made = _fair_vacancies(rng, today)
    _consents_dated_back(today)
    return {"fair_vacancies": made, "missed_searches": _missed_searches(rng)}


def _months_back(today: date, count: int) -> list[tuple[int, int]]:
    months, day = [], today.replace(day=1)
    for _step in range(count):
        day = day - timedelta(days=1)
        months.append((day.year, day.month))
        day = day.replace(day=1)
    return months[::-1]


def _at(day: date, hour: int = 8) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _fair_vacancies(rng, today: date) -> int:
    officer = User.objects.get(username="canbo")
    jobs = {code: (title, salary, level) for title, code, salary, level in DOMESTIC_JOBS}
    employers = Organisation.objects.verified().filter(name__in=TRADES)
    communes = {name: place for name, _tax, place in EMPLOYERS}
    occupations = Occupation.objects.in_bulk(list(jobs), field_name="code")
    vacancies = []
    for index, (year, month) in enumerate(_months_back(today, 12)):
        fair = date(year, month, 5)
        for number, employer in enumerate(employers):
            for code in TRADES[employer.name]:
                title, (low, high), level = jobs[code]
                for _copy in range(5 if (index + number) // 4 % 2 else 10):
                    deadline = month_end(year, month) + timedelta(days=rng.randint(10, 25))
                    low_here = Decimal(low + rng.randrange(-500_000, 1_000_001, 250_000))
                    vacancy = Vacancy(
                        organisation=employer,
                        title=title,
                        description=f"{title} tại {communes[employer.name]}: tuyển ở phiên giao dịch việc làm "
                        f"tháng {month}/{year}.",
                        occupation=occupations[code],
                        positions=rng.randint(1, 12),
                        commune=employer.commune,
                        salary_min=low_here,
                        salary_max=Decimal(high),
                        salary_min_vnd=int(low_here),
                        salary_max_vnd=high,
                        contract_type=Vacancy.ContractType.FIXED_TERM,
                        training_level=level,
                        deadline=deadline,
                        contact_name="Phòng nhân sự",
                        contact_phone="0233 3852 000",
                        status=Vacancy.Status.PUBLISHED if deadline >= today else Vacancy.Status.EXPIRED,
                        published_at=_at(fair),
                    )
                    vacancies.append(vacancy)
    vacancies += _overseas_orders(rng, today)
    Vacancy.objects.bulk_create(vacancies)
    fairs = Vacancy.objects.filter(pk__in=[vacancy.pk for vacancy in vacancies])
    fairs.update(created_at=F("published_at") - timedelta(days=3))  # bulk_create stamps them today
    events = []
    for vacancy in vacancies:
        fair = timezone.localdate(vacancy.published_at)
        events += [
            VacancyEvent(
                vacancy=vacancy, from_status="", to_status=Vacancy.Status.DRAFT, at=_at(fair - timedelta(days=3))
            ),
            VacancyEvent(
                vacancy=vacancy,
                from_status=Vacancy.Status.DRAFT,
                to_status=Vacancy.Status.PENDING_REVIEW,
                at=_at(fair - timedelta(days=3), 9),
            ),
            VacancyEvent(
                vacancy=vacancy,
                from_status=Vacancy.Status.PENDING_REVIEW,
                to_status=Vacancy.Status.PUBLISHED,
                by=officer,
                at=vacancy.published_at,
            ),
        ]
        if vacancy.status == Vacancy.Status.EXPIRED:
            expired = _at(vacancy.deadline + timedelta(days=1), 0)
            events.append(
                VacancyEvent(
                    vacancy=vacancy, from_status=Vacancy.Status.PUBLISHED, to_status=Vacancy.Status.EXPIRED, at=expired
                )
            )
    VacancyEvent.objects.bulk_create(events)
    return len(vacancies)


def _overseas_orders(rng, today: date) -> list[Vacancy]:
    """Each published order of the jobs demo brought to every fair five times, under the same approved
    contract and terms, open to the month's end (so none of them is still open today)."""
    copied = [f.attname for f in Vacancy._meta.concrete_fields if f.attname not in {"id", "modified_at"}]
    orders = Vacancy.objects.published().filter(is_overseas=True)
    vacancies = []
    for year, month in _months_back(today, 12):
        for order in orders:
            for _copy in range(5):
                vacancy = Vacancy(**{name: getattr(order, name) for name in copied})
                vacancy.positions = rng.randint(2, 10)
                vacancy.deadline = month_end(year, month)
                vacancy.status = Vacancy.Status.EXPIRED
                vacancy.published_at = _at(date(year, month, 5))
                vacancy.search_synced_at = None
                vacancies.append(vacancy)
    return vacancies


def _consents_dated_back(today: date) -> None:
    """The demo workers agreed to be found over the last months, five a month, the latest last month."""
    consents = list(Consent.objects.filter(purpose=Consent.Purpose.BE_FOUND, withdrawn_at=None).order_by("pk"))
    months = _months_back(today, 12)
    for number, consent in enumerate(consents):
        year, month = months[max(0, len(months) - 1 - (len(consents) - 1 - number) // 5)]
        consent.granted_at = _at(date(year, month, 5))
    Consent.objects.bulk_update(consents, ["granted_at"])


def _missed_searches(rng) -> int:
    """Recorded as the search box records them (scrubbed, folded), then spread over the last weeks."""
    for text, filters, times, offers in MISSED:
        for _time in range(times):
            record_zero_result(text=text, filters=filters, offers=offers)
    now = timezone.now()
    recorded = list(ZeroResultQuery.objects.all())
    for query in recorded:
        query.at = now - timedelta(days=rng.randint(0, 34), hours=rng.randint(0, 12))
    ZeroResultQuery.objects.bulk_update(recorded, ["at"])
    return len(recorded)
