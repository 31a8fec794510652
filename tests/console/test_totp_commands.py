"""Enrolling staff for two-factor sign-in, and the demo's known codes."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.console.totp import DEMO_DEVICE_NAME, current_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_enrolling_a_staff_member_prints_the_secret_and_a_scannable_code(moderator):
    TOTPDevice.objects.filter(user=moderator).delete()
    out, _err = _run("totp_enrol", moderator.email, "--name", "phone")
    device = TOTPDevice.objects.get(user=moderator, name="phone")
    assert device.confirmed
    assert "otpauth://totp/" in out
    assert "secret (base32): " in out
    assert "█" in out or "▀" in out or "▄" in out  # the QR code, drawn for a terminal


def test_replacing_removes_the_lost_device(moderator):
    _run("totp_enrol", moderator.email, "--replace", "--no-qr")
    assert TOTPDevice.objects.filter(user=moderator).count() == 1


def test_company_users_are_never_enrolled(world):
    with pytest.raises(CommandError):
        _run("totp_enrol", world.owner.email)
    assert not TOTPDevice.objects.filter(user=world.owner).exists()


def test_the_current_code_is_what_an_authenticator_app_shows(moderator):
    device = TOTPDevice.objects.get(user=moderator)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = 1_800_000_000
    assert current_code(device, at=1_800_000_000) == str(totp.token()).zfill(6)
    assert device.verify_token(current_code(device))


def test_demo_totp_prints_the_code_of_a_demo_device_only(moderator):
    staff = UserFactory(email="admin@gpc.example", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=staff, name=DEMO_DEVICE_NAME, confirmed=True)
    out, err = _run("demo_totp", "admin@gpc.example")
    assert out.strip().isdigit() and len(out.strip()) == 6
    assert "seconds" in err
    with pytest.raises(CommandError):
        _run("demo_totp", moderator.email)  # a real device never reveals its codes


def test_the_demo_gives_every_demo_staff_member_a_device_and_a_role():
    from django.core.management import call_command as run

    run("load_demo", stdout=io.StringIO())
    run("load_demo", stdout=io.StringIO())  # idempotent
    devices = TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME).select_related("user")
    assert sorted(d.user.email for d in devices) == [
        "admin@gpc.example", "compliance@gpc.example", "moderator@gpc.example"]
    out, _err = _run("demo_totp", "admin@gpc.example")
    assert out.strip().isdigit()
