"""The fault tests' data, written through the services (run with `manage.py shell` in the stack's
environment): reference data, an officer who signs in, an employer, published vacancies to search and
vacancies awaiting review for the officer to publish while something is broken."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from jobs import services
from jobs.models import Vacancy
from tests.factories import (
    OfficerFactory,
    VerifiedEmployerFactory,
    member_of,
    published_vacancy,
    submitted_vacancy,
)
from tests.faults.stack import OFFICER, OFFICER_TOTP_KEY, PASSWORD

TITLES = ["Thợ hàn kết cấu thép", "Thợ may công nghiệp", "Lái xe tải", "Thợ điện dân dụng", "Nhân viên bán hàng"]


def seed(*, published_count=40, awaiting_count=200):
    services.communes_load()
    services.occupations_load()
    services.reference_load()
    officer = OfficerFactory(username=OFFICER, password=PASSWORD)
    TOTPDevice.objects.create(user=officer, name="faults", key=OFFICER_TOTP_KEY, confirmed=True)
    employer = VerifiedEmployerFactory(tax_code="3200999999", name="Công ty TNHH Cơ khí Đông Hà")
    member_of(employer)
    for number in range(published_count):
        published_vacancy(employer, title=f"{TITLES[number % 5]} số {number}", officer=officer)
    for number in range(awaiting_count):
        submitted_vacancy(employer, title=f"{TITLES[number % 5]} đợt hai số {number}")
    print(Vacancy.objects.count())
