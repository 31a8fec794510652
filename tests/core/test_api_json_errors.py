"""Every answer under /api/ is the JSON error format, with DEBUG on and off (apps/core/middleware.py
ApiJsonErrorsMiddleware): paths no route matches, malformed ids no route accepts, 404, 405 and 500."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

NOT_FOUND = {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


def _json_error(response):
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"error"} and {"code", "message", "fields"} <= set(body["error"])
    return body


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/v1/no-such-thing/"),
    ("post", "/api/v1/agreement-milestones/-1.05e-84/pay/"),
    ("get", "/api/v1/assets/1.5/"),
    ("get", "/api/nothing/at/all"),
    ("delete", "/api/v2/"),
])
def test_a_path_no_route_matches_answers_the_json_404(debug, world, method, path):
    response = getattr(world.client("member"), method)(path)
    assert response.status_code == 404
    assert _json_error(response) == NOT_FOUND


def test_anonymous_callers_get_the_json_404_too(debug):
    response = Client().get("/api/v1/agreement-milestones/-1.05e-84/pay/")
    assert response.status_code == 404
    assert _json_error(response) == NOT_FOUND


def test_method_not_allowed_is_json(debug, world):
    response = world.client("member").delete("/api/v1/me/")
    assert response.status_code == 405
    assert _json_error(response)["error"]["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


@override_settings(ROOT_URLCONF="tests.hardening.urls")
def test_a_server_error_is_json_without_a_traceback(debug):
    response = Client(raise_request_exception=False).get("/api/v1/__crash__/")
    assert response.status_code == 500
    assert _json_error(response)["error"]["code"] == "server_error"
    assert b"Traceback" not in response.content and b"boom" not in response.content


def test_pages_outside_the_api_keep_their_own_answers(debug):
    response = Client().get("/admin/no-such-page/")
    assert not response["Content-Type"].startswith("application/json")
