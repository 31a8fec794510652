from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.models import User
from apps.console.totp import base32_secret, qr_ascii, totp_device_enrol


class Command(BaseCommand):
    help = "Enrol a TOTP device for a staff member and print its secret and QR code (scan it once, then forget it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="authenticator", help="device name shown in the admin")
        parser.add_argument("--replace", action="store_true", help="remove the person's other devices first")
        parser.add_argument("--no-qr", action="store_true", help="print only the secret and the otpauth URL")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No user with e-mail {options['email']}.")
        if not user.is_staff:
            raise CommandError(f"{user.email} is not staff; only staff sign in to the console.")
        device = totp_device_enrol(actor=None, user=user, name=options["name"], replace=options["replace"])
        self.stdout.write(f"TOTP device '{device.name}' enrolled for {user.email}.")
        self.stdout.write(f"secret (base32): {base32_secret(device)}")
        self.stdout.write(f"otpauth URL:     {device.config_url}")
        if not options["no_qr"]:
            self.stdout.write(qr_ascii(device))
