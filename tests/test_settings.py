"""A malformed or missing setting stops the process at start, naming the variable."""

import os
import subprocess
import sys


def start_with(**variables):
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", **variables)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )


def test_a_timeout_that_is_not_a_number_stops_the_start():
    result = start_with(DJANGO_SECRET_KEY="x", DATABASE_CONNECT_TIMEOUT="soon")

    assert result.returncode != 0
    assert "soon" in result.stderr


def test_a_missing_secret_key_outside_debug_stops_the_start():
    result = start_with()

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
