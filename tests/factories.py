"""Factories that read like the domain, one per state. Organisations are made directly (their state is the
point); workers and vacancies go through the services (or the API), so every rule applies to test data as it does
to real data. Test modules take their data from here, never from one another."""

import csv
from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import User
from accounts.services import worker_create
from candidates import services as candidates
from candidates.models import Placement, WorkerProfile
from desk.models import Target
from jobs import services
from jobs.models import Commune, Country, LabourSupplyContract, Membership, Occupation, Organisation, Programme

PASSWORD = "thohan-2026"  # every worker's, and every user's a browser test signs in with


# --- People and organisations --------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class OfficerFactory(UserFactory):
    is_officer = True


class EmployerFactory(factory.django.DjangoModelFactory):
    """A domestic employer awaiting verification."""

    class Meta:
        model = Organisation

    kind = Organisation.Kind.EMPLOYER
    name = factory.Sequence(lambda n: f"Công ty TNHH Số {n}")
    tax_code = factory.Sequence(lambda n: f"{3200000000 + n}")


class VerifiedEmployerFactory(EmployerFactory):
    verification = Organisation.Verification.VERIFIED


class VerifiedAgencyFactory(VerifiedEmployerFactory):
    """A licensed overseas-labour service enterprise, verified, licence active."""

    kind = Organisation.Kind.AGENCY
    licence_number = factory.Sequence(lambda n: f"{n}/LĐTBXH-GP")
    licence_issued_on = date(2023, 1, 1)
    licence_expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    licence_status = Organisation.LicenceStatus.ACTIVE


class SuspendedAgencyFactory(VerifiedAgencyFactory):
    licence_status = Organisation.LicenceStatus.SUSPENDED


class VerifiedInstitutionFactory(VerifiedEmployerFactory):
    """A vocational education centre, verified: it trains at the elementary level and in short courses."""

    kind = Organisation.Kind.TRAINING_CENTRE
    name = factory.Sequence(lambda n: f"Trung tâm GDNN Số {n}")


def member_of(organisation, role=Membership.Role.OWNER):
    user = UserFactory()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def signed_in(client, user):
    """`user` signed in on a test client; an officer (or staff) with the second factor proven, as the desk and
    the admin require (accounts/second_factor.py)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    if user.is_officer or user.is_staff:
        device = officer_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def officer_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(user=user, name="test")


def totp_now(device) -> str:
    """The code an authenticator app shows now for this device; if that one was used already (django-otp
    takes a code once), the next period's, which the device's tolerance of one step accepts. Periods count
    the device's drift (django-otp learns it from each accepted code), so the next period is found after it."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.time = device.t0 + (device.last_t + 1 - device.drift) * device.step
    return f"{totp.token():06d}"


# --- Workers -------------------------------------------------------------------------------------------------


BORN = date(1998, 5, 17)


ID_NUMBER = "045098001234"  # Quảng Trị (045), a man born in the 1900s (0), in 1998 (98)


def make_worker(
    phone="0912 345 678",
    *,
    full_name="Nguyễn Văn Hùng",
    born=BORN,
    sex="male",
    commune="Đông Hà",
    occupations=("7212",),
    abroad=False,
    countries=None,
    **profile,
) -> WorkerProfile:
    """A worker with an account (number proven, password PASSWORD) and a profile saved through the service:
    a welder from Đông Hà looking for work at home or, with `abroad`, in Japan (or `countries`)."""
    user = worker_create(phone=phone, password=PASSWORD)
    countries = ("JP",) if countries is None and abroad else countries or ()
    return candidates.profile_save(
        user=user,
        full_name=full_name,
        date_of_birth=born,
        sex=sex,
        commune=Commune.objects.get(name=commune),
        education=profile.pop("education", "upper_secondary"),
        wants_abroad=abroad,
        expected_salary_vnd=profile.pop("expected_salary_vnd", 12_000_000),
        desired_occupations=list(Occupation.objects.filter(code__in=occupations)),
        desired_countries=list(Country.objects.filter(code__in=countries)),
        **profile,
    )


def profile_payload(**overrides):
    return {
        "full_name": "Nguyễn Văn Hùng",
        "date_of_birth": BORN.isoformat(),
        "sex": "male",
        "commune": Commune.objects.get(name="Đông Hà").code,
        "education": "upper_secondary",
        "wants_abroad": True,
        "expected_salary_vnd": 12_000_000,
        "desired_occupations": [Occupation.objects.get(code="7212").code],
        "desired_countries": ["JP"],
        "sensitive": {
            "id_number": ID_NUMBER,
            "ethnicity": "Kinh",
            "priority_groups": [{"group": "near_poor", "year": 2025, "evidence": "Giấy chứng nhận hộ cận nghèo"}],
            "health_checks": [
                {
                    "date": "2026-10-01",
                    "facility": "BVĐK Quảng Trị",
                    "result": "Đủ sức khỏe",
                    "valid_until": "2027-04-01",
                }
            ],
        },
        **overrides,
    }


def signed_up(
    api, phone, *, age=None, countries=None, jlpt=None, consent=False, sensitive=False, language="vi", **profile
):
    """A worker's API client: an account, and a profile saved through the API (the encrypted details only with
    `sensitive`); `age` in years on 1 January, `countries` wanted, a `jlpt` level held, `consent` to be found by
    employers."""
    client = api(language=language)
    client.force_login(worker_create(phone=phone, password=PASSWORD))
    if age is not None:
        today = timezone.localdate()
        profile["date_of_birth"] = today.replace(year=today.year - age, month=1, day=1).isoformat()
    if countries is not None:
        profile["desired_countries"] = list(countries)
    payload = profile_payload(**profile) if sensitive else profile_payload(**profile) | {"sensitive": {}}
    saved = client.put("/api/v1/workers/me", payload, format="json")
    assert saved.status_code == 200, saved.json()
    if jlpt:
        held = client.post("/api/v1/workers/me/languages", {"framework": "jlpt", "level": jlpt})
        assert held.status_code == 201, held.json()
    if consent:
        granted = client.post("/api/v1/workers/me/consents", {"purpose": "be_found", "granted": True})
        assert granted.status_code == 200, granted.json()
    return client


def complete_checklist(api, worker, application_id, staff, *, wage=2_096_270, months=36):
    """The departure checklist of an offered application filled in through the API: the worker's part (its
    answer is returned) and the staff's visa."""
    certificate = worker.post(
        "/api/v1/workers/me/certificates",
        {"kind": "orientation", "institution": "Trung tâm Lao động ngoài nước", "issued_on": "2026-11-20"},
    ).json()
    today = timezone.localdate()
    mine = {
        "orientation_certificate": certificate["id"],
        "health_check_on": today.isoformat(),
        "health_check_valid_until": (today + timedelta(days=180)).isoformat(),
        "signed_monthly_wage": wage,
        "signed_term_months": months,
        "confirm": True,
    }
    worker_answer = worker.patch(f"/api/v1/applications/{application_id}/departure", mine, format="json")
    visa = {"visa_number": "M12345678", "visa_valid_until": (today + timedelta(days=90)).isoformat()}
    staff_answer = api(staff).patch(f"/api/v1/applications/{application_id}/departure", visa, format="json")
    assert staff_answer.status_code == 200, staff_answer.json()
    return worker_answer


# --- Vacancies and courses -----------------------------------------------------------------------------------


def contract_for(agency, *, quota=10, wage=Decimal(20_000_000), months=36, occupation="7212", country="JP"):
    """An approved labour supply contract; the wage is in VND to keep the fee arithmetic readable."""
    return LabourSupplyContract.objects.create(
        organisation=agency,
        foreign_partner="Aichi Kogyo Kumiai",
        country=Country.objects.get(code=country),
        programme=Programme.objects.get(code="jp-titp") if country == "JP" else None,
        occupation=Occupation.objects.get(code=occupation),
        quota=quota,
        monthly_wage=wage,
        currency="VND",
        term_months=months,
        approval_number="101/QLLĐNN-HĐ",
        approved_on=date(2026, 10, 1),
    )


COSTS_WITHIN_CAP = {
    "service_fee": 20_000_000,
    "deposit": 20_000_000,
    "training_fee": 8_000_000,
    "visa_fee": 3_000_000,
    "health_check_fee": 1_500_000,
    "flight_fee": 0,
    "other_fee": 0,
    "brokerage_fee": 0,
}


def domestic_fields(**overrides):
    return {
        "title": "Thợ hàn kết cấu thép",
        "description": "Hàn kết cấu thép nhà xưởng tại Đông Hà.",
        "occupation": Occupation.objects.get(code="7212"),
        "positions": 3,
        "is_overseas": False,
        "commune": Commune.objects.get(name="Đông Hà"),
        "currency": "VND",
        "salary_min": Decimal(9_000_000),
        "salary_max": Decimal(14_000_000),
        "contract_type": "fixed_term",
        "deadline": timezone.localdate() + timedelta(days=30),
        "contact_name": "Phòng nhân sự",
        "contact_phone": "0233 3852 000",
        **overrides,
    }


def overseas_fields(contract, *, costs=None, months=36, **overrides):
    return {
        "title": "Thực tập sinh hàn tại Aichi",
        "description": "Hàn bán tự động, hợp đồng 3 năm.",
        "occupation": contract.occupation,
        "positions": 5,
        "is_overseas": True,
        "country": contract.country,
        "city": "Nagoya",
        "programme": contract.programme,
        "contract": contract,
        "currency": "VND",
        "salary_min": contract.monthly_wage,
        "salary_max": contract.monthly_wage,
        "contract_type": "overseas",
        "deadline": timezone.localdate() + timedelta(days=30),
        "contact_name": "Phòng tuyển dụng",
        "contact_phone": "0232 3822 000",
        "overseas_terms": {"contract_months": months, **COSTS_WITHIN_CAP, **(costs or {})},
        **overrides,
    }


def draft_vacancy(organisation, fields=None, *, abroad=False, **overrides):
    """A vacancy as its organisation's owner saved it, through the service. Without `fields`, a welding job at
    home (`domestic_fields`) or, with `abroad`, under a new contract of the agency (`overseas_fields`), with
    `overrides` applied."""
    if fields is None:
        fields = overseas_fields(contract_for(organisation), **overrides) if abroad else domestic_fields(**overrides)
    owner = organisation.memberships.first().user
    return services.vacancy_create(organisation=organisation, by=owner, **fields)


def submitted_vacancy(organisation, fields=None, **overrides):
    """A vacancy sent for the department's review: pending."""
    vacancy = draft_vacancy(organisation, fields, **overrides)
    return services.vacancy_submit(vacancy=vacancy, by=organisation.memberships.first().user)


def published_vacancy(organisation, fields=None, *, officer, **overrides):
    """A vacancy through the whole workflow: created, submitted, approved."""
    vacancy = submitted_vacancy(organisation, fields, **overrides)
    return services.vacancy_approve(vacancy=vacancy, by=officer)


def vacancy_at_home(actors, title, code="7212", **fields):
    """A published vacancy of the verified employer whose text is its title: what a search test looks for."""
    fields = {"description": f"{title}. Làm việc tại Quảng Trị.", **fields}
    occupation = Occupation.objects.get(code=code)
    return published_vacancy(actors.employer_org, title=title, occupation=occupation, **fields, officer=actors.officer)


def japan_welding(actors, *, level="N4"):
    """A licensed agency's welding vacancy in Aichi asking for JLPT `level`, published."""
    languages = [{"framework": "jlpt", "level": level}]
    return published_vacancy(
        actors.agency_org, abroad=True, title="Hàn bán tự động tại Aichi", languages=languages, officer=actors.officer
    )


def as_payload(fields):
    """Model instances to the ids and codes the API takes."""
    payload = {}
    for key, value in fields.items():
        payload[key] = getattr(value, "code", getattr(value, "pk", value))  # reference data by its code
    for key in ("salary_min", "salary_max"):
        payload[key] = str(payload[key])
    payload["deadline"] = payload["deadline"].isoformat()
    return payload


def course_fields(**overrides):
    today = timezone.localdate()
    return {
        "title": "Hàn điện cơ bản (sơ cấp)",
        "description": "Hàn hồ quang tay, 3 tháng, cấp chứng chỉ sơ cấp.",
        "occupation": Occupation.objects.get(code="7212"),
        "level": "elementary",
        "commune": Commune.objects.get(name="Đông Hà"),
        "address": "Số 1 Lê Duẩn",
        "start_date": today + timedelta(days=20),
        "end_date": today + timedelta(days=110),
        "seats": 20,
        "fee_vnd": 3_000_000,
        **overrides,
    }


def published_course(institution, *, officer, **overrides):
    from training import services as training

    owner = institution.memberships.first().user
    course = training.course_create(organisation=institution, by=owner, **course_fields(**overrides))
    training.course_submit(course=course, by=owner)
    return training.course_approve(course=course, by=officer)


# --- The desk: placements, targets, import files -------------------------------------------------------------


def placement(on: str, *, abroad=False, status="confirmed", commune="Đông Hà", groups=(), sex="male", code="7212"):
    """A placement as the officers' confirmation leaves it (the services' own tests cover the path there)."""
    return Placement.objects.create(
        source=Placement.Source.JOB_FAIR,
        placed_on=date.fromisoformat(on),
        is_abroad=abroad,
        country=Country.objects.get(code="JP") if abroad else None,
        occupation=Occupation.objects.get(code=code),
        commune=Commune.objects.get(name=commune),
        sex=sex,
        age_band="25-34",
        priority_groups=list(groups),
        status=status,
    )


def set_targets(year, **values):
    for indicator, value in values.items():
        Target.objects.create(year=year, indicator=indicator, value=value)


WORKER_HEADER = ["full_name", "phone", "id_number", "date_of_birth", "sex", "commune", "education", "occupation"]


def worker_row(index: int, **overrides) -> dict:
    """A man born in 1995 registered at a job fair; his phone and ID number are his own."""
    return {
        "full_name": f"Nguyễn Văn An {index}",
        "phone": f"091{2000000 + index:07d}",
        "id_number": f"045095{index:06d}",
        "date_of_birth": "17/05/1995",
        "sex": "nam",
        "commune": "Đông Hà",
        "education": "upper_secondary",
        "occupation": "7212",
        **overrides,
    }


def as_csv(rows: list[dict], header: list[str], tmp_path, name="rows.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def as_xlsx(rows: list[dict], header: list[str], tmp_path, name="rows.xlsx"):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append([row.get(column, "") for column in header])
    path = tmp_path / name
    workbook.save(path)
    return path
