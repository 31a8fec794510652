"""The demo (`make run`): two providers and Lumina's open request with a proposal from each, idempotent."""

import pytest

from apps.providers import demo
from apps.providers.models import Proposal, ProviderProfile, ServiceRequest

pytestmark = pytest.mark.django_db


def test_demo_loads_two_providers_and_an_open_request_with_proposals_once(world):
    ctx = {"companies": {"lumina": world.licensor}, "people": {"lumina_admin": world.admin}}
    demo.load(ctx)
    demo.load(ctx)
    assert ProviderProfile.objects.filter(company__verification_status="verified").count() == 2
    request = ServiceRequest.objects.get()
    assert request.status == "open"
    assert Proposal.objects.filter(request=request).count() == 2
    data = world.client("admin").get(f"/api/v1/service-requests/{request.pk}/compare/").json()
    assert sorted(row["currency"] for row in data["proposals"]) == ["EUR", "USD"]
    found = world.client("admin").get("/api/v1/providers/?q=agent&category=us_agent").json()
    assert {row["company"]["name_en"] for row in found["results"]} == {"Harborline Regulatory Partners",
                                                                        "Meridian Clinical Research"}


def test_search_finds_providers_in_english_and_chinese_and_filters_by_field(world):
    demo.load({"companies": {"lumina": world.licensor}, "people": {"lumina_admin": world.admin}})
    client = world.client("member")

    def names(query: str) -> set[str]:
        response = client.get(f"/api/v1/providers/?{query}")
        assert response.status_code == 200, response.content
        return {row["company"]["name_en"] for row in response.json()["results"]}

    assert names("q=FDA") == {"Harborline Regulatory Partners"}
    assert names("q=临床试验") == {"Meridian Clinical Research"}
    assert names("q=港线") == {"Harborline Regulatory Partners"}
    # Traditional script finds the Simplified profile; a two-character word uses the search-word index.
    assert names("q=臨床試驗") == {"Meridian Clinical Research"}
    assert names("q=肿瘤") == {"Meridian Clinical Research"}
    assert names("q=美國代理人") == {"Harborline Regulatory Partners", "Meridian Clinical Research"}
    assert names("jurisdiction=DE") == {"Meridian Clinical Research"}
    assert names("agency=EMA") == {"Meridian Clinical Research"}
    assert names("record_type=gcp_inspection") == {"Meridian Clinical Research"}
    assert names("language=de") == {"Meridian Clinical Research"}
    assert names("modality=adc") == {"Harborline Regulatory Partners"}
    assert names("category=clinical_cro&category=regulatory_strategy") == {"Harborline Regulatory Partners",
                                                                          "Meridian Clinical Research"}
    bad = client.get("/api/v1/providers/?jurisdiction=atlantis")
    assert bad.status_code == 400
