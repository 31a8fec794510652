"""Comparables for an asset and for an agreement under negotiation (only its parties see the latter)."""

import datetime
from decimal import Decimal

import pytest

from apps.agreements import services as agreement_services
from apps.intelligence import selectors
from tests.agreements import helpers as agreement_helpers
from tests.intelligence.helpers import licensor_asset, negotiation, public_deal

pytestmark = pytest.mark.django_db
M = Decimal(1_000_000)


def test_asset_comparables_are_same_modality_and_area_stage_within_one_step(world):
    asset = licensor_asset(world)  # bispecific, oncology, phase 2
    inside = [public_deal(stage="phase_1b_2"), public_deal(stage="phase_2"), public_deal(stage="phase_3")]
    public_deal(stage="phase_1")  # two steps away
    public_deal(modality="adc")
    public_deal(therapeutic_area="immunology")
    public_deal(stage="")  # stage not disclosed: never a stage comparable
    response = world.client("other_member").get(f"/api/v1/intelligence/asset-comparables/{asset.pk}/")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["comparables"]} == {deal.pk for deal in inside}
    assert response.json()["upfront_usd"]["median"] == "100000000.00"


def test_an_asset_the_caller_cannot_see_answers_404(world):
    asset = licensor_asset(world, code="LMN-DRAFT")
    asset.status = "draft"
    asset.save()
    assert world.client("other_member").get(f"/api/v1/intelligence/asset-comparables/{asset.pk}/").status_code == 404
    assert world.client("other_member").get("/api/v1/intelligence/asset-comparables/999999/").status_code == 404


def _thirteen_comparables():
    for index, upfront in enumerate([10, 20, 30, 40, 45, 50, 55, 58, 70, 80, 90, 100, 120]):
        public_deal(upfront=upfront * M, milestones_total=upfront * 5 * M,
                    announced_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=index))


def test_the_current_versions_upfront_is_placed_among_comparables(world):
    _thirteen_comparables()
    agreement = negotiation(world)  # upfront 60 M, total 60 + 400 M
    response = world.client("owner").get(f"/api/v1/intelligence/agreements/{agreement.pk}/comparables/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["upfront"]["percentile"] == 62 and body["upfront"]["n"] == 13  # 8 of 13 below
    assert body["upfront"]["text"] == "upfront at the 62nd percentile of 13 comparable deals"
    assert body["total_value"]["proposed_usd"] == "460000000.00"
    chinese = world.client("owner", language="zh-hans").get(
        f"/api/v1/intelligence/agreements/{agreement.pk}/comparables/").json()
    assert "第62" in chinese["upfront"]["text"] and "13" in chinese["upfront"]["text"]


def test_a_new_version_moves_the_marker(world):
    _thirteen_comparables()
    agreement = negotiation(world)
    agreement_services.version_propose(actor=world.other_member, agreement=agreement,
                                       terms=agreement_helpers.terms(upfront="15000000"))
    body = world.client("member").get(f"/api/v1/intelligence/agreements/{agreement.pk}/comparables/").json()
    assert body["version"] == 2 and body["upfront"]["percentile"] == 8  # 1 of 13 below: 7.7


@pytest.mark.parametrize(("persona", "status"), [
    ("owner", 200), ("viewer", 200), ("other_member", 200), ("staff", 403), ("outsider", 404), ("anonymous", 401),
])
def test_only_the_parties_see_an_agreements_comparables(world, persona, status):
    agreement = negotiation(world)
    response = world.client(persona).get(f"/api/v1/intelligence/agreements/{agreement.pk}/comparables/")
    assert response.status_code == status


def test_a_company_outside_the_agreement_gets_404(world):
    from tests.factories import CompanyFactory, UserFactory, add_member

    rival = CompanyFactory(name_en="Rival Pharma", country="DE")
    person = UserFactory(email="bd@rival.test")
    add_member(rival, person, "owner")
    agreement = negotiation(world)
    client = world.client("anonymous")
    client.force_authenticate(person)
    assert client.get(f"/api/v1/intelligence/agreements/{agreement.pk}/comparables/").status_code == 404
    assert client.post(f"/api/v1/intelligence/agreements/{agreement.pk}/valuation/",
                       {"launch_year": 2030, "peak_sales": "1", "discount_rate": "0.1"},
                       format="json").status_code == 404


def test_valuation_of_the_current_version_for_the_parties(world):
    agreement = negotiation(world)  # asset in phase 2, oncology
    response = world.client("member").post(
        f"/api/v1/intelligence/agreements/{agreement.pk}/valuation/",
        {"start_year": 2026, "launch_year": 2031, "peak_sales": "1500000000", "discount_rate": "0.10"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 1 and body["currency"] == "USD"
    used = {row["transition"]: row["probability"] for row in body["transitions"]}
    assert used == {"phase_2": "0.2460", "phase_3": "0.4010", "filed": "0.8240"}  # the oncology defaults
    assert "BIO" in body["inputs"]["probability_sources"]["phase_2"]
    assert len(body["sensitivity"]["rnpv"]) == 3 and Decimal(body["rnpv"]) > Decimal("60000000")
    override = world.client("member").post(
        f"/api/v1/intelligence/agreements/{agreement.pk}/valuation/",
        {"start_year": 2026, "launch_year": 2031, "peak_sales": "1500000000", "discount_rate": "0.10",
         "probabilities": {"phase_2": "0.5"}}, format="json").json()
    assert Decimal(override["rnpv"]) > Decimal(body["rnpv"])
    assert override["inputs"]["probability_sources"]["phase_2"] == "given"


def test_valuation_bad_input_is_400(world):
    agreement = negotiation(world)
    response = world.client("member").post(f"/api/v1/intelligence/agreements/{agreement.pk}/valuation/",
                                           {"launch_year": 2030, "peak_sales": 1.5e9, "discount_rate": "0.1"},
                                           format="json")
    assert response.status_code == 400


def test_ordinals():
    assert [selectors.ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 62, 100)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "62nd", "100th"]
