from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of an officer's device (development only: DJANGO_DEBUG=true)."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="canbo")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("Only on a development machine (DJANGO_DEBUG=true): a code is a password.")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no confirmed TOTP device.")
        self.stdout.write(f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}")
