"""The test suite's settings: the real services, kept apart from the developer's data.

Tests use their own Redis databases (so a running `make run` worker never takes their tasks)
and a per-run index prefix on the shared Elasticsearch node (tests/conftest.py deletes it).
"""

import base64
import os
import secrets
import uuid

# Keys of this run's own (the test database is created for the run): none is written in the repository.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("FIELD_BLIND_INDEX_KEY", secrets.token_urlsafe(32))
os.environ.setdefault("PHONE_CODE_KEY", secrets.token_urlsafe(32))
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())

from portal.settings import *  # noqa: F403

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
CELERY_BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
SEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never in production
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the app folders: no collectstatic before a test run
# Tests run at any hour: quiet hours would hold their messages back. The quiet-hours test turns them on,
# with a clock it sets.
NOTIFY_QUIET_HOURS = None
