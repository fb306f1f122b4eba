import pyotp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from momjobs.users.models import TOTPDevice


class Command(BaseCommand):
    help = "Demo mode only: print the current two-factor code of a demo account."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Only available in demo mode (DEMO_MODE=1).")
        device = TOTPDevice.objects.filter(user__email=email.lower()).first()
        if device is None:
            raise CommandError(f"{email} has no authenticator device.")
        self.stdout.write(pyotp.TOTP(device.secret).now())
