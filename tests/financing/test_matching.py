"""Matching rounds to theses (publish-time fan-out and `recommended`), and search over the teaser."""

from decimal import Decimal

import pytest

from apps.agreements.models import ExchangeRate
from apps.financing import services
from apps.financing.matching import matching_company_ids
from apps.financing.models import RoundStatus
from tests.financing.helpers import financing_world, investor, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world):
    financing_world(world)
    return world


def test_publish_matches_every_criterion_the_thesis_sets(fw):
    round_ = make_round(fw.licensor, status=RoundStatus.SUBMITTED)
    matched = set(matching_company_ids(round_))
    assert fw.extra["matching"].pk in matched  # oncology, Series B, CN
    assert fw.extra["alpine"].pk not in matched  # neurology, seed
    seed = make_round(fw.licensor, status=RoundStatus.SUBMITTED, stage="seed")
    assert fw.extra["matching"].pk not in set(matching_company_ids(seed))  # Series B only


def test_an_empty_thesis_matches_nothing(fw):
    blank, _person = investor("Blank Slate Partners", person="bo")
    assert blank.pk not in set(matching_company_ids(make_round(fw.licensor)))


def test_ticket_size_compares_in_usd_at_the_latest_rate(fw):
    big, _person = investor("Big Ticket Fund", person="bt", ticket_min=Decimal("500000000.00"),
                            ticket_currency="CNY")
    cny_round = make_round(fw.licensor, currency="CNY", target_amount=Decimal("400000000.00"))
    assert big.pk not in set(matching_company_ids(cny_round))  # 500m CNY > 400m CNY
    usd_round = make_round(fw.licensor, currency="USD", target_amount=Decimal("80000000.00"))
    assert big.pk not in set(matching_company_ids(usd_round))  # no CNY rate: not met, never guessed
    ExchangeRate.objects.create(currency="CNY", usd_per_unit=Decimal("0.14"), valid_on="2026-01-01")
    assert big.pk in set(matching_company_ids(usd_round))  # 70m USD <= 80m USD


def test_recommended_ranks_by_criteria_met_with_what_matched(fw):
    make_round(fw.licensor, stage="seed", name_en="Seed only")
    rows = fw.client("investor").get("/api/v1/rounds/recommended/").json()
    assert rows, "the matching investor has recommendations"
    assert rows[0]["matched"] == ["therapeutic_areas", "round_stages", "geographies"] and rows[0]["score"] == 3
    assert rows[-1]["round"]["name_en"] == "Seed only" and rows[-1]["score"] == 2
    assert all(row["round"]["access"] == "teaser" for row in rows)


def test_recommended_is_empty_for_those_without_a_thesis(fw):
    for persona in ("admin", "other_member", "outsider"):
        assert fw.client(persona).get("/api/v1/rounds/recommended/").json() == [], persona


def test_search_over_the_teaser_in_english_and_chinese(fw):
    make_round(fw.licensor, name_en="Seed: a GLP-1 peptide", summary_en="Obesity peptide.", summary_zh="肥胖症多肽。",
               use_of_proceeds_en="IND-enabling studies.", use_of_proceeds_zh="IND申报研究。")
    client = fw.client("investor")
    english = [r["name_en"] for r in client.get("/api/v1/rounds/?q=obesity peptide").json()["results"]]
    chinese = [r["name_en"] for r in client.get("/api/v1/rounds/?q=全球三期").json()["results"]]
    assert english == ["Seed: a GLP-1 peptide"]
    assert chinese == [fw.extra["round"].name_en]
    # Core fields are not searched: the valuation text is not a teaser word.
    assert client.get("/api/v1/rounds/?q=Founders").json()["results"] == []


def test_publishing_a_round_the_interested_can_find(fw):
    round_ = make_round(fw.licensor, status=RoundStatus.SUBMITTED, name_en="Series C")
    assert fw.client("investor").get(f"/api/v1/rounds/{round_.pk}/").status_code == 404
    services.round_publish(actor=fw.staff, round=round_)
    assert fw.client("investor").get(f"/api/v1/rounds/{round_.pk}/").json()["access"] == "teaser"
