"""Short-lived access tokens, rotating revocable refresh tokens, and a logout that really logs out."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tests.factories import PASSWORD


def _login(client, email="owner@lumina.test"):
    response = client.post("/api/v1/auth/token/", {"email": email, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _bearer(access):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_access_tokens_are_short_lived_and_refresh_tokens_rotate():
    jwt = settings.SIMPLE_JWT
    assert jwt["ACCESS_TOKEN_LIFETIME"] <= timedelta(minutes=15)
    assert jwt["REFRESH_TOKEN_LIFETIME"] <= timedelta(days=7)
    assert jwt["ROTATE_REFRESH_TOKENS"] and jwt["BLACKLIST_AFTER_ROTATION"]


@pytest.mark.django_db
def test_an_expired_access_token_is_refused_in_the_error_format(world):
    token = AccessToken.for_user(world.owner)
    token.set_exp(lifetime=-timedelta(seconds=1))
    response = _bearer(str(token)).get("/api/v1/me/")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "token_not_valid"
    assert isinstance(body["error"]["message"], str) and "{" not in body["error"]["message"]


@pytest.mark.django_db
def test_a_forged_access_token_is_refused(world):
    token = AccessToken.for_user(world.owner)
    forged = str(token)[:-4] + ("AAAA" if not str(token).endswith("AAAA") else "BBBB")
    assert _bearer(forged).get("/api/v1/me/").status_code == 401


@pytest.mark.django_db
def test_a_refresh_token_works_once(world):
    client = APIClient()
    pair = _login(client)
    rotated = client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != pair["refresh"]
    replay = client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "token_not_valid"


@pytest.mark.django_db
def test_logout_refuses_the_access_token_on_the_very_next_request(world):
    pair = _login(APIClient())
    client = _bearer(pair["access"])
    assert client.get("/api/v1/me/").status_code == 200
    assert client.post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}, format="json").status_code == 204
    after = client.get("/api/v1/me/")
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "token_not_valid"


@pytest.mark.django_db
def test_logout_revokes_the_refresh_token(world):
    pair = _login(APIClient())
    _bearer(pair["access"]).post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}, format="json")
    response = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 401


@pytest.mark.django_db
def test_logout_in_one_session_leaves_the_others_signed_in(world):
    laptop, phone = _login(APIClient()), _login(APIClient())
    _bearer(laptop["access"]).post("/api/v1/auth/logout/", {"refresh": laptop["refresh"]}, format="json")
    assert _bearer(phone["access"]).get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_an_inactive_person_is_refused_even_with_a_valid_token(world):
    access = _login(APIClient())["access"]
    world.owner.is_active = False
    world.owner.save()
    assert _bearer(access).get("/api/v1/me/").status_code == 401


UNREACHABLE_CACHE = {"default": {"BACKEND": "apps.core.cache.RedisCache",
                                 "LOCATION": "redis://127.0.0.1:1/0"}}


@pytest.mark.django_db
def test_signed_in_requests_and_logout_still_work_while_redis_is_down(world):
    pair = _login(APIClient())
    client = _bearer(pair["access"])
    with override_settings(CACHES=UNREACHABLE_CACHE):
        with pytest.raises(Exception):  # noqa: B017 - any error: the point is that the cache is really gone
            cache.get("probe")
        assert client.get("/api/v1/me/").status_code == 200
        assert client.post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}, format="json").status_code == 204
    # The refresh token's revocation is in the database, so it holds whatever the cache did.
    assert APIClient().post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]},
                            format="json").status_code == 401
