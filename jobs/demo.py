"""Realistic Vietnamese demo data for `manage.py seed_demo`, written through the services so every
rule applies (verification, licences, contracts, the fee check, the workflow)."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from jobs import services
from jobs.models import MIN_AGE_ABROAD, Commune, Country, Occupation, Organisation, Programme, Vacancy

PASSWORD = "demo-2026"  # noqa: S105  README names the demo accounts; never used outside the demo

EMPLOYERS = [
    ("Công ty TNHH May mặc Quảng Trị", "3200123456", "Đông Hà"),
    ("Công ty CP Chế biến gỗ Nam Đông Hà", "3200234567", "Nam Đông Hà"),
    ("Khách sạn Biển Đồng Hới", "3100345678", "Đồng Hới"),
    ("Công ty TNHH Cơ khí Lao Bảo", "3200456789", "Lao Bảo"),
    ("Hợp tác xã Nông nghiệp Triệu Phong", "3200567890", "Triệu Phong"),
    ("Bệnh viện Đa khoa Quảng Trị", "3200678901", "Đông Hà"),
    ("Công ty CP Xây dựng Quảng Bình", "3100789012", "Đồng Hới"),
    ("Công ty TNHH Thủy sản Cửa Việt", "3200890123", "Cửa Việt"),
]
AGENCIES = [
    ("Công ty CP Nhân lực Quốc tế Miền Trung", "3200901234", "Đông Hà", "123/LĐTBXH-GP"),
    ("Công ty TNHH Cung ứng Nhân lực Quảng Bình", "3100912345", "Đồng Hới", "456/LĐTBXH-GP"),
]
DOMESTIC_JOBS = [
    ("Công nhân may công nghiệp", "8153", (6_000_000, 9_000_000), "elementary"),
    ("Thợ hàn kết cấu thép", "7212", (9_000_000, 14_000_000), "intermediate"),
    ("Thợ mộc chế biến gỗ", "7522", (7_000_000, 11_000_000), "short_course"),
    ("Nhân viên lễ tân khách sạn", "4224", (6_500_000, 9_000_000), "intermediate"),
    ("Đầu bếp nhà hàng", "5120", (8_000_000, 15_000_000), "elementary"),
    ("Điều dưỡng viên", "3221", (8_000_000, 12_000_000), "college"),
    ("Thợ xây dân dụng", "7112", (8_000_000, 12_000_000), "none"),
    ("Lái xe tải", "8332", (10_000_000, 15_000_000), "elementary"),
    ("Thợ điện công trình", "7411", (9_000_000, 13_000_000), "intermediate"),
    ("Công nhân chế biến thủy sản", "7511", (6_000_000, 8_500_000), "none"),
    ("Kế toán tổng hợp", "2411", (8_000_000, 12_000_000), "university"),
    ("Nhân viên bán hàng", "5223", (5_500_000, 8_000_000), "none"),
    ("Công nhân trồng trọt", "6111", (5_000_000, 7_000_000), "none"),
    ("Thợ sửa chữa ô tô", "7231", (8_000_000, 13_000_000), "intermediate"),
    ("Lập trình viên phần mềm", "2512", (12_000_000, 25_000_000), "university"),
]
OVERSEAS_ORDERS = [
    # partner, country, programme, occupation, quota, wage, currency, months, title, languages
    (
        "Aichi Kogyo Kumiai",
        "JP",
        "jp-titp",
        "7212",
        20,
        180_000,
        "JPY",
        36,
        "Thực tập sinh hàn bán tự động tại Aichi",
        [("jlpt", "N5")],
    ),
    (
        "Osaka Care Kyodo",
        "JP",
        "jp-ssw1",
        "5321",
        10,
        210_000,
        "JPY",
        60,
        "Kỹ năng đặc định hộ lý tại Osaka",
        [("jlpt", "N4")],
    ),
    (
        "Gyeonggi Manufacturing",
        "KR",
        "kr-eps",
        "8219",
        30,
        2_100_000,
        "KRW",
        36,
        "Lao động sản xuất chế tạo EPS Hàn Quốc",
        [("eps_topik", "80")],
    ),
    (
        "Taoyuan Electronics Co.",
        "TW",
        "tw",
        "8212",
        40,
        28_000,
        "TWD",
        36,
        "Công nhân lắp ráp điện tử tại Đào Viên",
        [],
    ),
    (
        "Klinikum Nord GmbH",
        "DE",
        "de-triple-win",
        "2221",
        8,
        2_800,
        "EUR",
        36,
        "Điều dưỡng viên tại Đức (Triple Win)",
        [("cefr_de", "B2")],
    ),
]


def seed(*, vacancies: int = 60, seed_value: int = 2026) -> dict[str, int]:
    """Load the demo once; a second call finds the officer account and leaves the data as it is."""
    if User.objects.filter(username="canbo").exists():
        return {"vacancies": Vacancy.objects.count()}
    rng = random.Random(seed_value)  # noqa: S311  repeatable demo data, not secrets
    officer = User.objects.create_user(
        "canbo",
        password=PASSWORD,
        is_officer=True,
        is_staff=True,
        is_superuser=True,
        first_name="Cán bộ",
        last_name="Sở Nội vụ",
    )
    communes = {commune.name: commune for commune in Commune.objects.all()}
    today = timezone.localdate()

    employers = [
        _organisation(officer, rng, Organisation.Kind.EMPLOYER, name, tax, communes.get(place), index)
        for index, (name, tax, place) in enumerate(EMPLOYERS)
    ]
    agencies = [
        _organisation(
            officer,
            rng,
            Organisation.Kind.AGENCY,
            name,
            tax,
            communes.get(place),
            index,
            licence_number=number,
            licence_issued_on=date(2022, 3, 1),
            licence_expires_on=today + timedelta(days=900),
        )
        for index, (name, tax, place, number) in enumerate(AGENCIES)
    ]

    commune_list = list(communes.values())
    for index in range(vacancies):
        title, code, (low, high), level = DOMESTIC_JOBS[index % len(DOMESTIC_JOBS)]
        employer = employers[index % len(employers)]
        _vacancy(
            officer,
            rng,
            index,
            employer,
            status=_status(index),
            title=title,
            description=f"{title} làm việc tại {employer.name}. Môi trường ổn định, đóng bảo hiểm đầy đủ.",
            occupation=Occupation.objects.get(code=code),
            positions=rng.randint(1, 15),
            is_overseas=False,
            commune=rng.choice(commune_list),
            currency="VND",
            salary_min=Decimal(low),
            salary_max=Decimal(high),
            working_hours="8 giờ/ngày, 6 ngày/tuần",
            contract_type=Vacancy.ContractType.FIXED_TERM,
            training_level=level,
            benefits="Bảo hiểm xã hội, thưởng Tết, ăn trưa",
            deadline=today + timedelta(days=rng.randint(7, 60)),
            contact_name="Phòng nhân sự",
            contact_phone="0233 3852 000",
        )

    for index, (partner, country, programme_code, code, quota, wage, currency, months, title, languages) in enumerate(
        OVERSEAS_ORDERS
    ):
        agency = agencies[index % len(agencies)]
        owner = agency.memberships.get().user
        programme = Programme.objects.get(code=programme_code)
        contract = services.contract_register(
            organisation=agency,
            by=owner,
            foreign_partner=partner,
            country=Country.objects.get(code=country),
            programme=programme,
            occupation=Occupation.objects.get(code=code),
            quota=quota,
            monthly_wage=Decimal(wage),
            currency=currency,
            term_months=months,
            approval_number=f"{100 + index}/QLLĐNN-HĐ",
            approved_on=today - timedelta(days=30 + index),
        )
        wage_vnd = services._vnd(contract.monthly_wage, currency, field="currency")
        cap = wage_vnd * min(months, 36) // 12  # 1 month per 12, at most 3 months
        fee = cap if index != 3 else cap + 5_000_000  # one order above the cap, left as a draft
        _vacancy(
            officer,
            rng,
            index,
            agency,
            status="published" if index != 3 else "draft",
            title=title,
            description=f"Đơn hàng {partner}: {title.lower()}. Hợp đồng {months} tháng.",
            occupation=contract.occupation,
            positions=min(quota, rng.randint(5, 20)),
            is_overseas=True,
            country=contract.country,
            city=partner.split()[0],
            programme=programme,
            contract=contract,
            currency=currency,
            salary_min=Decimal(wage),
            salary_max=Decimal(wage) * Decimal("1.2"),
            working_hours="40 giờ/tuần",
            contract_type=Vacancy.ContractType.OVERSEAS,
            training_level="elementary",
            age_min=max(programme.min_age, MIN_AGE_ABROAD),
            age_max=programme.max_age or 35,
            benefits="Nhà ở do chủ sử dụng bố trí",
            deadline=today + timedelta(days=45),
            contact_name="Phòng tuyển dụng",
            contact_phone="0232 3822 000",
            languages=[{"framework": f, "level": level} for f, level in languages],
            overseas_terms={
                "contract_months": months,
                "service_fee": fee,
                "deposit": 20_000_000,
                "training_fee": 8_000_000,
                "visa_fee": 3_000_000,
                "health_check_fee": 1_500_000,
                "flight_fee": 0,
                "other_fee": 0,
                "brokerage_fee": 0,
                "employer_pays": "Vé máy bay một chiều, bảo hiểm",
                "accommodation": "Ký túc xá",
                "pre_departure_training": "Bồi dưỡng kiến thức cần thiết 74 tiết",
            },
        )
    return {"organisations": len(employers) + len(agencies), "vacancies": Vacancy.objects.count()}


def _organisation(officer, rng, kind, name, tax_code, commune, index, **licence):
    owner = User.objects.create_user(f"{kind}{index + 1}", password=PASSWORD, first_name=name.split()[-1])
    organisation = services.organisation_register(
        by=owner,
        kind=kind,
        name=name,
        tax_code=tax_code,
        commune=commune,
        phone=f"0233 38{rng.randint(10000, 99999)}",
        **licence,
    )
    if index != 0 or kind == Organisation.Kind.AGENCY:  # the first employer waits in the officers' queue
        services.organisation_verify(organisation=organisation, by=officer, approve=True)
    return organisation


def _status(index: int) -> str:
    return {0: "draft", 1: "pending_review", 2: "pending_review"}.get(index % 10, "published")


def _vacancy(officer, rng, index, organisation, *, status, **fields):
    owner = organisation.memberships.get().user
    vacancy = services.vacancy_create(organisation=organisation, by=owner, **fields)
    if status in ("pending_review", "published"):
        vacancy = services.vacancy_submit(vacancy=vacancy, by=owner)
        if status == "published" and organisation.is_verified:
            services.vacancy_approve(vacancy=vacancy, by=officer)
    return vacancy


def seed_api_key() -> str:
    """A working API key for agency1's enterprise, to try the API as its own system would. The text of a
    key is shown once and never kept: each run revokes the previous demo key and prints a new one."""
    from jobs import keys
    from jobs.models import ApiKey

    owner = User.objects.get(username="agency1")
    organisation = Organisation.objects.of_member(owner).first()
    for old in ApiKey.objects.filter(organisation=organisation, name=DEMO_KEY_NAME, revoked_at=None):
        keys.api_key_revoke(key=old, by=owner)
    _key, text = keys.api_key_create(organisation=organisation, by=owner, name=DEMO_KEY_NAME, per_minute=120)
    return text


DEMO_KEY_NAME = "Hệ thống tuyển dụng (demo)"
