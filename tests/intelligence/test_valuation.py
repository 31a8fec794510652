"""rNPV in Decimal, checked against an example computed by hand."""

from decimal import Decimal

import pytest

from apps.core.errors import ValidationFailed
from apps.intelligence import valuation

TERMS = {
    "currency": "USD", "upfront": "10000000",
    "milestones": [{"key": "p3", "kind": "development", "description": "Phase 3 start", "amount": "20000000",
                    "due_date": "2027-06-30"}],
    "royalty_tiers": [{"from_net_sales": "0", "to_net_sales": None, "rate": "10"}],
}


def _example(**overrides):
    data = dict(stage="phase_3", currency="USD", terms=TERMS, start_year=2026, launch_year=2028,
                peak_sales=Decimal("100000000"), discount_rate=Decimal("0.10"),
                probabilities={"phase_3": Decimal("0.5"), "filed": Decimal("0.9")}, years_to_peak=1,
                years_on_market=2)
    data.update(overrides)
    return valuation.ValuationInput(**data)


def test_the_hand_computed_example():
    """By hand: phase 3 -> filing completes in 2027 (p = 0.5), filing -> approval in 2028 (p = 0.45 alive).
    2026: upfront 10,000,000.00 x 1                          = 10,000,000.00
    2027: milestone 20,000,000 x 0.5 / 1.1                   =  9,090,909.09
    2028: royalty 10% of 100,000,000 x 0.45 / 1.1^2          =  3,719,008.26
    2029: the same / 1.1^3                                   =  3,380,916.60
    rNPV                                                     = 26,190,833.95"""
    result = valuation.valuate(_example())
    assert result["rnpv"] == "26190833.95"
    years = {row["year"]: row for row in result["years"]}
    assert [years[y]["present_value"] for y in (2026, 2027, 2028, 2029)] == [
        "10000000.00", "9090909.09", "3719008.26", "3380916.60"]
    assert years[2027]["probability"] == "0.5000" and years[2028]["probability"] == "0.4500"
    assert years[2028]["royalties"] == "4500000.00"
    assert result["launch_probability"] == "0.4500"


def test_sensitivity_table_centres_on_the_answer_and_moves_the_right_way():
    result = valuation.valuate(_example())
    table = result["sensitivity"]["rnpv"]
    assert table[1][1] == result["rnpv"]
    assert Decimal(table[0][1]) > Decimal(table[1][1]) > Decimal(table[2][1])  # higher rate, lower value
    assert Decimal(table[1][0]) < Decimal(table[1][1]) < Decimal(table[1][2])  # higher sales, higher value
    assert result["sensitivity"]["discount_rates"] == ["0.08", "0.10", "0.12"]


def test_the_same_inputs_give_the_same_answer():
    assert valuation.valuate(_example()) == valuation.valuate(_example())


def test_a_preclinical_asset_needs_a_preclinical_probability():
    with pytest.raises(ValidationFailed) as error:
        valuation.valuate(_example(stage="preclinical"))
    assert "probabilities" in error.value.fields


def test_launch_before_start_is_refused():
    with pytest.raises(ValidationFailed) as error:
        valuation.valuate(_example(launch_year=2025))
    assert "launch_year" in error.value.fields


def test_sales_milestone_paid_in_the_first_year_sales_reach_it():
    terms = {**TERMS, "milestones": [{"key": "s", "kind": "sales", "description": "Sales reach 150 M",
                                      "amount": "5000000", "sales_threshold": "150000000"}]}
    result = valuation.valuate(_example(terms=terms, peak_sales=Decimal("200000000"), years_to_peak=2,
                                        years_on_market=3))
    years = {row["year"]: row for row in result["years"]}
    assert years[2028]["sales_milestones"] == "0.00"  # 100 M in the first year
    assert years[2029]["sales_milestones"] == "2250000.00"  # 200 M: paid once, x 0.45
    assert years[2030]["sales_milestones"] == "0.00"
