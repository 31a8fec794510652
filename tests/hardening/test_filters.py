"""Query parameters: no existence oracle through filters, no parameter pollution."""

import pytest


@pytest.mark.django_db
def test_a_one_value_filter_given_twice_is_refused(world):
    response = world.client("owner").get("/api/v1/memberships/?role=owner&role=viewer")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"role"}


@pytest.mark.django_db
def test_a_filter_on_an_id_that_does_not_exist_answers_like_one_you_may_not_see(world):
    client = world.client("outsider")
    missing = client.get("/api/v1/memberships/?company=999999")
    invisible = client.get(f"/api/v1/memberships/?company={world.licensor.pk}")
    assert missing.status_code == invisible.status_code == 200
    assert missing.json()["results"] == invisible.json()["results"] == []


@pytest.mark.django_db
def test_ordering_given_twice_is_refused(world):
    response = world.client("owner").get("/api/v1/memberships/?ordering=role&ordering=-role")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"ordering"}
