"""Keys that must never protect real data: those anyone can read in this repository or its history.

Outside DEBUG, settings refuse them at start, naming the variable. Development keys are not written in
the repository any more: `make setup` generates a `.env` of this machine's own (scripts/dev_env.py).
"""

import base64
import binascii

from django.core.exceptions import ImproperlyConfigured

KNOWN_KEYS = {
    # The placeholders of .env.example
    "change-me-to-50-random-characters",
    "generate-one",
    "a-long-random-string",
    # Development, test and benchmark keys once written in settings.py, portal/test_settings.py, the Makefile
    # and the Dockerfile
    "dev-only-not-secret",
    "local-only-not-secret",
    "build",
    "test-only",
    "ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZDA=",
    "dev-only-blind-index-key",
    "test-only-blind-index-key",
    "dGVzdC1vbmx5LWtleS1kby1ub3QtdXNlLWFueXdoZXI=",
    "bench-only",
    "YmVuY2gtb25seS1rZXktbm90LWZvci1yZWFsLWRhdGE=",
}


def refuse_known_keys(**keys: list[str]) -> None:
    """Stop the start when any of the named variables holds a known key."""
    for name, values in keys.items():
        if any(value.strip() in KNOWN_KEYS for value in values):
            raise ImproperlyConfigured(
                f"{name} is a placeholder or a development key written in the repository; generate a key of "
                "your own for this deployment (see .env.example)"
            )


def check_fernet_keys(keys: list[str]) -> None:
    """Each key of FIELD_ENCRYPTION_KEYS must be a Fernet key (32 bytes, URL-safe base64): said at start,
    not at the first encrypted write."""
    for key in keys:
        try:
            valid = len(base64.urlsafe_b64decode(key.encode())) == 32
        except (binascii.Error, ValueError):
            valid = False
        if not valid:
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 bytes in URL-safe base64), newest first"
            )
