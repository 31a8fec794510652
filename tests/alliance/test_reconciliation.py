"""The quarterly reconciliation: exact money, every cent accounted for, the agreed ratios respected."""

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.agreements.models import ExchangeRate
from apps.alliance import services
from apps.alliance.reconciliation import reconcile
from tests.alliance.helpers import co_development

PARTIES = [11, 22, 33]
cents = st.integers(min_value=0, max_value=10**12).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def splits(draw):
    """Percent shares with up to 4 places for the three parties, adding up to exactly 100."""
    a = draw(st.integers(min_value=0, max_value=1_000_000))
    b = draw(st.integers(min_value=0, max_value=1_000_000 - a))
    return {11: Decimal(a).scaleb(-4), 22: Decimal(b).scaleb(-4), 33: Decimal(1_000_000 - a - b).scaleb(-4)}


@settings(max_examples=300, deadline=None)
@given(shares=st.dictionaries(st.integers(min_value=1, max_value=6), splits(), min_size=1, max_size=6),
       data=st.data())
def test_balancing_payments_sum_to_zero_and_settle_every_position(shares, data):
    costs = data.draw(st.lists(st.tuples(st.sampled_from(sorted(shares)), st.sampled_from(PARTIES),
                                         st.sampled_from(["USD", "EUR", "CNY"]), cents), max_size=40))
    result = reconcile(parties=PARTIES, costs=costs, shares=shares)
    for currency, rec in result.items():
        spent_total = sum(amount for _wp, _p, cur, amount in costs if cur == currency)
        assert sum(rec.should_bear.values()) == spent_total
        assert sum(rec.net.values()) == 0
        settled = dict.fromkeys(PARTIES, Decimal(0))
        for payer, payee, amount in rec.payments:
            assert amount > 0
            settled[payer] -= amount
            settled[payee] += amount
        assert all(rec.net.get(party, 0) + settled[party] == 0 for party in PARTIES)
        # Each share is within a cent per work package of the exact ratio.
        for party in PARTIES:
            exact = sum(amount * shares[wp][party] / 100 for wp, _p, cur, amount in costs if cur == currency)
            assert abs(rec.should_bear[party] - exact) <= Decimal("0.01") * len(shares)


def test_a_quarter_of_60_40_costs_answers_the_balancing_payment_in_usd(world):
    alliance = co_development(world, licensor_share="60", partner_share="40")
    wp = services.work_package_create(actor=world.admin, alliance=alliance, code="WP1", title="Phase 3 US",
                                      assigned_company=world.partner)
    cmc = services.work_package_create(actor=world.admin, alliance=alliance, code="WP2", title="CMC",
                                       assigned_company=world.licensor,
                                       cost_sharing=[{"company": world.licensor.pk, "share": "50"},
                                                     {"company": world.partner.pk, "share": "50"}])
    services.cost_record(actor=world.other_member, work_package=wp, year=2026, quarter=3, currency="USD",
                         amount="1000000.00")
    services.cost_record(actor=world.admin, work_package=cmc, year=2026, quarter=3, currency="CNY",
                         amount="2000000.00")
    services.cost_record(actor=world.admin, work_package=wp, year=2026, quarter=2, currency="USD",
                         amount="999.00")  # another quarter: not in this reconciliation
    ExchangeRate.objects.create(currency="CNY", usd_per_unit=Decimal("0.14"), valid_on=datetime.date(2026, 9, 1))

    answer = world.client("viewer").get(f"/api/v1/alliances/{alliance.pk}/reconciliation/?year=2026&quarter=3")
    assert answer.status_code == 200
    by_currency = {row["currency"]: row for row in answer.json()["currencies"]}
    usd = {row["company"]["id"]: row for row in by_currency["USD"]["parties"]}
    # Northbridge spent 1M on a 60/40 package: Lumina owes it 600k.
    assert usd[world.licensor.pk]["should_bear"] == "600000.00"
    assert usd[world.licensor.pk]["net"] == "600000.00"
    assert by_currency["USD"]["payments"][0]["payer"]["id"] == world.licensor.pk
    assert by_currency["USD"]["payments"][0]["amount"] == "600000.00"
    # Lumina spent CNY 2M on a 50/50 package: Northbridge owes CNY 1M, USD 140k at the rate of 1 September.
    cny = by_currency["CNY"]
    assert cny["payments"][0]["payer"]["id"] == world.partner.pk
    assert cny["payments"][0]["amount"] == "1000000.00"
    assert cny["payments"][0]["amount_usd"] == "140000.00"
    assert cny["usd_rate_date"] == "2026-09-01"


def test_the_reconciliation_reads_in_a_constant_number_of_queries(world, django_assert_max_num_queries):
    alliance = co_development(world)
    packages = [services.work_package_create(actor=world.admin, alliance=alliance, code=f"WP{n}", title="Work",
                                             assigned_company=world.licensor) for n in range(5)]
    for package in packages:
        for _ in range(4):
            services.cost_record(actor=world.admin, work_package=package, year=2026, quarter=1, currency="EUR",
                                 amount="1000.00")
    from apps.alliance.reconciliation import alliance_reconciliation

    with django_assert_max_num_queries(6):
        alliance_reconciliation(alliance=alliance, year=2026, quarter=1)


def test_a_party_records_only_its_own_costs_and_bad_amounts_write_nothing(world):
    alliance = co_development(world)
    wp = services.work_package_create(actor=world.admin, alliance=alliance, code="WP1", title="Phase 3",
                                      assigned_company=world.partner)
    client = world.client("member")
    bad = client.post("/api/v1/alliance-costs/", {"work_package": wp.pk, "year": 2026, "quarter": 1,
                                                  "currency": "JPY", "amount": "10.5"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_amount"
    ok = client.post("/api/v1/alliance-costs/", {"work_package": wp.pk, "year": 2026, "quarter": 1,
                                                 "currency": "JPY", "amount": "1050"}, format="json")
    assert ok.status_code == 201 and ok.json()["company"] == world.licensor.pk
