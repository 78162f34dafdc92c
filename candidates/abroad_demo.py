"""Demo of work abroad for `manage.py seed_demo` (candidates/abroad.py): the public employment service centre
with its EPS and Triple Win intakes and vacancies; a worker who completed the departure checklist and departed;
one whose signed contract pays less (a contract-substitution case); a returnee whose matches value the work
abroad; and a year of returns for the dashboard. Written through the services, so every rule holds."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from candidates import abroad, services
from candidates.models import Application, Certificate, Placement, WorkerProfile
from jobs import services as jobs
from jobs.demo import PASSWORD
from jobs.models import Commune, Country, Occupation, Organisation, Programme, Vacancy

CENTRE = "Trung tâm Dịch vụ việc làm tỉnh Quảng Trị"


def seed() -> dict[str, int]:
    if Organisation.objects.filter(kind=Organisation.Kind.PUBLIC_CENTRE).exists():
        return {"state programme vacancies": Vacancy.objects.filter(organisation__kind="public_centre").count()}
    officer = User.objects.get(username="canbo")
    today = timezone.localdate()
    centre = jobs.organisation_register(
        by=officer,
        kind=Organisation.Kind.PUBLIC_CENTRE,
        name=CENTRE,
        tax_code="3200123999",
        commune=Commune.objects.get(name="Đông Hà"),
        phone="0233 3852 468",
    )
    jobs.organisation_verify(organisation=centre, by=officer, approve=True)
    staff = User.objects.create_user("trungtam", password=PASSWORD, first_name="Trung tâm DVVL")
    jobs.member_add(organisation=centre, by=officer, user=staff)
    eps = _vacancy(centre, staff, officer, "kr-eps", "KR", "8219", 40, Decimal(2_096_270), "KRW", 36, today)
    _vacancy(centre, staff, officer, "de-triple-win", "DE", "3221", 10, Decimal(2_800), "EUR", 24, today)

    workers = [w for w in WorkerProfile.objects.order_by("pk") if 20 <= w.age <= 39][:3]
    if len(workers) == 3:
        departed, substituted, returnee = workers
        _through_checklist(departed, eps, staff, wage=eps.salary_min)
        _through_checklist(substituted, eps, staff, wage=Decimal(1_600_000))  # less than advertised: a case
        _returned(returnee, eps, staff, officer, today)
    return {
        "state programme vacancies": Vacancy.objects.filter(organisation=centre).count(),
        "returns": _returns_of_the_year(today),
    }


def _vacancy(centre, staff, officer, programme, country, occupation, places, wage, currency, months, today):
    programme = Programme.objects.get(code=programme)
    intake = jobs.contract_register(
        organisation=centre,
        by=staff,
        foreign_partner={"KR": "HRD Korea", "DE": "Bundesagentur für Arbeit (ZAV) / GIZ"}[country],
        country=Country.objects.get(code=country),
        programme=programme,
        occupation=Occupation.objects.get(code=occupation),
        quota=places,
        monthly_wage=wage,
        currency=currency,
        term_months=months,
        approval_number=f"{programme.code.upper()}-{today.year}/QT-01",
        approved_on=today - timedelta(days=30),
    )
    vacancy = jobs.vacancy_create(
        organisation=centre,
        by=staff,
        title=f"{Occupation.objects.get(code=occupation).name_vi} — {programme.name_vi}",
        description=f"Tuyển theo {programme.name_vi}, do Nhà nước thực hiện: {programme.language_requirement}.",
        occupation=intake.occupation,
        positions=places // 2,
        is_overseas=True,
        country=intake.country,
        programme=programme,
        contract=intake,
        currency=currency,
        salary_min=wage,
        salary_max=wage,
        contract_type=Vacancy.ContractType.OVERSEAS,
        age_min=programme.min_age,
        age_max=programme.max_age,
        deadline=today + timedelta(days=45),
        contact_name="Phòng tư vấn xuất khẩu lao động",
        contact_phone="0233 3852 468",
        overseas_terms={
            "contract_months": months,
            **dict.fromkeys(("service_fee", "deposit", "flight_fee", "other_fee", "brokerage_fee"), 0),
            "training_fee": sum(cost["vnd"] for cost in programme.worker_costs if cost["vnd"]),
            "visa_fee": 0,
            "health_check_fee": 0,
        },
    )
    jobs.vacancy_submit(vacancy=vacancy, by=staff)
    return jobs.vacancy_approve(vacancy=vacancy, by=officer)


def _through_checklist(worker, vacancy, staff, *, wage) -> Application:
    """Applied, offered, and the checklist filled in; departed when it is complete."""
    application = Application.objects.filter(worker=worker, vacancy=vacancy).first() or services.apply(
        worker=worker, vacancy=vacancy
    )
    for status in ["shortlisted", "interviewed", "offered"]:
        application = services.application_move(application=application, by=staff, status=status)
    today = timezone.localdate()
    certificate = services.certificate_add(
        worker=worker,
        kind=Certificate.Kind.ORIENTATION,
        institution="Trung tâm Dịch vụ việc làm tỉnh Quảng Trị",
        issued_on=today - timedelta(days=10),
    )
    abroad.checklist_update(
        application=application,
        by=worker.user,
        orientation_certificate=certificate,
        health_check_on=today - timedelta(days=20),
        health_check_valid_until=today + timedelta(days=160),
        signed_monthly_wage=wage,
        signed_term_months=36,
        confirm=True,
    )
    abroad.checklist_update(
        application=application, by=staff, visa_number="E9-2026-0001", visa_valid_until=today + timedelta(days=80)
    )
    if not abroad.departure_refusal(application):
        application = services.application_move(application=application, by=staff, status="departed")
    return application


def _returned(worker, vacancy, staff, officer, today) -> None:
    """Departed three years ago, back last month with EPS-TOPIK 180: matching now values it."""
    application = _through_checklist(worker, vacancy, staff, wage=vacancy.salary_min)
    placement = application.placement
    Placement.objects.filter(pk=placement.pk).update(placed_on=today - timedelta(days=3 * 365 + 40))
    services.placement_confirm(placement=placement, by=officer)
    placement.refresh_from_db()
    abroad.return_record(
        placement=placement, by=staff, returned_on=today - timedelta(days=30), framework="eps_topik", level="180"
    )
    employer = Organisation.objects.verified().filter(kind=Organisation.Kind.EMPLOYER).first()
    owner = employer.memberships.first().user
    home = jobs.vacancy_create(
        organisation=employer,
        by=owner,
        title="Tổ trưởng dây chuyền lắp ráp (ưu tiên người từng làm việc tại Hàn Quốc)",
        description="Điều hành tổ 12 người lắp ráp linh kiện; ưu tiên người lao động về nước có kinh nghiệm nhà máy.",
        occupation=Occupation.objects.get(code="8219"),
        positions=2,
        is_overseas=False,
        commune=Commune.objects.get(name="Đông Hà"),
        currency="VND",
        salary_min=Decimal(11_000_000),
        salary_max=Decimal(15_000_000),
        contract_type=Vacancy.ContractType.PERMANENT,
        values_overseas_experience=True,
        deadline=today + timedelta(days=40),
        contact_name="Phòng nhân sự",
        contact_phone="0233 3851 222",
    )
    jobs.vacancy_submit(vacancy=home, by=owner)
    jobs.vacancy_approve(vacancy=home, by=officer)


def _returns_of_the_year(today: date) -> int:
    """Workers sent in the earlier years, back this year (the agencies' monthly lists): anonymous records,
    as the dashboard counts them."""
    communes = list(Commune.objects.order_by("code")[:30])
    korea, japan = Country.objects.get(code="KR"), Country.objects.get(code="JP")
    occupation = Occupation.objects.get(code="8219")
    days = max((today - date(today.year, 1, 1)).days, 1)
    rows = [
        Placement(
            source=Placement.Source.DIRECT,
            placed_on=date(today.year - 3, 1 + index % 12, 1 + index % 28),
            returned_on=date(today.year, 1, 1) + timedelta(days=index * 7 % days),
            return_recorded_by="import",
            is_abroad=True,
            country=korea if index % 3 else japan,
            occupation=occupation,
            commune=communes[index % len(communes)],
            sex="male" if index % 4 else "female",
            age_band="25-34",
            status=Placement.Status.CONFIRMED,
        )
        for index in range(60)
    ]
    return len(Placement.objects.bulk_create(rows))
