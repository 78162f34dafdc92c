"""The demo officer's second factor: a TOTP device with a key printed by `seed_demo` and written in README,
for the demo only (a real officer enrols at /officer/second-factor/ with a key of their own)."""

from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice

DEMO_TOTP_KEY = "QTPORTALDEMOCANBOXXVIQTPORTALDEM"  # base32, as an authenticator app takes it


def seed() -> str:
    from accounts.models import User

    officer = User.objects.get(username="canbo")
    if not TOTPDevice.objects.filter(user=officer).exists():
        key = b32decode(DEMO_TOTP_KEY).hex()
        TOTPDevice.objects.create(user=officer, name="demo", key=key, confirmed=True)
    return DEMO_TOTP_KEY
