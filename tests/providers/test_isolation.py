"""Bidder isolation: a provider never learns other providers' identities, proposals or questions."""

import pytest

from apps.providers import services
from tests.providers import helpers

pytestmark = pytest.mark.django_db


def _ids(response):
    data = response.json()
    rows = data["results"] if isinstance(data, dict) and "results" in data else data
    return [row["id"] for row in rows]


def test_provider_reads_only_its_own_proposal(world):
    own = helpers.proposal(world)
    other = helpers.competitor_proposal(world)
    client = world.client("invited_provider")
    assert _ids(client.get("/api/v1/proposals/")) == [own.pk]
    request = helpers.rfp(world)
    assert _ids(client.get(f"/api/v1/service-requests/{request.pk}/proposals/")) == [own.pk]
    missing = client.get("/api/v1/proposals/999999/")
    hidden = client.get(f"/api/v1/proposals/{other.pk}/")
    assert hidden.status_code == 404
    assert hidden.json() == missing.json()
    assert client.get(f"/api/v1/proposals/{other.pk}/versions/").status_code == 404
    # Filtering by a request: any id answers a page, so a missing request and one the provider cannot use
    # read alike (no 400 telling which ids exist).
    assert _ids(client.get("/api/v1/proposals/", {"request": request.pk})) == [own.pk]
    assert client.get("/api/v1/proposals/", {"request": 999999}).json()["results"] == []


def test_requester_reads_every_proposal_with_the_providers_names(world):
    helpers.proposal(world)
    helpers.competitor_proposal(world)
    request = helpers.rfp(world)
    response = world.client("member").get(f"/api/v1/service-requests/{request.pk}/proposals/")
    names = sorted(row["company"]["name_en"] for row in response.json()["results"])
    assert names == ["Harborline Regulatory", "Keystone Regulatory"]


def test_provider_never_sees_the_audience_of_a_request(world):
    request = helpers.rfp(world)
    as_provider = world.client("invited_provider").get(f"/api/v1/service-requests/{request.pk}/").json()
    assert as_provider["audience"] is None
    body = str(as_provider)
    assert "Keystone" not in body and "基石" not in body
    as_requester = world.client("admin").get(f"/api/v1/service-requests/{request.pk}/").json()
    assert sorted(row["company"]["name_en"] for row in as_requester["audience"]) == [
        "Harborline Regulatory", "Keystone Regulatory"]


def test_private_question_stays_with_its_provider(world):
    request = helpers.rfp(world)
    question = services.question_ask(actor=world.people["competitor_provider"], request=request,
                                     text="Does the scope include the annual report?")
    services.question_answer(actor=world.member, question=question, answer="Yes.")
    client = world.client("invited_provider")
    assert _ids(client.get(f"/api/v1/service-requests/{request.pk}/questions/")) == []
    assert client.get(f"/api/v1/request-questions/{question.pk}/").status_code == 404
    own = world.client("competitor_provider").get(f"/api/v1/request-questions/{question.pk}/").json()
    assert own["answer"] == "Yes." and own["asked_by_your_company"] is True


def test_published_answer_reaches_all_bidders_without_the_asker(world):
    request = helpers.rfp(world)
    question = services.question_ask(actor=world.people["competitor_provider"], request=request,
                                     text="Is a 2027 start acceptable?")
    services.question_answer(actor=world.member, question=question, answer="Yes, from January.", publish=True)
    response = world.client("invited_provider").get(f"/api/v1/request-questions/{question.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["answer"] == "Yes, from January."
    assert data["company"] is None and data["asked_by_your_company"] is False
    assert "Keystone" not in str(data) and "基石" not in str(data)
    # The requester sees who asked.
    assert world.client("admin").get(f"/api/v1/request-questions/{question.pk}/").json()["company"]["name_en"] == (
        "Keystone Regulatory")


def test_uninvited_matching_provider_cannot_see_an_invited_only_request(world):
    request = helpers.rfp(world)
    response = world.client("matching_provider").get(f"/api/v1/service-requests/{request.pk}/")
    assert response.status_code == 404
    assert response.json() == world.client("matching_provider").get("/api/v1/service-requests/999999/").json()


def test_open_request_reaches_matching_providers_only(world):
    request = helpers.rfp(world, visibility="open")
    assert world.client("matching_provider").get(f"/api/v1/service-requests/{request.pk}/").status_code == 200
    assert world.client("competitor_provider").get(f"/api/v1/service-requests/{request.pk}/").status_code == 200
    assert world.client("nonmatching_provider").get(f"/api/v1/service-requests/{request.pk}/").status_code == 404
    assert world.client("other_biotech").get(f"/api/v1/service-requests/{request.pk}/").status_code == 404


def test_compare_is_the_requesters_only(world):
    helpers.proposal(world)
    request = helpers.rfp(world)
    assert world.client("invited_provider").get(f"/api/v1/service-requests/{request.pk}/compare/").status_code == 403
    assert world.client("member").get(f"/api/v1/service-requests/{request.pk}/compare/").status_code == 200
