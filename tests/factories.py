"""Factories that read like the domain. Organisations are made directly (their state is the point);
vacancies go through the services, so every rule applies to test data as it does to real data."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from jobs import services
from jobs.models import Commune, Country, LabourSupplyContract, Membership, Occupation, Organisation, Programme


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


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


def member_of(organisation, role=Membership.Role.OWNER):
    user = UserFactory()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


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


def published(organisation, fields, *, officer):
    """A vacancy through the whole workflow: created, submitted, approved."""
    owner = organisation.memberships.first().user
    vacancy = services.vacancy_create(organisation=organisation, by=owner, **fields)
    services.vacancy_submit(vacancy=vacancy, by=owner)
    return services.vacancy_approve(vacancy=vacancy, by=officer)


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
    takes a code once), the next period's, which the device's tolerance of one step accepts."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.time = device.t0 + (device.last_t + 1) * device.step
    return f"{totp.token():06d}"


class VerifiedInstitutionFactory(VerifiedEmployerFactory):
    """A vocational education centre, verified: it trains at the elementary level and in short courses."""

    kind = Organisation.Kind.TRAINING_CENTRE
    name = factory.Sequence(lambda n: f"Trung tâm GDNN Số {n}")


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
