"""Getting in: sign-up, password reset, a job fair's account claimed and a new number, each proven by a
code read from the local SMS server; sign-in limits; CSRF on the anonymous API."""

import io
import re
from base64 import b32encode
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import PhoneCode, User
from accounts.services import worker_create
from jobs.models import Organisation
from tests.conftest import code_sent_to, send_now, sent_to_providers
from tests.factories import PASSWORD, OfficerFactory, officer_device, signed_in, totp_now

WRONG_CODE = "Mã không đúng hoặc đã hết hạn. Hãy xem lại tin nhắn, hoặc xin mã mới."


def from_address(address: str) -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="vi", REMOTE_ADDR=address)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_worker_signs_up_only_with_the_code_sent_to_the_number(db, providers):
    client = from_address("10.0.0.1")

    started = client.post("/api/v1/auth/signup", {"phone": "0912 345 678", "password": PASSWORD})
    code = code_sent_to(providers, "0912 345 678")
    assert not User.objects.filter(phone="+84912345678").exists()  # nothing before the proof
    wrong = client.post("/api/v1/auth/signup/confirm", {"phone": "0912 345 678", "code": other_code(code)})
    right = client.post("/api/v1/auth/signup/confirm", {"phone": "0912345678", "code": code})

    assert started.status_code == 202
    assert wrong.status_code == 400 and wrong.json() == {"code": [WRONG_CODE]}
    assert right.status_code == 201 and right.json()["phone"] == "+84912345678"
    assert client.get("/api/v1/workers/me").status_code == 404  # signed in, no profile yet
    again = client.post("/api/v1/auth/signup/confirm", {"phone": "0912 345 678", "code": code})
    assert again.status_code == 400  # a code works once
    # Only a keyed hash is kept: the code is in no column.
    row = PhoneCode.objects.get(phone="+84912345678")
    assert code not in str([row.digest, row.payload]) and len(row.digest) == 64


def test_sign_up_and_reset_answer_the_same_for_known_and_unknown_numbers(db, providers):
    worker_create(phone="0912 000 001", password=PASSWORD)

    answers = {}
    for phone in ("0912 000 001", "0912 000 002"):  # registered, and not
        client = from_address("10.0.0.2")
        signup = client.post("/api/v1/auth/signup", {"phone": phone, "password": PASSWORD})
        signup_again = client.post("/api/v1/auth/signup", {"phone": phone, "password": PASSWORD})
        reset = client.post("/api/v1/auth/password-reset", {"phone": phone})
        wrong = client.post(
            "/api/v1/auth/password-reset/confirm", {"phone": phone, "code": "000000", "password": PASSWORD}
        )
        answers[phone] = [(r.status_code, r.json()) for r in (signup, signup_again, reset, wrong)]

    assert answers["0912 000 001"] == answers["0912 000 002"]
    assert [status for status, _body in answers["0912 000 002"]] == [202, 400, 202, 400]
    send_now()
    sent = [(sms["to"], re.sub(r"\d{6}", "<code>", sms["text"])[:30]) for sms in sent_to_providers(providers)]
    # The registered number's owner is warned (no code), then gets the reset code; the unknown number gets
    # its sign-up code, and no reset code (there is no account to reset).
    assert sorted(sent) == [  # sent side by side: in any order
        ("0912000001", "Co nguoi vua dang ky bang so c"),
        ("0912000001", "Ma xac minh Cong viec lam Quan"),
        ("0912000002", "Ma xac minh Cong viec lam Quan"),
    ]


def test_a_forgotten_password_is_reset_with_a_code(db, providers):
    worker_create(phone="0912 000 003", password=PASSWORD)
    client = from_address("10.0.0.3")

    assert client.post("/api/v1/auth/password-reset", {"phone": "0912 000 003"}).status_code == 202
    code = code_sent_to(providers, "0912 000 003")
    weak = client.post(
        "/api/v1/auth/password-reset/confirm", {"phone": "0912 000 003", "code": code, "password": "123"}
    )
    done = client.post(
        "/api/v1/auth/password-reset/confirm", {"phone": "0912 000 003", "code": code, "password": "moi-2026-abc"}
    )

    assert weak.status_code == 400 and "password" in weak.json()  # the code is not spent on a weak password
    assert done.status_code == 200
    assert (
        from_address("10.0.0.4")
        .post("/api/v1/auth/login", {"phone": "0912000003", "password": "moi-2026-abc"})
        .status_code
        == 200
    )
    assert (
        from_address("10.0.0.4").post("/api/v1/auth/login", {"phone": "0912000003", "password": PASSWORD}).status_code
        == 400
    )


def test_a_code_allows_five_tries_and_five_minutes(db, providers):
    client = from_address("10.0.0.5")
    assert client.post("/api/v1/auth/signup", {"phone": "0912 000 004", "password": PASSWORD}).status_code == 202
    code = code_sent_to(providers, "0912 000 004")
    for _try in range(5):
        wrong = client.post("/api/v1/auth/signup/confirm", {"phone": "0912 000 004", "code": other_code(code)})
        assert wrong.status_code == 400

    sixth = client.post("/api/v1/auth/signup/confirm", {"phone": "0912 000 004", "code": code})

    assert sixth.status_code == 400 and sixth.json() == {"code": [WRONG_CODE]}

    assert client.post("/api/v1/auth/signup", {"phone": "0912 000 005", "password": PASSWORD}).status_code == 202
    code = code_sent_to(providers, "0912 000 005")
    PhoneCode.objects.filter(phone="+84912000005").update(
        created_at=PhoneCode.objects.get(phone="+84912000005").created_at - timedelta(minutes=5, seconds=1)
    )
    expired = client.post("/api/v1/auth/signup/confirm", {"phone": "0912 000 005", "code": code})
    assert expired.status_code == 400 and expired.json() == {"code": [WRONG_CODE]}


def test_codes_are_limited_per_number_and_per_address(db, providers, settings):
    settings.PHONE_CODE_NUMBER_RATE, settings.PHONE_CODE_ADDRESS_RATE = "2/h", "3/h"
    client = from_address("10.0.0.6")

    first = client.post("/api/v1/auth/password-reset", {"phone": "0912 000 006"})
    too_soon = client.post("/api/v1/auth/password-reset", {"phone": "0912 000 006"})
    PhoneCode.objects.update(created_at=PhoneCode.objects.first().created_at - timedelta(seconds=61))
    second = client.post("/api/v1/auth/password-reset", {"phone": "0912 000 006"})
    PhoneCode.objects.update(created_at=PhoneCode.objects.first().created_at - timedelta(seconds=61))
    third = from_address("10.0.0.7").post("/api/v1/auth/password-reset", {"phone": "0912 000 006"})
    other_numbers = [client.post("/api/v1/auth/password-reset", {"phone": f"0912 000 01{i}"}) for i in range(2)]

    assert (first.status_code, second.status_code) == (202, 202)
    assert too_soon.status_code == 400 and "phone" in too_soon.json()
    assert third.status_code == 429  # the number's 2 an hour, whatever the address
    assert [r.status_code for r in other_numbers] == [202, 429]  # the address's 3 an hour
    assert "Retry-After" in third


def test_a_malformed_number_is_a_400_with_a_vietnamese_message(db):
    for path in ("/api/v1/auth/signup", "/api/v1/auth/password-reset"):
        response = from_address("10.0.0.8").post(path, {"phone": "0123", "password": PASSWORD})
        assert response.status_code == 400
        assert response.json() == {"phone": ["Hãy nhập số điện thoại di động Việt Nam, ví dụ 0912 345 678."]}


def test_a_new_number_is_proven_before_it_replaces_the_old(db, providers):
    user = worker_create(phone="0912 000 020", password=PASSWORD)
    client = from_address("10.0.0.9")
    client.force_login(user)

    assert client.post("/api/v1/me/phone", {"phone": "0988 000 021"}).status_code == 202
    code = code_sent_to(providers, "0988 000 021")
    wrong = client.post("/api/v1/me/phone/confirm", {"phone": "0988 000 021", "code": other_code(code)})
    user.refresh_from_db()
    assert wrong.status_code == 400 and user.phone == "+84912000020"
    done = client.post("/api/v1/me/phone/confirm", {"phone": "0988 000 021", "code": code})

    user.refresh_from_db()
    assert done.status_code == 200 and (user.phone, user.username) == ("+84988000021", "+84988000021")
    assert (
        from_address("10.0.0.9").post("/api/v1/auth/login", {"phone": "0988000021", "password": PASSWORD}).status_code
        == 200
    )


# --- Sign-in limits ------------------------------------------------------------------------------


def test_fifty_wrong_passwords_are_refused_and_the_owner_still_signs_in_from_elsewhere(db):
    worker_create(phone="0912 000 030", password=PASSWORD)
    attacker = from_address("203.0.113.9")

    answers = [
        attacker.post("/api/v1/auth/login", {"phone": "0912000030", "password": f"guess-{i}"}) for i in range(50)
    ]
    right_but_locked = attacker.post("/api/v1/auth/login", {"phone": "0912000030", "password": PASSWORD})
    owner = from_address("10.1.1.1").post("/api/v1/auth/login", {"phone": "0912 000 030", "password": PASSWORD})

    statuses = [a.status_code for a in answers]
    assert statuses[:5] == [400] * 5 and set(statuses[5:]) == {429}
    assert right_but_locked.status_code == 429  # the right password from the attacker's address: still locked
    assert owner.status_code == 200


def test_an_attack_from_many_addresses_slows_down_but_the_owners_own_address_still_gets_in(db, settings):
    settings.SIGNIN_ACCOUNT_RATE = "10/h"
    worker_create(phone="0912 000 031", password=PASSWORD)
    assert (
        from_address("10.2.2.2").post("/api/v1/auth/login", {"phone": "0912000031", "password": PASSWORD}).status_code
        == 200
    )

    for address in range(5):  # 2 wrong passwords from each of 5 addresses: the account's 10 an hour
        for _ in range(2):
            from_address(f"198.51.100.{address}").post("/api/v1/auth/login", {"phone": "0912000031", "password": "x"})
    stranger = from_address("198.51.100.200").post("/api/v1/auth/login", {"phone": "0912000031", "password": PASSWORD})
    owner = from_address("10.2.2.2").post("/api/v1/auth/login", {"phone": "0912000031", "password": PASSWORD})

    assert stranger.status_code == 429
    assert owner.status_code == 200


def test_the_sign_in_page_and_the_admin_count_failures_too(db):
    worker_create(phone="0912 000 032", password=PASSWORD)
    OfficerFactory(username="canbo2", is_staff=True)
    page, admin = Client(REMOTE_ADDR="203.0.113.10"), Client(REMOTE_ADDR="203.0.113.11")

    pages = [page.post("/signin/", {"phone": "0912000032", "password": "x"}).status_code for _ in range(6)]
    admins = [admin.post("/admin/login/", {"username": "canbo2", "password": "x"}).status_code for _ in range(6)]
    locked = admin.post("/admin/login/", {"username": "canbo2", "password": "x"})

    assert pages == [400] * 5 + [429]
    assert admins[:5] == [200] * 5 and admins[5] == 429
    assert "Quá nhiều lần" in locked.content.decode()


# --- CSRF on the anonymous API ----------------------------------------------------------------------


def test_a_cross_site_sign_in_or_sign_up_post_is_refused(db):
    worker_create(phone="0912 000 040", password=PASSWORD)
    browser = APIClient(enforce_csrf_checks=True)

    cross_site = browser.post(
        "/api/v1/auth/login", {"phone": "0912000040", "password": PASSWORD}, HTTP_ORIGIN="https://evil.example"
    )
    no_token = browser.post("/api/v1/auth/signup", {"phone": "0912000041", "password": PASSWORD})
    token = browser.get("/api/v1/auth/csrf").json()["csrf_token"]
    same_site = browser.post(
        "/api/v1/auth/login",
        {"phone": "0912000040", "password": PASSWORD},
        HTTP_X_CSRFTOKEN=token,
        HTTP_ORIGIN="http://testserver",
    )

    assert cross_site.status_code == 403
    assert no_token.status_code == 403
    assert same_site.status_code == 200


# --- Officers' second factor ----------------------------------------------------------------------


def test_an_officer_enrols_a_second_factor_before_the_desk_opens(db, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp refuses even a right code for 1 s after a wrong one
    officer = OfficerFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(officer)  # the password alone

    desk = client.get("/desk/queues/")
    enrol = client.get(desk["Location"])
    device = TOTPDevice.objects.get(user=officer)
    wrong = client.post(
        "/officer/second-factor/?next=/desk/queues/", {"token": f"{(int(totp_now(device)) + 1) % 10**6:06d}"}
    )
    confirmed_after_wrong = TOTPDevice.objects.get(pk=device.pk).confirmed
    right = client.post("/officer/second-factor/", {"token": totp_now(device), "next": "/desk/queues/"})

    assert desk.status_code == 302 and desk["Location"] == "/officer/second-factor/?next=%2Fdesk%2Fqueues%2F"
    assert enrol.status_code == 200 and b32encode(device.bin_key).decode()[:4] in enrol.content.decode()
    assert wrong.status_code == 400 and not confirmed_after_wrong
    assert right["Location"] == "/desk/queues/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/desk/queues/").status_code == 200


def test_the_admin_asks_for_the_totp_code_after_the_password(db):
    officer = OfficerFactory(username="canbo3", is_staff=True, is_superuser=True)
    officer.set_password(PASSWORD)
    officer.save()
    device = officer_device(officer)
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")

    password_only = client.post("/admin/login/", {"username": "canbo3", "password": PASSWORD})
    assert client.get("/admin/").status_code == 302  # not in with the password alone
    both = client.post(
        "/admin/login/?next=/admin/",
        {"username": "canbo3", "password": PASSWORD, "otp_device": device.persistent_id, "otp_token": totp_now(device)},
    )

    assert password_only.status_code == 200
    assert both.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("drift", [-1, 0, 1])
def test_an_officer_signs_in_again_and_again_within_one_period(db, drift):
    """django-otp takes each code once and learns the clock's drift of the officer's phone; a second sign-in in
    the same 30 s is accepted with the next period's code (tolerance one step), whatever drift was learnt."""
    officer = OfficerFactory()
    device = officer_device(officer)
    device.drift, device.last_t = drift, -1
    device.save()
    results = []
    for _ in range(2):
        client = Client(HTTP_ACCEPT_LANGUAGE="vi")
        client.force_login(officer)
        answer = client.post("/officer/second-factor/", {"token": totp_now(device), "next": "/desk/queues/"})
        results.append(answer.status_code)

    assert results == [302, 302]


def test_officers_api_needs_the_second_factor_too(actors):
    """The password alone opens no officer-only endpoint of the API (an IsOfficer view, a service's own check):
    a 403 that says where to type the code; with the TOTP code proven, both answer. A worker's session is as
    before, and the officer may still sign out."""
    suspended = actors.unlicensed_org
    password_only = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    password_only.force_login(actors.officer)
    with_code = signed_in(APIClient(HTTP_ACCEPT_LANGUAGE="vi"), actors.officer)
    worker = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    worker.force_login(actors.worker)

    placements = password_only.get("/api/v1/placements")
    licence = password_only.post(f"/api/v1/organisations/{suspended.pk}/licence", {"status": "active"}, format="json")
    still_suspended = Organisation.objects.get(pk=suspended.pk).licence_status

    assert placements.status_code == 403 and licence.status_code == 403
    assert "/officer/second-factor/" in placements.json()["detail"]
    assert placements.json()["detail"].startswith("Cán bộ")  # in Vietnamese
    assert still_suspended == "suspended"
    assert with_code.get("/api/v1/placements").status_code == 200
    granted = with_code.post(f"/api/v1/organisations/{suspended.pk}/licence", {"status": "active"}, format="json")
    assert granted.status_code == 200 and Organisation.objects.get(pk=suspended.pk).licence_status == "active"
    assert worker.get("/api/v1/me/notifications").status_code == 200
    assert password_only.post("/api/v1/auth/logout").status_code == 204


def test_the_demo_officer_has_the_device_readme_gives(db, settings):
    settings.DEBUG = True  # totp_code refuses to print a code elsewhere
    from accounts.demo import DEMO_TOTP_KEY, seed

    officer = OfficerFactory(username="canbo")
    assert seed() == DEMO_TOTP_KEY
    device = TOTPDevice.objects.get(user=officer)
    assert b32encode(device.bin_key).decode() == DEMO_TOTP_KEY
    call_command("totp_code", "canbo", stdout=(out := io.StringIO()))
    assert out.getvalue().strip() == totp_now(device)
