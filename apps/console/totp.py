"""TOTP enrolment for staff. Every staff account needs a confirmed device to pass the console's sign-in."""

from __future__ import annotations

import io
import math
import time
from base64 import b32encode
from typing import Any

from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.services import audit_record
from apps.console.audit_actions import TOTP_ENROLLED

# What the demo loader calls its devices; `manage.py demo_totp` only ever reveals codes of devices so named.
DEMO_DEVICE_NAME = "demo"


@transaction.atomic
def totp_device_enrol(*, actor: Any, user: Any, name: str = "authenticator", key: str | None = None,
                      replace: bool = False) -> TOTPDevice:
    """Give a staff member a confirmed TOTP device; `replace` removes their other devices (lost phone)."""
    if replace:
        TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice(user=user, name=name, confirmed=True)
    if key:
        device.key = key
    device.full_clean(exclude=["user"])
    device.save()
    audit_record(action=TOTP_ENROLLED, actor=actor, target=user, details={"device": name, "replaced": replace})
    return device


def current_code(device: TOTPDevice, at: float | None = None) -> str:
    """The code an authenticator app shows right now for this device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at if at is not None else time.time()
    return str(totp.token()).zfill(device.digits)


def seconds_left(device: TOTPDevice) -> int:
    return math.ceil(device.step - (time.time() - device.t0) % device.step)


def base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()


def qr_ascii(device: TOTPDevice) -> str:
    """The otpauth:// URL as a QR code drawn with characters, for a terminal."""
    try:
        import qrcode
    except ModuleNotFoundError:  # pragma: no cover - qrcode is in requirements.txt
        return ""
    qr = qrcode.QRCode(border=1)
    qr.add_data(device.config_url)
    out = io.StringIO()
    qr.print_ascii(out=out, invert=True)
    return out.getvalue()
