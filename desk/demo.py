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
from desk.models import Case, Target
from jobs.models import Commune, Country, Occupation, Programme, Sanction

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


# --- Safe work abroad: an agency suspended, one warned, a broker reported and followed ---

DEMO_FOLLOW_CODE = "QTRI-DEMO-2026"  # printed by seed_demo and in README: demo data only
SUSPENDED_AGENCY = ("Công ty CP Xuất khẩu Lao động Hoàng Phát", "3200977001", "215/LĐTBXH-GP")


@transaction.atomic
def seed_safety() -> dict[str, int]:
    """Cases resolved with sanctions through the services an officer uses: a suspended agency (its vacancy
    leaves search), a warned one (its vacancies stay, with the warning), and a broker who is not on the
    portal, reported, fined, and followed with DEMO_FOLLOW_CODE."""
    from desk import cases
    from jobs import services as job_services
    from jobs.models import Organisation

    name, tax_code, licence = SUSPENDED_AGENCY
    if Organisation.objects.filter(tax_code=tax_code).exists():
        return {"sanctions": Sanction.objects.count()}
    officer = User.objects.get(username="canbo")
    today = timezone.localdate()
    owner = User.objects.create_user("agency3", password="demo-2026", first_name="Hoàng Phát")  # noqa: S106 demo
    suspended = job_services.organisation_register(
        by=owner,
        kind=Organisation.Kind.AGENCY,
        name=name,
        tax_code=tax_code,
        phone="0233 3566 001",
        licence_number=licence,
        licence_issued_on=date(2021, 6, 1),
        licence_expires_on=today + timedelta(days=400),
    )
    job_services.organisation_verify(organisation=suspended, by=officer, approve=True)
    warned = Organisation.objects.get(tax_code="3100912345")  # agency2, Cung ứng Nhân lực Quảng Bình
    sanctions = [
        (
            suspended,
            Case.Reason.BROKERAGE,
            "Thu 30.000.000 đ “phí môi giới” trước khi ký hợp đồng.",
            {"kind": Sanction.Kind.SUSPENSION, "decision_number": "12/QĐ-XPHC", "until": today + timedelta(days=120)},
        ),
        (
            warned,
            Case.Reason.FALSE_INFORMATION,
            "Tin tuyển dụng ghi lương cao hơn hợp đồng được duyệt.",
            {"kind": Sanction.Kind.WARNING, "decision_number": "31/QĐ-XPHC"},
        ),
    ]
    for organisation, reason, details, sanction in sanctions:
        case = cases.case_report(organisation=organisation, reason=reason, details=details, by=None)
        cases.case_move(
            case=case,
            by=officer,
            status=Case.Status.RESOLVED,
            note="Đã xác minh, lập biên bản.",
            sanction={"decided_on": today - timedelta(days=10), **sanction},
        )
    broker = cases.case_report(
        broker_name="Anh Tuấn — môi giới đi Đài Loan trên Facebook",
        broker_phone="0987 654 321",
        broker_place="Xã Hải Lăng, gặp ở chợ",
        reason=Case.Reason.TRAFFICKING,
        details="Đòi 80.000.000 đ đặt cọc, hứa đi Đài Loan trong 1 tháng, giữ căn cước của em.",
        by=None,
    )
    Case.objects.filter(pk=broker.pk).update(follow_code_hash=cases._code_hash(DEMO_FOLLOW_CODE))
    cases.case_move(
        case=broker,
        by=officer,
        status=Case.Status.RESOLVED,
        note="Đã chuyển Công an xã; người môi giới bị xử phạt, giấy tờ đã trả lại.",
        sanction={
            "kind": Sanction.Kind.FINE,
            "decision_number": "45/QĐ-XPHC",
            "decided_on": today - timedelta(days=3),
            "fine_vnd": 50_000_000,
        },
    )
    return {"sanctions": Sanction.objects.count(), "follow_code": DEMO_FOLLOW_CODE}
