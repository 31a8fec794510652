"""Bad input gets one clear 4xx in one format, writes nothing, and is never a 5xx."""

import pytest
from django.test import override_settings
from rest_framework_simplejwt.tokens import AccessToken

from apps.companies.models import Company


def _error(response):
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message", "fields"} <= set(body["error"])
    return body["error"]


@pytest.mark.django_db
class TestBadInput:
    def test_malformed_json_is_a_400_in_the_error_format(self, world):
        client = world.client("owner")
        response = client.post("/api/v1/companies/", data='{"name_en": ', content_type="application/json")
        assert response.status_code == 400
        assert _error(response)["code"] == "malformed_request"

    def test_unknown_field_is_refused_and_nothing_is_written(self, world):
        before = Company.objects.count()
        response = world.client("owner").post(
            "/api/v1/companies/", {"kind": "pharma", "country": "DE", "name_en": "X", "verification_status": "verified",
                                   "is_evil": True}, format="json")
        assert response.status_code == 400
        assert "is_evil" in _error(response)["fields"]
        assert Company.objects.count() == before

    def test_missing_and_wrongly_typed_fields_name_the_field(self, world):
        response = world.client("owner").post("/api/v1/companies/", {"kind": 12, "country": ["CN"]}, format="json")
        error = _error(response)
        assert response.status_code == 400
        assert {"kind", "country", "name_en"} <= set(error["fields"])

    def test_a_json_array_instead_of_an_object_is_a_400(self, world):
        response = world.client("owner").post("/api/v1/companies/", [1, 2], format="json")
        assert response.status_code == 400

    def test_unknown_country_code_is_refused(self, world):
        response = world.client("owner").post(
            "/api/v1/companies/", {"kind": "pharma", "country": "XX", "name_en": "Nowhere Ltd"}, format="json")
        assert response.status_code == 400
        assert "country" in _error(response)["fields"]

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
    def test_oversized_body_is_a_413(self, world):
        response = world.client("owner").post(
            "/api/v1/companies/", {"kind": "pharma", "country": "DE", "name_en": "x" * 5000}, format="json")
        assert response.status_code == 413
        assert _error(response)["code"] == "request_too_large"

    def test_a_garbage_bearer_token_is_a_401(self, api):
        response = api.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer not-a-token")
        assert response.status_code == 401
        assert response.has_header("WWW-Authenticate")

    def test_an_expired_access_token_is_a_401(self, world, api):
        token = AccessToken.for_user(world.owner)
        token.set_exp(lifetime=-__import__("datetime").timedelta(seconds=1))
        response = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401

    def test_a_malformed_id_in_the_path_is_a_404_not_a_500(self, world):
        response = world.client("owner").get("/api/v1/companies/not-a-number/")
        assert response.status_code == 404
        assert _error(response)["code"] == "not_found"

    def test_an_unknown_api_url_answers_in_the_error_format(self, world):
        response = world.client("owner").get("/api/v1/no-such-thing/")
        assert response.status_code == 404

    def test_method_not_allowed_is_a_405_in_the_error_format(self, world):
        response = world.client("owner").put(f"/api/v1/companies/{world.licensor.pk}/", {}, format="json")
        assert response.status_code == 405
        assert _error(response)["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_messages_follow_accept_language(world):
    english = world.client("owner", language="en").get("/api/v1/companies/999999/")
    chinese = world.client("owner", language="zh-hans").get("/api/v1/companies/999999/")
    assert english.json()["error"]["message"] == "Not found."
    assert chinese.json()["error"]["message"] != "Not found."
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese.json()["error"]["message"])
    assert chinese["Content-Language"] == "zh-hans"


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["", "0", "x", "-1"])
def test_a_page_that_is_not_a_whole_number_from_1_is_a_400(world, page):
    response = world.client("owner").get(f"/api/v1/companies/?page={page}")
    assert response.status_code == 400
    assert "page" in response.json()["error"]["fields"]
