"""Two-factor sign-in: password alone never opens the console, and company users never get in."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.console.totp import current_code
from tests.console.conftest import enrol
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, email: str, token: str = "") -> object:
    return client.post(reverse("admin:login"), {"username": email, "password": PASSWORD, "otp_token": token,
                                               "next": reverse("admin:index")})


def test_the_admin_login_asks_for_a_one_time_code(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert b'name="otp_token"' in response.content


def test_password_alone_does_not_sign_staff_in(client, moderator):
    response = _login(client, moderator.email)
    assert response.status_code == 200  # the form again, with an error
    assert client.get(reverse("admin:index")).status_code == 302


def test_password_and_current_code_sign_staff_in(client, moderator):
    response = _login(client, moderator.email, current_code(enrol(moderator)))
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_is_refused(client, moderator):
    code = current_code(enrol(moderator))
    wrong = str((int(code) + 1) % 1_000_000).zfill(6)
    _login(client, moderator.email, wrong)
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_session_without_a_verified_device_is_treated_as_not_staff(client, moderator):
    client.force_login(moderator)
    response = client.get(reverse("admin:companies_company_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_a_device_cannot_sign_in(client, world):
    # The foundation's plain staff persona has no device: it must enrol first (manage.py totp_enrol).
    _login(client, world.staff.email, "000000")
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_company_user_cannot_reach_the_admin_even_with_a_device(client, world):
    device = enrol(world.owner)
    response = _login(client, world.owner.email, current_code(device))
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:companies_company_changelist")).status_code == 302
