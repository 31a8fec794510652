"""The admin's session ends: after SESSION_COOKIE_AGE the next request is sent back to sign in."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture
def admin_client(world):
    staff = world.staff
    staff.is_superuser = True
    staff.save()
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client = Client()
    client.force_login(staff)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # past the two-factor step, as after a real sign-in
    session.save()
    return client


def test_admin_sessions_are_short_and_end_with_the_browser():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


@pytest.mark.django_db
def test_a_fresh_admin_session_opens_the_admin(admin_client):
    assert admin_client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_an_expired_admin_session_is_sent_back_to_sign_in(admin_client):
    Session.objects.filter(session_key=admin_client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    response = admin_client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_signing_out_of_the_admin_ends_the_session(admin_client):
    key = admin_client.session.session_key
    admin_client.post("/admin/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert admin_client.get("/admin/").status_code == 302
