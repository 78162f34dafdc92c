"""Encryption at rest for the most sensitive personal data (Decree 13/2023, Law 91/2025).

`EncryptedJSONField` stores a JSON value encrypted with Fernet (AES-128-CBC + HMAC) under the keys
in FIELD_ENCRYPTION_KEYS: the first key encrypts, all of them decrypt, so keys rotate by putting a
new one first. `blind_index` is a keyed hash for exact look-ups (the same ID number registered twice)
without storing the number in the clear.
"""

import hashlib
import hmac
import json

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


def blind_index(value: str) -> str:
    # A key of its own, never rotated with the encryption keys: every stored hash depends on it.
    return hmac.new(settings.FIELD_BLIND_INDEX_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedJSONField(models.BinaryField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        token = _fernet().encrypt(json.dumps(value, ensure_ascii=False, default=str).encode())
        return super().get_db_prep_value(token, connection, prepared)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return json.loads(_fernet().decrypt(bytes(value)))

    def to_python(self, value):
        return value
