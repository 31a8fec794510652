"""Money: Decimal only, places per currency, ROUND_HALF_EVEN for derived figures, USD with the rate's date."""

import datetime
from decimal import Decimal

import pytest

from apps.agreements.models import ExchangeRate
from apps.agreements.money import Money, MoneyError, parse_amount, quantize, to_str
from apps.agreements.selectors import agreement_figures, royalty_due, to_usd
from tests.agreements import helpers


def test_amounts_are_decimals_with_the_currencys_places():
    assert parse_amount("60000000", "USD") == Decimal("60000000.00")
    assert to_str(parse_amount("60000000", "USD"), "USD") == "60000000.00"
    assert to_str(parse_amount(1500000, "JPY"), "JPY") == "1500000"


def test_floats_are_refused():
    with pytest.raises(MoneyError):
        parse_amount(0.1, "USD")


def test_negative_amounts_are_refused():
    with pytest.raises(MoneyError):
        parse_amount("-1", "USD")


def test_yen_has_no_decimal_places():
    with pytest.raises(MoneyError):
        parse_amount("100.5", "JPY")
    with pytest.raises(MoneyError):
        parse_amount("10.005", "EUR")


@pytest.mark.parametrize("value,currency,expected", [
    ("2.345", "USD", "2.34"),   # half to even: 4 is even
    ("2.355", "USD", "2.36"),   # half to even: 6 is even
    ("2.3451", "USD", "2.35"),  # above the half rounds up
    ("2.5", "JPY", "2"),
    ("3.5", "JPY", "4"),
    ("-2.345", "EUR", "-2.34"),
])
def test_derived_figures_round_half_even(value, currency, expected):
    assert quantize(Decimal(value), currency) == Decimal(expected)


def test_money_refuses_floats_and_mixed_currencies():
    with pytest.raises(TypeError):
        Money(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Money(Decimal(1), "USD") + Money(Decimal(1), "EUR")


def test_conversion_uses_the_rate_and_rounds_half_even():
    # 1,000,000.05 CNY at 0.1375 USD = 137,500.006875 → 137,500.01
    assert Money(Decimal("1000000.05"), "CNY").convert(Decimal("0.1375"), "USD").amount == Decimal("137500.01")
    # exactly half a cent: 0.125 → 0.12 (even), never 0.13
    assert Money(Decimal("1"), "JPY").convert(Decimal("0.125"), "USD").amount == Decimal("0.12")


@pytest.mark.django_db
def test_usd_figure_shows_the_rate_and_its_date():
    ExchangeRate.objects.create(currency="EUR", usd_per_unit=Decimal("1.08"), valid_on=datetime.date(2026, 1, 1))
    ExchangeRate.objects.create(currency="EUR", usd_per_unit=Decimal("1.10"), valid_on=datetime.date(2026, 3, 1))
    ExchangeRate.objects.create(currency="EUR", usd_per_unit=Decimal("1.20"), valid_on=datetime.date(2026, 6, 1))
    result = to_usd(Money(Decimal("100.00"), "EUR"), datetime.date(2026, 4, 15))
    assert result == {"amount": "110.00", "currency": "USD", "rate": "1.1", "rate_date": "2026-03-01",
                      "missing_rate": False}


@pytest.mark.django_db
def test_missing_rate_gives_a_null_figure_with_a_marker():
    result = to_usd(Money(Decimal("100"), "JPY"))
    assert result["amount"] is None and result["missing_rate"] is True and "JPY" in result["message"]


def test_royalty_is_computed_tier_by_tier():
    tiers = helpers.BASE_TERMS["royalty_tiers"]
    # 500M at 10% + 250M at 12.5% = 50M + 31.25M
    assert royalty_due(tiers, Decimal("750000000"), "USD").amount == Decimal("81250000.00")
    # 1.2B: 50M + 62.5M + 200M × 15% = 142.5M
    assert royalty_due(tiers, Decimal("1200000000"), "USD").amount == Decimal("142500000.00")
    assert royalty_due(tiers, Decimal("0"), "USD").amount == Decimal("0.00")


@pytest.mark.django_db
def test_agreement_figures_total_deal_value_and_progress(world):
    ExchangeRate.objects.create(currency="EUR", usd_per_unit=Decimal("1.0850"), valid_on=datetime.date(2026, 1, 1))
    agreement = helpers.draft(world, currency="EUR", upfront="10000000.50", milestones=[
        {"key": "a", "kind": "development", "description": "A", "amount": "1000000.25"},
        {"key": "b", "kind": "development", "description": "B", "amount": "2000000"},
    ])
    figures = agreement_figures(agreement, on=datetime.date(2026, 2, 1))
    assert figures["currency"] == "EUR" and figures["rounding"] == "ROUND_HALF_EVEN"
    assert figures["figures"]["total_deal_value"] == {"amount": "13000000.75", "currency": "EUR"}
    assert figures["figures"]["equity_investment"]["amount"] == "20000000.00"
    assert figures["figures"]["paid"]["amount"] == "0.00"
    # 13,000,000.75 × 1.085 = 14,105,000.81375 → 14,105,000.81
    assert figures["usd"]["total_deal_value"] == {"amount": "14105000.81", "currency": "USD", "rate": "1.085",
                                                  "rate_date": "2026-01-01", "missing_rate": False}


@pytest.mark.django_db
def test_figures_follow_milestones_to_paid(world):
    from apps.agreements import services

    agreement = helpers.executed(world)
    milestone = helpers.milestone(agreement)
    partner_admin = helpers.partner_admin(world)
    services.milestone_achieve(actor=world.member, milestone=milestone, evidence="Dosed")
    services.milestone_confirm(actor=partner_admin, milestone=milestone)
    figures = agreement_figures(agreement)["figures"]
    assert (figures["achieved"]["amount"], figures["invoiced"]["amount"]) == ("50000000.00", "0.00")
    services.milestone_invoice(actor=world.admin, milestone=milestone, reference="INV-1")
    services.milestone_pay(actor=partner_admin, milestone=milestone, reference="WIRE-1")
    figures = agreement_figures(agreement)["figures"]
    assert figures["paid"]["amount"] == figures["invoiced"]["amount"] == "50000000.00"
    assert figures["total_deal_value"]["amount"] == "460000000.00"


def test_jpy_agreement_terms_keep_whole_yen():
    from apps.agreements.terms import validate_terms

    canonical = validate_terms(helpers.terms(currency="JPY", upfront="9000000000", milestones=[], royalty_tiers=[]),
                               deal_type="exclusive_license", party_company_ids=[])
    assert canonical["upfront"] == "9000000000" and canonical["equity_investment"] == "20000000"


@pytest.mark.django_db
def test_portfolio_totals_per_currency_and_in_usd(world):
    from apps.agreements import services
    from apps.catalog.models import AssetStatus

    ExchangeRate.objects.create(currency="EUR", usd_per_unit=Decimal("1.10"), valid_on=datetime.date(2026, 1, 1))
    helpers.executed(world, title="US deal")  # USD 60M upfront + 400M milestones
    eur_asset = helpers.asset(world, code="LMN-3105", status=AssetStatus.PUBLISHED)
    helpers.executed(world, title="EU deal", the_asset=eur_asset, currency="EUR", upfront="10000000",
                     milestones=[{"key": "m", "kind": "development", "description": "M", "amount": "5000000.05"}])
    jpy_asset = helpers.asset(world, code="LMN-4010", status=AssetStatus.PUBLISHED)
    helpers.executed(world, title="JP deal", the_asset=jpy_asset, currency="JPY", upfront="1000000000",
                     equity_investment=None, milestones=[], royalty_tiers=[])
    services.agreement_terminate(actor=world.owner, agreement=helpers.negotiation(world, title="Dropped"),
                                 reason="No deal")
    body = world.client("viewer").get("/api/v1/agreements/summary/").json()
    assert body["agreements"] == 3
    assert body["per_currency"]["USD"]["total_deal_value"] == "460000000.00"
    assert body["per_currency"]["EUR"]["total_deal_value"] == "15000000.05"
    assert body["per_currency"]["JPY"]["total_deal_value"] == "1000000000"
    # 460,000,000.00 + 15,000,000.05 × 1.10 (= 16,500,000.055 → 16,500,000.06, half-even)
    assert body["usd"]["total_deal_value"] == "476500000.06"
    assert body["rates"]["EUR"] == {"rate": "1.1", "rate_date": "2026-01-01"}
    assert body["missing_rates"] == ["JPY"]
    assert world.client("outsider").get("/api/v1/agreements/summary/").json()["agreements"] == 0
