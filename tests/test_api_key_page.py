"""The owners' page for API keys: list, make (shown once), revoke; in Vietnamese, without JavaScript."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import member_of

KEY = re.compile(r'<code id="new-key">(qt_[0-9a-f]{8}_[\w-]+)</code>')


def keys_page(actors) -> tuple[Client, str]:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(actors.employer)
    return client, f"/org/{actors.employer_org.pk}/keys/"


@pytest.mark.django_db
def test_an_owner_makes_a_key_shown_once_then_sees_it_listed_by_prefix(actors):
    client, page = keys_page(actors)
    assert "Khóa API" in client.get("/org/").content.decode()  # the owner finds the page from their organisations
    made = client.post(page, {"name": "Phần mềm nhân sự", "per_minute": "30"})
    assert made.status_code == 200
    key = KEY.search(made.content.decode()).group(1)
    assert "chỉ hiện một lần" in made.content.decode()

    listed = client.get(page).content.decode()
    prefix = key.split("_")[1]
    assert f"qt_{prefix}_…" in listed and "Phần mềm nhân sự" in listed and ">30<" in listed
    assert key not in listed and "chưa dùng" in listed  # never shown again; not used yet

    APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}").get("/api/v1/applications")
    assert "chưa dùng" not in client.get(page).content.decode()  # its last use is shown


@pytest.mark.django_db
def test_a_revoked_key_is_refused_by_the_api(actors):
    client, page = keys_page(actors)
    key = KEY.search(client.post(page, {"name": "ERP", "per_minute": "120"}).content.decode()).group(1)
    system = APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert system.get("/api/v1/applications").status_code == 200

    key_id = actors.employer_org.api_keys.get().pk
    revoked = client.post(f"{page}{key_id}/revoke", follow=True)
    assert "Đã thu hồi khóa" in revoked.content.decode()
    assert system.get("/api/v1/applications").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{"name": "", "per_minute": "120"}, {"name": "ERP", "per_minute": "0"}])
def test_a_bad_key_form_is_a_400_with_the_message_by_the_field_and_no_key(actors, body):
    client, page = keys_page(actors)
    answer = client.post(page, body)
    assert answer.status_code == 400 and 'class="error"' in answer.content.decode()
    assert not actors.employer_org.api_keys.exists()


@pytest.mark.django_db
def test_only_the_owner_reaches_the_page(actors):
    recruiter = Client()
    recruiter.force_login(member_of(actors.employer_org, role="recruiter"))
    assert recruiter.get(f"/org/{actors.employer_org.pk}/keys/").status_code == 403
    outsider = Client()
    outsider.force_login(actors.agency)
    assert outsider.get(f"/org/{actors.employer_org.pk}/keys/").status_code == 404
    assert outsider.post(f"/org/{actors.employer_org.pk}/keys/", {"name": "x", "per_minute": "1"}).status_code == 404
    assert Client().get(f"/org/{actors.employer_org.pk}/keys/").status_code == 302  # to sign in
    assert not actors.employer_org.api_keys.exists()
