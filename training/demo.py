"""Demo training for `manage.py seed_demo`: institutions of each kind across the province, courses
starting in the next three months (published through the review, some toward a language certificate),
a demo worker's enrolments through the services, and a year of enrolments and completions so the 2026
dashboard's training rows show a year in progress.

A province enrols about 9.000 people a year; the bulk is written the way desk/demo.py writes the year's
placements: courses already held this year (closed) and their enrolments in bulk, each a complete record
dated day by day from 1 January to yesterday, at a pace a little under the plan's.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from candidates.models import PriorityGroup, WorkerProfile, age_band
from jobs import services as job_services
from jobs.demo import PASSWORD
from jobs.models import Commune, Occupation, Organisation
from training import services
from training.models import Course, CourseLevel, Enrolment

Kind, Level = Organisation.Kind, CourseLevel
INSTITUTIONS = [  # name, kind, tax code, commune
    ("Trường Cao đẳng Kỹ thuật Quảng Trị", Kind.COLLEGE, "3200112233", "Đông Hà"),
    ("Trường Cao đẳng Nghề Quảng Bình", Kind.COLLEGE, "3100223344", "Đồng Hới"),
    ("Trường Trung cấp Nghề Giao thông Vận tải Quảng Trị", Kind.INTERMEDIATE_SCHOOL, "3200334455", "Quảng Trị"),
    ("Trung tâm GDNN - GDTX Hướng Hóa", Kind.TRAINING_CENTRE, "3200445566", "Khe Sanh"),
    ("Trung tâm GDNN - GDTX Lệ Thủy", Kind.TRAINING_CENTRE, "3100556677", "Lệ Thủy"),
    ("Trung tâm GDNN - GDTX Vĩnh Linh", Kind.TRAINING_CENTRE, "3200667788", "Vĩnh Linh"),
    ("Công ty TNHH May Hòa Thọ Đông Hà", Kind.TRAINING_ENTERPRISE, "3200778899", "Đông Hà"),
]
# Upcoming courses: institution, title, occupation, level, starts in (days), weeks, seats, fee, language
UPCOMING = [
    (0, "Hàn điện - hàn hơi (sơ cấp)", "7212", Level.ELEMENTARY, 12, 12, 25, 4_500_000, None),
    (0, "Điện công nghiệp (cao đẳng)", "7411", Level.COLLEGE, 40, 120, 35, 0, None),
    (
        0,
        "Tiếng Nhật cho thực tập sinh kỹ năng (JLPT N4)",
        "7212",
        Level.SHORT_COURSE,
        20,
        11,
        30,
        6_000_000,
        ("jlpt", "N4"),
    ),
    (1, "Công nghệ ô tô (trung cấp)", "7231", Level.INTERMEDIATE, 30, 80, 30, 0, None),
    (1, "Nấu ăn (sơ cấp)", "5120", Level.ELEMENTARY, 15, 12, 20, 3_000_000, None),
    (1, "Tiếng Hàn EPS-TOPIK (TOPIK 2)", "8153", Level.SHORT_COURSE, 25, 10, 25, 5_000_000, ("topik", "2")),
    (2, "Lái xe tải hạng C", "8332", Level.ELEMENTARY, 10, 14, 40, 12_000_000, None),
    (2, "Sửa chữa xe máy (sơ cấp)", "7231", Level.ELEMENTARY, 35, 12, 25, 2_500_000, None),
    (3, "Kỹ thuật trồng rau an toàn", "6111", Level.SHORT_COURSE, 8, 6, 30, 0, None),
    (3, "May công nghiệp (sơ cấp)", "8153", Level.ELEMENTARY, 45, 12, 30, 0, None),
    (4, "Nuôi trồng thủy sản nước lợ", "6221", Level.SHORT_COURSE, 18, 8, 25, 0, None),
    (4, "Nề - hoàn thiện công trình (sơ cấp)", "7112", Level.ELEMENTARY, 28, 12, 20, 2_000_000, None),
    (5, "Điện dân dụng (sơ cấp)", "7411", Level.ELEMENTARY, 22, 12, 25, 2_500_000, None),
    (5, "Hàn kết cấu thép (dưới 3 tháng)", "7212", Level.SHORT_COURSE, 60, 8, 20, 2_000_000, None),
    (6, "Vận hành máy may công nghiệp", "8153", Level.SHORT_COURSE, 14, 6, 40, 0, None),
]
# The plan's mix: college 200, intermediate 800, elementary and short courses 8.000 a year.
LEVEL_SHARES = [(Level.COLLEGE, 200), (Level.INTERMEDIATE, 800), (Level.ELEMENTARY, 3600), (Level.SHORT_COURSE, 4400)]
LEVEL_WEEKS = {Level.COLLEGE: 130, Level.INTERMEDIATE: 80, Level.ELEMENTARY: 12, Level.SHORT_COURSE: 8}
TRADES = ["7212", "8153", "7411", "7231", "5120", "6111", "7112", "8332", "6221", "7531", "5321", "3221"]
# Enrolments per month, relative: classes open after Tết and in the autumn.
MONTH_WEIGHTS = [0.5, 0.8, 1.2, 1.1, 1.0, 0.9, 0.9, 1.2, 1.3, 1.1, 1.0, 0.8]
GROUP_SHARES = [
    (PriorityGroup.RURAL, 0.45),
    (PriorityGroup.ETHNIC_MINORITY, 0.12),
    (PriorityGroup.POOR, 0.06),
    (PriorityGroup.NEAR_POOR, 0.07),
    (PriorityGroup.DISABILITY, 0.01),
    (PriorityGroup.DEMOBILISED, 0.03),
]


@transaction.atomic
def seed(*, yearly_enrolments: float, pace: float = 0.97, seed_value: int = 2026) -> dict[str, int]:
    """`yearly_enrolments`: the province's plan (desk's targets, which seed_demo reads), met at `pace`."""
    if Course.objects.exists():
        return {"courses": Course.objects.count(), "enrolments": Enrolment.objects.count()}
    rng = random.Random(seed_value)  # noqa: S311  repeatable demo data, not secrets
    officer = User.objects.get(username="canbo")
    communes = {commune.name: commune for commune in Commune.objects.all()}
    institutions = [
        _institution(officer, index, name, kind, tax_code, communes[place])
        for index, (name, kind, tax_code, place) in enumerate(INSTITUTIONS)
    ]
    today = timezone.localdate()
    upcoming = [_upcoming(officer, institutions, today, *row) for row in UPCOMING]
    _demo_worker_enrols(upcoming, institutions[0])
    _demo_workers_complete(officer, institutions[3], today)
    made = _a_year_of_enrolments(rng, institutions, officer, today, yearly_enrolments * pace)
    return {"institutions": len(institutions), "courses": Course.objects.count(), "enrolments": made}


def _institution(officer, index, name, kind, tax_code, commune) -> Organisation:
    owner = User.objects.create_user(f"school{index + 1}", password=PASSWORD, first_name=name.split()[-1])
    organisation = job_services.organisation_register(
        by=owner, kind=kind, name=name, tax_code=tax_code, commune=commune, phone=f"0233 38{52000 + index}"
    )
    job_services.organisation_verify(organisation=organisation, by=officer, approve=True)
    return organisation


def _upcoming(officer, institutions, today, which, title, code, level, starts_in, weeks, seats, fee, language):
    institution = institutions[which]
    owner = institution.memberships.get().user
    framework, language_level = language or ("", "")
    course = services.course_create(
        organisation=institution,
        by=owner,
        title=title,
        description=f"{title}. Học lý thuyết và thực hành tại xưởng; cấp chứng chỉ khi hoàn thành.",
        occupation=Occupation.objects.get(code=code),
        level=level,
        language_framework=framework,
        language_level=language_level,
        online=framework != "",  # the language courses also run online
        commune=institution.commune,
        address=f"Cơ sở đào tạo {institution.commune.name}",
        start_date=today + timedelta(days=starts_in),
        end_date=today + timedelta(days=starts_in + 7 * weeks),
        seats=seats,
        fee_vnd=fee,
    )
    services.course_submit(course=course, by=owner)
    if which != len(institutions) - 1:  # the enterprise's course waits in the officers' review
        services.course_approve(course=course, by=officer)
    return course


def _demo_worker_enrols(upcoming, college) -> None:
    """The first demo worker (+84912000000) asked for the welding course; the second is enrolled."""
    owner = college.memberships.get().user
    for phone, accept in (("+84912000000", False), ("+84912000001", True)):
        worker = WorkerProfile.objects.filter(user__phone=phone).first()
        if worker is not None:
            enrolment = services.enrol(worker=worker, course=upcoming[0])
            if accept:
                services.enrolment_accept(enrolment=enrolment, by=owner)


def _demo_workers_complete(officer, centre, today) -> None:
    """A welding course that ends today: eight demo workers enrolled before it began; the centre records
    seven passes (each a verified certificate of the worker) and one who did not complete."""
    owner = centre.memberships.get().user
    start = today - timedelta(days=75)
    course = services.course_create(
        organisation=centre,
        by=owner,
        title="Hàn hồ quang tay (khóa dưới 3 tháng)",
        description="Hàn hồ quang tay cơ bản, 75 ngày, cấp chứng chỉ đào tạo dưới 3 tháng.",
        occupation=Occupation.objects.get(code="7212"),
        level=Level.SHORT_COURSE,
        commune=centre.commune,
        address="Xưởng thực hành của trung tâm",
        start_date=start,
        end_date=today,
        seats=20,
        fee_vnd=0,
    )
    services.course_submit(course=course, by=owner)
    services.course_approve(course=course, by=officer)
    workers = WorkerProfile.objects.filter(user__phone__in=[f"+84912{index:06d}" for index in range(10, 18)])
    for number, worker in enumerate(workers.order_by("user__phone")):
        enrolment = services.enrol(worker=worker, course=course, today=start - timedelta(days=7))
        services.enrolment_accept(enrolment=enrolment, by=owner, today=start - timedelta(days=5))
        services.enrolment_complete(
            enrolment=enrolment, by=owner, passed=number != 7, completed_on=today, serial_number=f"HHT-{number + 1:03d}"
        )


def _a_year_of_enrolments(rng, institutions, officer, today, yearly: float) -> int:
    """Courses held this year (closed) and their enrolments, in bulk; completions for courses already over."""
    communes = list(Commune.objects.all())
    occupations = list(Occupation.objects.filter(code__in=TRADES))
    allowed = services.LEVELS_BY_KIND
    courses = []
    for month in range(1, today.month + 1):
        for level, _share in LEVEL_SHARES:
            institution = rng.choice([i for i in institutions if level in allowed[i.kind]])
            start = date(today.year, month, rng.randint(1, 20))
            if start >= today:
                continue
            courses.append(
                Course(
                    organisation=institution,
                    title=f"Lớp {Level(level).label} tháng {month}",
                    description="Lớp đã khai giảng trong năm.",
                    occupation=rng.choice(occupations),
                    level=level,
                    commune=institution.commune,
                    start_date=start,
                    end_date=start + timedelta(weeks=LEVEL_WEEKS[level]),
                    seats=2000,
                    status=Course.Status.CLOSED,
                    published_at=timezone.now(),
                )
            )
    Course.objects.bulk_create(courses)
    by_level = {level: [c for c in courses if c.level == level] for level, _share in LEVEL_SHARES}
    per_day = yearly / sum(w * 30.4 for w in MONTH_WEIGHTS)
    rows, day = [], date(today.year, 1, 1)
    while day < today:
        for _ in range(max(0, round(rng.gauss(per_day * MONTH_WEIGHTS[day.month - 1], 3)))):
            level = rng.choices([lv for lv, _s in LEVEL_SHARES], weights=[s for _lv, s in LEVEL_SHARES])[0]
            course = min(by_level[level], key=lambda c: abs((c.start_date - day).days))
            ends = course.end_date
            done = ends < today and rng.random() < 0.88
            rows.append(
                Enrolment(
                    course=course,
                    status=Enrolment.Status.COMPLETED if done else Enrolment.Status.ACCEPTED,
                    accepted_on=day,
                    completed_on=ends if done else None,
                    occupation_id=course.occupation_id,
                    level=level,
                    commune=rng.choice(communes),
                    sex="female" if rng.random() < 0.48 else "male",
                    age_band=age_band(rng.randint(16, 50)),
                    priority_groups=[g for g, p in GROUP_SHARES if rng.random() < p],
                )
            )
        day += timedelta(days=1)
    Enrolment.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
