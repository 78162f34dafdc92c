"""Demo workers for `manage.py seed_demo`: profiles, certificates, consents, applications, and a year
of placements, written through the services so every rule holds."""

import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from candidates import services
from candidates.models import Application, Consent, EducationLevel, Placement, PriorityGroup, WorkerProfile, age_band
from jobs.demo import PASSWORD
from jobs.models import Commune, Country, Occupation, Vacancy

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MALE = ["Văn Hùng", "Đức Nam", "Minh Tuấn", "Văn Dũng", "Quốc Long", "Hữu Phúc", "Công Thành", "Văn Lợi"]
FEMALE = ["Thị Lan", "Thị Hoa", "Ngọc Hương", "Thị Mai", "Thu Trang", "Khánh Linh", "Thị Hằng", "Mỹ Duyên"]
TRADES = ["7212", "8153", "7112", "5321", "7411", "7231", "8219", "6111", "5120", "8332"]


def seed(*, workers: int = 40, job_fair_placements: int = 120, seed_value: int = 2026) -> dict[str, int]:
    if WorkerProfile.objects.exists():
        return {"workers": WorkerProfile.objects.count(), "placements": Placement.objects.count()}
    rng = random.Random(seed_value)  # noqa: S311  repeatable demo data, not secrets
    today = timezone.localdate()
    communes = list(Commune.objects.all())
    password = make_password(PASSWORD)  # hashed once: hashing is slow by design
    officer = User.objects.get(username="canbo")

    for index in range(workers):
        sex = "female" if index % 3 == 0 else "male"
        born = date(today.year - rng.randint(19, 38), rng.randint(1, 12), rng.randint(1, 28))
        phone = f"+8491{2000000 + index:07d}"
        user = User.objects.create(username=phone, phone=phone, password=password)
        wants_abroad = index % 2 == 0
        worker = services.profile_save(
            user=user,
            full_name=f"{rng.choice(FAMILY)} {rng.choice(FEMALE if sex == 'female' else MALE)}",
            date_of_birth=born,
            sex=sex,
            commune=rng.choice(communes),
            education=rng.choice([EducationLevel.LOWER_SECONDARY, EducationLevel.UPPER_SECONDARY]),
            wants_abroad=wants_abroad,
            expected_salary_vnd=rng.randrange(6_000_000, 16_000_000, 500_000),
            desired_occupations=list(Occupation.objects.filter(code=TRADES[index % len(TRADES)])),
            desired_countries=list(Country.objects.filter(code__in=["JP", "KR"] if wants_abroad else [])),
            sensitive={
                "id_number": _id_number(rng, born, sex, index),
                "ethnicity": "Vân Kiều" if index % 9 == 0 else "Kinh",
                "priority_groups": [{"group": PriorityGroup.NEAR_POOR, "year": 2025, "evidence": "Giấy chứng nhận"}]
                if index % 7 == 0
                else [],
            },
        )
        services.certificate_add(
            worker=worker,
            level=rng.choice(["short_course", "elementary", "intermediate"]),
            occupation=Occupation.objects.get(code=TRADES[index % len(TRADES)]),
            institution="Trường Cao đẳng Kỹ thuật Quảng Trị",
            serial_number=f"QT{202000 + index}",
            issued_on=date(today.year - 2, 6, 30),
        )
        if wants_abroad:
            services.language_add(worker=worker, framework="jlpt", level=rng.choice(["N5", "N4"]))
        if index % 4 != 3:
            services.consent_set(worker=worker, purpose=Consent.Purpose.BE_FOUND, granted=True)
        _apply_and_move(worker, rng, officer)

    occupations = list(Occupation.objects.filter(code__in=TRADES))
    for index in range(job_fair_placements):  # a year of job fairs, month by month
        placed_on = date(today.year, 1, 1) + timedelta(days=rng.randint(0, (today - date(today.year, 1, 1)).days))
        placement = services.placement_record(
            by=officer,
            source=Placement.Source.JOB_FAIR,
            placed_on=placed_on,
            is_abroad=index % 10 == 0,
            country=Country.objects.get(code="JP") if index % 10 == 0 else None,
            occupation=rng.choice(occupations),
            commune=rng.choice(communes),
            sex=rng.choice(["male", "female"]),
            age_band=age_band(rng.randint(18, 50)),
            priority_groups=["poor"] if index % 11 == 0 else [],
        )
        if index % 6:  # most are confirmed; the rest wait in the officers' queue
            services.placement_confirm(placement=placement, by=officer)
    return {"workers": workers, "placements": Placement.objects.count()}


def _id_number(rng, born: date, sex: str, index: int) -> str:
    century = (born.year // 100 - 19) * 2 + (1 if sex == "female" else 0)
    return f"045{century}{born.year % 100:02d}{100000 + index:06d}"


def _apply_and_move(worker, rng, officer) -> None:
    candidates = [
        v
        for v in Vacancy.objects.visible().select_related("programme", "contract__programme")
        if not services.hard_requirement_errors(worker, v) and v.is_overseas == worker.wants_abroad
    ]
    for vacancy in rng.sample(candidates, k=min(2, len(candidates))):
        application = services.apply(worker=worker, vacancy=vacancy)
        owner = vacancy.organisation.memberships.first().user
        steps = ["shortlisted", "interviewed", "offered", "departed" if vacancy.is_overseas else "hired"]
        for status in steps[: rng.randint(0, len(steps))]:
            try:
                application = services.application_move(application=application, by=owner, status=status)
            except ValidationError:  # a filled vacancy stops the demo's worker there, as it would a real one
                break
        if application.status in (Application.Status.HIRED, Application.Status.DEPARTED) and rng.random() < 0.7:
            services.placement_confirm(placement=application.placement, by=officer)
