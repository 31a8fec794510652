"""Staff get an API token only with their second factor, the console's TOTP devices (apps/console/totp.py).

A staff token can publish listings and read every confidential core, room and agreement: the password alone
must not be enough. Wrong codes count towards the same django-axes lockout as wrong passwords, and a staff
pair lives shorter than everyone else's, through refreshes too.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from apps.console.totp import current_code, totp_device_enrol
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def device(world):
    return totp_device_enrol(actor=world.staff, user=world.staff)


def _sign_in(api, **extra):
    return api.post(TOKEN, {"email": "staff@gpc.test", "password": PASSWORD, **extra}, format="json")


def test_staff_without_a_code_get_no_token(api, world, device):
    response = _sign_in(api)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "otp_required"
    assert "access" not in response.content.decode()


def test_staff_without_any_device_get_no_token(api, world):
    response = _sign_in(api, otp_token="123456")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "otp_invalid"


def test_staff_with_a_valid_code_get_a_short_lived_token(api, world, device):
    response = _sign_in(api, otp_token=current_code(device))
    assert response.status_code == 200, response.content
    access = AccessToken(response.json()["access"])
    refresh = RefreshToken(response.json()["refresh"])
    assert access["exp"] - access["iat"] <= 5 * 60
    assert refresh["exp"] - refresh["iat"] <= 8 * 3600
    me = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {access}")
    assert me.status_code == 200 and me.json()["email"] == "staff@gpc.test"


def test_a_refreshed_staff_pair_stays_short_lived(api, world, device):
    refresh = _sign_in(api, otp_token=current_code(device)).json()["refresh"]
    response = api.post(f"{TOKEN}refresh/", {"refresh": refresh}, format="json")
    assert response.status_code == 200
    access = AccessToken(response.json()["access"])
    rotated = RefreshToken(response.json()["refresh"])
    assert access["exp"] - access["iat"] <= 5 * 60
    assert rotated["exp"] - rotated["iat"] <= 8 * 3600


def test_a_code_works_once(api, world, device):
    code = current_code(device)
    assert _sign_in(api, otp_token=code).status_code == 200
    again = _sign_in(api, otp_token=code)
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "otp_invalid"


def test_wrong_codes_count_towards_the_lockout(api, world, device):
    wrong = str((int(current_code(device)) + 1) % 1_000_000).zfill(6)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(api, otp_token=wrong)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "otp_invalid"
    assert _sign_in(api, otp_token=wrong).status_code == 429
    # Locked: even the right password with the right code is refused now.
    locked = _sign_in(api, otp_token=current_code(device))
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "locked_out"


def test_everyone_else_signs_in_with_the_password_and_gets_the_usual_lifetimes(api, world):
    response = api.post(TOKEN, {"email": "owner@lumina.test", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    access = AccessToken(response.json()["access"])
    assert timedelta(seconds=access["exp"] - access["iat"]) == settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
