"""Security headers on every response: pages, API answers, and errors (401, 404, 405, 429, 500, 503)."""

import pytest
from django.db import connection
from django.test import Client, override_settings

from apps.core.throttles import LoginThrottle

EXPECTED = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


def assert_security_headers(response):
    for header, fragment in EXPECTED.items():
        assert fragment in response.get(header, ""), f"{header} missing on {response.status_code}: {response.headers}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/api/schema/", "/api/docs/", "/admin/login/"])
def test_pages_carry_the_headers(path):
    assert_security_headers(Client().get(path))


@pytest.mark.django_db
def test_an_api_answer_carries_the_headers(world):
    response = world.client("member").get("/api/v1/me/")
    assert response.status_code == 200
    assert_security_headers(response)
    # Only the Swagger page relaxes this (its OAuth pop-up); the API never does.
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "status"), [
    ("get", "/api/v1/me/", 401),
    ("get", "/api/v1/no-such-thing/", 404),
    ("get", "/api/v1/companies/999999/", 401),
    ("delete", "/api/v1/me/", 401),
])
def test_errors_carry_the_headers(method, path, status):
    response = getattr(Client(), method)(path)
    assert response.status_code == status
    assert_security_headers(response)


@pytest.mark.django_db
def test_method_not_allowed_carries_the_headers(world):
    response = world.client("member").delete("/api/v1/me/")
    assert response.status_code == 405
    assert_security_headers(response)


@pytest.mark.django_db
def test_a_throttled_answer_carries_the_headers(monkeypatch):
    monkeypatch.setattr(LoginThrottle, "rate", "1/min", raising=False)
    client = Client()
    client.post("/api/v1/auth/token/", {"email": "a@example.test", "password": "x"}, content_type="application/json")
    response = client.post("/api/v1/auth/token/", {"email": "b@example.test", "password": "x"},
                           content_type="application/json")
    assert response.status_code == 429
    assert_security_headers(response)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.hardening.urls")
def test_a_server_error_carries_the_headers_and_no_traceback():
    response = Client(raise_request_exception=False).get("/api/v1/__crash__/")
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "server_error", "message": "Something went wrong on our side.",
                                         "fields": {}}}
    assert b"Traceback" not in response.content and b"boom" not in response.content
    assert_security_headers(response)


@pytest.fixture
def unreachable_database():
    original = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: connection refused
    yield
    connection.close()
    connection.settings_dict["PORT"] = original


@pytest.mark.django_db(transaction=True)
def test_a_lost_database_answer_carries_the_headers(world, unreachable_database):
    response = world.client("owner").get("/api/v1/companies/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert_security_headers(response)

