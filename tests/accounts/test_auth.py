"""Signing in: JWT pairs, rotation, logout that really logs out, lockout, and every attempt audited."""

import pytest
from django.test import override_settings

from apps.accounts import audit_actions as account_acts
from apps.audit.models import AuditEvent
from tests.factories import PASSWORD


def _login(api, email, password=PASSWORD, **headers):
    return api.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json", **headers)


@pytest.mark.django_db
class TestLogin:
    def test_a_correct_password_returns_a_token_pair_that_works(self, world, api):
        response = _login(api, "owner@lumina.test")
        assert response.status_code == 200
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
        assert api.get("/api/v1/me/").json()["email"] == "owner@lumina.test"

    def test_login_is_case_insensitive_on_the_email(self, world, api):
        assert _login(api, "Owner@Lumina.TEST").status_code == 200

    def test_success_and_failure_are_audited_without_the_password(self, world, api):
        _login(api, "owner@lumina.test")
        _login(api, "owner@lumina.test", "wrong-password")
        assert AuditEvent.objects.filter(action=account_acts.LOGIN_SUCCEEDED, actor=world.owner).count() == 1
        failed = AuditEvent.objects.get(action=account_acts.LOGIN_FAILED)
        assert failed.details == {"email": "owner@lumina.test"}
        assert "wrong-password" not in str(failed.details)

    def test_a_wrong_password_is_a_401_in_the_error_format(self, world, api):
        response = _login(api, "owner@lumina.test", "nope")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "authentication_failed"

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_repeated_failures_lock_the_account_even_with_the_right_password(self, world, api):
        for _ in range(3):
            _login(api, "owner@lumina.test", "guess")
        response = _login(api, "owner@lumina.test")
        assert response.status_code == 429
        assert response.json()["error"]["code"] == "locked_out"

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_a_lockout_says_when_to_retry(self, world, api, settings):
        for _ in range(3):
            _login(api, "owner@lumina.test", "guess")
        response = _login(api, "owner@lumina.test")
        assert response.status_code == 429
        assert int(response["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())

    def test_a_refresh_token_not_yours_is_token_not_valid_on_logout_as_on_refresh(self, world, api):
        """One error code per meaning: a refresh token that cannot be used is token_not_valid everywhere."""
        tokens = _login(api, "admin@lumina.test").json()
        api.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")  # rotates it
        refreshed = api.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
        assert refreshed.status_code == 401
        assert refreshed.json()["error"]["code"] == "token_not_valid"
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
        logout = api.post("/api/v1/auth/logout/", {"refresh": tokens["refresh"]}, format="json")
        assert logout.status_code == 400
        assert logout.json()["error"]["code"] == "token_not_valid"

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_a_lockout_of_one_account_leaves_others_alone(self, world, api):
        for _ in range(3):
            _login(api, "owner@lumina.test", "guess")
        assert _login(api, "admin@lumina.test").status_code == 200

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_the_admin_login_is_locked_out_too(self, world, client):
        world.staff.is_superuser = True
        world.staff.save()
        for _ in range(3):
            client.post("/admin/login/", {"username": "staff@gpc.test", "password": "guess"})
        response = client.post("/admin/login/", {"username": "staff@gpc.test", "password": PASSWORD})
        assert response.status_code == 429


@pytest.mark.django_db
class TestTokens:
    def test_refresh_rotates_and_the_old_refresh_token_stops_working(self, world, api):
        pair = _login(api, "owner@lumina.test").json()
        first = api.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
        assert first.status_code == 200
        again = api.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
        assert again.status_code == 401

    def test_logout_revokes_the_refresh_token(self, world, api):
        pair = _login(api, "owner@lumina.test").json()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
        assert api.post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}, format="json").status_code == 204
        api.credentials()
        assert api.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json").status_code == 401

    def test_nobody_can_log_out_someone_else(self, world, api):
        victim = _login(api, "admin@lumina.test").json()
        attacker = _login(api, "owner@lumina.test").json()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {attacker['access']}")
        assert api.post("/api/v1/auth/logout/", {"refresh": victim["refresh"]}, format="json").status_code == 400
        api.credentials()
        assert api.post("/api/v1/auth/token/refresh/", {"refresh": victim["refresh"]}, format="json").status_code == 200


@pytest.mark.django_db
class TestRegistrationAndProfile:
    def test_registration_creates_an_account_that_can_sign_in(self, api):
        response = api.post("/api/v1/auth/register/", {"email": "Mei@Example.test", "full_name": "Mei Lin",
                                                       "password": PASSWORD, "preferred_language": "zh-hans"},
                            format="json")
        assert response.status_code == 201
        assert "password" not in response.json()
        assert _login(api, "mei@example.test").status_code == 200

    def test_a_weak_password_is_refused_with_the_reason(self, api):
        response = api.post("/api/v1/auth/register/", {"email": "a@example.test", "full_name": "A", "password": "123"},
                            format="json")
        assert response.status_code == 400
        assert "password" in response.json()["error"]["fields"]

    def test_a_taken_email_is_refused(self, world, api):
        response = api.post("/api/v1/auth/register/", {"email": "OWNER@lumina.test", "full_name": "Copy",
                                                       "password": PASSWORD}, format="json")
        assert response.status_code == 400
        assert "email" in response.json()["error"]["fields"]

    def test_people_set_their_language_and_time_zone(self, world):
        client = world.client("member")
        response = client.patch("/api/v1/me/", {"preferred_language": "zh-hans", "time_zone": "Asia/Shanghai"},
                                format="json")
        assert response.status_code == 200
        world.member.refresh_from_db()
        assert (world.member.preferred_language, world.member.time_zone) == ("zh-hans", "Asia/Shanghai")

    def test_an_unknown_time_zone_is_refused(self, world):
        response = world.client("member").patch("/api/v1/me/", {"time_zone": "Mars/Olympus"}, format="json")
        assert response.status_code == 400

    def test_nobody_can_make_themselves_staff(self, world):
        response = world.client("member").patch("/api/v1/me/", {"is_staff": True}, format="json")
        assert response.status_code == 400
        world.member.refresh_from_db()
        assert not world.member.is_staff
