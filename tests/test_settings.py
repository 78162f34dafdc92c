"""Start-up as deployed: a malformed or missing setting stops the process naming the variable, known keys are
refused outside DEBUG, and the production environment the README describes passes `check --deploy`."""

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def fresh_keys() -> dict:
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "FIELD_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "PHONE_CODE_KEY": secrets.token_urlsafe(32),
    }


def clean_environment(**variables) -> dict:
    """This process's environment without any of the portal's own settings nor the developer's .env."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIELD_", "SECURE_", "PHONE_"))}
    return env | {"DJANGO_ENV_FILE": "/dev/null", "DJANGO_SETTINGS_MODULE": "portal.settings"} | variables


def example_environment() -> dict:
    """.env.example as the README says to fill it in: every line as written, the keys generated."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return pairs | fresh_keys()


def start_with(then: str = "", **variables):
    """Start Django in a fresh process with these variables, then run `then` (Python) in it."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {then}"],
        env=clean_environment(**variables),
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_timeout_that_is_not_a_number_stops_the_start():
    result = start_with(**fresh_keys(), DATABASE_CONNECT_TIMEOUT="soon")

    assert result.returncode != 0
    assert "soon" in result.stderr


def test_a_missing_secret_key_stops_the_start():
    keys = fresh_keys()
    del keys["DJANGO_SECRET_KEY"]

    result = start_with(**keys)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_boolean_that_is_not_a_boolean_stops_the_start_naming_it():
    result = start_with(**fresh_keys(), DJANGO_DEBUG="ture")

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false, not 'ture'" in result.stderr


@pytest.mark.parametrize(
    "variable", ["DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "FIELD_BLIND_INDEX_KEY", "PHONE_CODE_KEY"]
)
def test_the_placeholders_of_env_example_are_refused_outside_debug(variable):
    placeholders = dict(
        line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines() if line.startswith(variable)
    )

    result = start_with(**(fresh_keys() | placeholders), DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert f"{variable} is a placeholder or a development key" in result.stderr


@pytest.mark.parametrize(
    ("variable", "former_default"),
    [
        ("DJANGO_SECRET_KEY", "dev-only-not-secret"),
        ("DJANGO_SECRET_KEY", "local-only-not-secret"),
        ("FIELD_ENCRYPTION_KEYS", "ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZDA="),
        ("FIELD_BLIND_INDEX_KEY", "dev-only-blind-index-key"),
    ],
)
def test_the_former_development_keys_are_refused_outside_debug(variable, former_default):
    result = start_with(**(fresh_keys() | {variable: former_default}), DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert f"{variable} is a placeholder or a development key" in result.stderr


def test_an_encryption_key_that_is_not_a_fernet_key_stops_the_start():
    result = start_with(**(fresh_keys() | {"FIELD_ENCRYPTION_KEYS": "not-a-key"}), DJANGO_DEBUG="true")

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must hold Fernet keys" in result.stderr


def test_the_production_environment_of_the_readme_passes_check_deploy():
    """.env.example filled in as the README says: no warning at all from Django's deployment checks."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_environment(**example_environment()),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_dockerfile_collects_static_files_without_any_key_given():
    """The image's build step, run as written (`python` being the virtualenv's), with no key in sight."""
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    step = next(line for line in dockerfile.splitlines() if "collectstatic" in line).removeprefix("RUN ")
    python = Path(sys.executable).parent
    environment = clean_environment() | {"PATH": f"{python}:{os.environ['PATH']}"}

    result = subprocess.run(["sh", "-c", step], cwd=ROOT, env=environment, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr


def test_make_setup_writes_a_development_env_once_with_keys_of_its_own(tmp_path):
    env_file = tmp_path / ".env"

    subprocess.run([sys.executable, ROOT / "scripts" / "dev_env.py", env_file], check=True)
    written = env_file.read_text()
    subprocess.run([sys.executable, ROOT / "scripts" / "dev_env.py", env_file], check=True)

    assert env_file.read_text() == written  # a second run keeps the keys the data is encrypted under
    assert "DJANGO_DEBUG=true" in written
    keys = dict(re.findall(r"^(DJANGO_SECRET_KEY|FIELD_\w+)=(.+)$", written, flags=re.M))
    assert set(keys) == {"DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "FIELD_BLIND_INDEX_KEY"}
    assert len(base64.urlsafe_b64decode(keys["FIELD_ENCRYPTION_KEYS"])) == 32
    # A newcomer's own shell, with nothing exported: the README's commands work.
    command = subprocess.run(
        [sys.executable, "manage.py", "import_records", "--help"],
        cwd=ROOT,
        env=clean_environment(DJANGO_ENV_FILE=str(env_file)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert command.returncode == 0, command.stderr
    assert "usage: manage.py import_records" in command.stdout


def test_behind_a_proxy_the_forwarded_protocol_says_a_request_is_secure():
    check = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER, settings.LANGUAGES[0][0])"
    result = start_with(check, **fresh_keys(), DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto=https")

    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') vi", result.stderr


def test_the_mail_server_is_read_from_email_url():
    names = ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"]
    names += ["EMAIL_USE_TLS", "EMAIL_USE_SSL"]
    shown = f"from django.conf import settings; print(*(getattr(settings, name) for name in {names}))"
    result = start_with(shown, **fresh_keys(), EMAIL_URL="smtp+tls://mailer:s%40cret@smtp.example.vn:587")

    assert result.returncode == 0, result.stderr
    backend = "django.core.mail.backends.smtp.EmailBackend"
    assert result.stdout.split() == [backend, "smtp.example.vn", "587", "mailer", "s@cret", "True", "False"]
