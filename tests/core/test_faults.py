"""When PostgreSQL goes away: 503 in the error format, never a traceback, and back by itself."""

import pytest
from django.db import connection


@pytest.fixture
def unreachable_database():
    original = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: connection refused
    yield
    connection.close()
    connection.settings_dict["PORT"] = original


@pytest.mark.django_db(transaction=True)
def test_api_answers_503_in_the_error_format_while_the_database_is_down(world, unreachable_database):
    client = world.client("owner")
    response = client.get("/api/v1/companies/")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
    assert response["Retry-After"]


@pytest.mark.django_db(transaction=True)
def test_readyz_is_503_and_healthz_still_200_while_the_database_is_down(client, unreachable_database):
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_service_resumes_by_itself_when_the_database_returns(world):
    client = world.client("owner")
    original = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        assert client.get("/api/v1/companies/").status_code == 503
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original
    response = client.get("/api/v1/companies/")
    assert response.status_code == 200
    assert response.json()["count"] >= 1
