from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.console.totp import DEMO_DEVICE_NAME, base32_secret, current_code, seconds_left


class Command(BaseCommand):
    help = "Print the current sign-in code of a demo staff account (only devices the demo loader created)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", nargs="?", default="admin@gpc.example")
        parser.add_argument("--secret", action="store_true", help="also print the base32 secret for an app")

    def handle(self, *args: Any, **options: Any) -> None:
        device = (TOTPDevice.objects.select_related("user")
                  .filter(user__email__iexact=options["email"], name=DEMO_DEVICE_NAME, confirmed=True).first())
        if device is None:
            raise CommandError(
                f"{options['email']} has no demo TOTP device. Run `manage.py load_demo` first; real devices "
                "(manage.py totp_enrol) never reveal their codes here."
            )
        self.stdout.write(current_code(device))
        self.stderr.write(f"valid for {seconds_left(device)} more seconds; a code works once.")
        if options["secret"]:
            self.stderr.write(f"secret (base32) for an authenticator app: {base32_secret(device)}")
