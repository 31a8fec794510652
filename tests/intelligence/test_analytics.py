"""Analytics of public deals: groups, sums, medians and quartiles, filters in any combination, the China
out-licensing view, amounts in deal currency and USD."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import F

from apps.agreements.models import ExchangeRate
from apps.intelligence import breakdown
from apps.intelligence.models import DealRecord
from tests.intelligence.helpers import public_deal

pytestmark = pytest.mark.django_db

M = Decimal(1_000_000)


def _four_oncology_deals_in_2024():
    for upfront in (10, 20, 30, 40):
        public_deal(upfront=upfront * M, milestones_total=upfront * 10 * M, announced_on=datetime.date(2024, 5, 1))


def test_median_and_quartiles_by_year_and_area(world):
    _four_oncology_deals_in_2024()
    public_deal(therapeutic_area="immunology", upfront=7 * M, milestones_total=None,
                announced_on=datetime.date(2025, 2, 1))
    response = world.client("member").get("/api/v1/intelligence/analytics/?group_by=year,area")
    assert response.status_code == 200, response.content
    groups = {(g["key"]["year"], g["key"]["area"]): g for g in response.json()["groups"]}
    oncology = groups[(2024, "oncology")]
    assert oncology["count"] == 4
    assert oncology["upfront_usd"] == {"n": 4, "sum": "100000000.00", "q1": "17500000.00",
                                       "median": "25000000.00", "q3": "32500000.00"}
    assert oncology["total_value_usd"]["median"] == "275000000.00"  # 110, 220, 330, 440 million
    assert groups[(2025, "immunology")]["total_value_usd"]["n"] == 0  # milestones not disclosed: no total
    assert response.json()["overall"]["count"] == 5


def _by_key(group):
    return group["g_year"], group["g_area"]


def test_sql_and_python_statistics_agree(world):
    for upfront in (3, 5, 8, 13, 21, 34, 55):
        public_deal(upfront=upfront * M + Decimal("0.07"), milestones_total=upfront * 7 * M)
    public_deal(therapeutic_area="immunology", upfront=2 * M, milestones_total=None)
    queryset = DealRecord.objects.annotate(g_year=F("announced_year"), g_area=F("therapeutic_area"))
    sql, sql_overall = breakdown._sql_stats(queryset, ["g_year", "g_area"])
    python = breakdown._python_stats(queryset, ["g_year", "g_area"])
    python_overall = breakdown._python_stats(DealRecord.objects.all(), [])[0]
    assert len(sql) == len(python) == 2
    for field in ("upfront_usd", "total_value_usd"):
        for sql_group, python_group in zip(sorted(sql, key=_by_key), sorted(python, key=_by_key), strict=True):
            assert breakdown.stat_block(sql_group[field]) == breakdown.stat_block(python_group[field])
        assert breakdown.stat_block(sql_overall[field]) == breakdown.stat_block(python_overall[field])
    assert sql_overall["count"] == python_overall["count"] == 8
    assert [g["by_currency"] for g in sorted(sql, key=_by_key)] == \
        [g["by_currency"] for g in sorted(python, key=_by_key)]


def test_groups_come_in_the_order_asked_for(world):
    public_deal(therapeutic_area="oncology", announced_on=datetime.date(2023, 3, 1))
    public_deal(therapeutic_area="immunology", announced_on=datetime.date(2024, 3, 1))
    public_deal(therapeutic_area="oncology", announced_on=datetime.date(2024, 3, 1))
    keys = [g["key"] for g in world.client("member").get(
        "/api/v1/intelligence/analytics/?group_by=area,year").json()["groups"]]
    assert keys == [{"area": "immunology", "year": 2024}, {"area": "oncology", "year": 2023},
                    {"area": "oncology", "year": 2024}]
    keys = [g["key"] for g in world.client("member").get(
        "/api/v1/intelligence/analytics/?group_by=year,area").json()["groups"]]
    assert keys == [{"year": 2023, "area": "oncology"}, {"year": 2024, "area": "immunology"},
                    {"year": 2024, "area": "oncology"}]


def test_filters_combine_and_unknown_values_are_400(world):
    _four_oncology_deals_in_2024()
    public_deal(modality="adc", licensee_country="JP", announced_on=datetime.date(2023, 1, 1))
    response = world.client("member").get(
        "/api/v1/intelligence/analytics/?group_by=modality&modality=adc,bispecific_antibody&licensee_country=jp"
        "&year_from=2023&year_to=2023")
    assert [g["key"] for g in response.json()["groups"]] == [{"modality": "adc"}]
    bad = world.client("member").get("/api/v1/intelligence/analytics/?modality=pill&group_by=colour")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"modality", "group_by"}


def test_china_out_licensing_keeps_mainland_licensors_with_partners_abroad(world):
    public_deal(licensor_country="CN", licensee_country="US")
    public_deal(licensor_country="CN", licensee_country="HK")  # Hong Kong counts as outside the mainland
    public_deal(licensor_country="CN", licensee_country="CN")  # domestic
    public_deal(licensor_country="US", licensee_country="CN")  # in-licensing
    response = world.client("member").get("/api/v1/intelligence/analytics/china-out-licensing/?group_by=year")
    assert response.json()["overall"]["count"] == 2
    assert response.json()["filters"]["china_out_licensing"] is True


def test_amounts_in_deal_currency_and_in_usd_with_the_dated_rate(world):
    ExchangeRate.objects.create(currency="CNY", usd_per_unit=Decimal("0.14"), valid_on=datetime.date(2024, 1, 1))
    public_deal(currency="CNY", upfront=100 * M, milestones_total=None)
    public_deal(currency="USD", upfront=10 * M, milestones_total=None)
    public_deal(currency="EUR", upfront=10 * M, milestones_total=None)  # no EUR rate yet: counted, not guessed
    group = world.client("member").get("/api/v1/intelligence/analytics/?group_by=year").json()["groups"][0]
    assert group["by_currency"]["CNY"]["upfront_sum"] == "100000000.00"
    assert group["upfront_usd"]["sum"] == "24000000.00"  # 14 M from CNY + 10 M
    assert group["upfront_usd"]["n"] == 2 and group["missing_usd_rate"] == 1


def test_quarters_are_labelled(world):
    public_deal(announced_on=datetime.date(2024, 8, 15))
    response = world.client("member").get("/api/v1/intelligence/analytics/?group_by=quarter")
    assert response.json()["groups"][0]["key"] == {"quarter": "2024-Q3"}


def test_analytics_are_for_verified_companies_and_staff(world):
    public_deal()
    assert world.client("staff").get("/api/v1/intelligence/analytics/").status_code == 200
    assert world.client("outsider").get("/api/v1/intelligence/analytics/").status_code == 404
    assert world.client("anonymous").get("/api/v1/intelligence/analytics/").status_code == 401


def test_market_figures_are_apart_and_carry_their_source(world):
    body = {"metric": "upfront_total", "period_label": "2024", "period_start": "2024-01-01",
            "period_end": "2024-12-31", "scope_en": "China out-licensing deals", "value": "3940000000",
            "currency": "USD", "source_name": "Example source", "source_url": "https://example.test/2024",
            "as_of": "2025-03-20"}
    created = world.client("staff").post("/api/v1/intelligence/market-figures/", body, format="json")
    assert created.status_code == 201, created.content
    listed = world.client("member").get("/api/v1/intelligence/market-figures/").json()
    figure = (listed["results"] if isinstance(listed, dict) else listed)[0]
    assert figure["source_url"] == "https://example.test/2024" and figure["value"] == "3940000000.00"
    missing_source = world.client("staff").post("/api/v1/intelligence/market-figures/",
                                                {**body, "source_url": ""}, format="json")
    assert missing_source.status_code == 400
    count_with_currency = world.client("staff").post("/api/v1/intelligence/market-figures/",
                                                     {**body, "metric": "deal_count"}, format="json")
    assert count_with_currency.status_code == 400


def test_no_matching_record_gives_no_group_and_an_empty_overall_row(world):
    public_deal(therapeutic_area="oncology")
    body = world.client("member").get("/api/v1/intelligence/analytics/?group_by=year,area&area=immunology").json()
    assert body["groups"] == [] and body["overall"]["count"] == 0
    assert body["overall"]["upfront_usd"] == {"n": 0, "sum": None, "q1": None, "median": None, "q3": None}


def test_an_edited_deal_moves_to_its_new_year_and_amounts(world):
    """The year and the amounts the quartiles sort are stored by the database from the edited fields."""
    deal = public_deal(announced_on=datetime.date(2023, 6, 1), upfront=10 * M, milestones_total=None)
    deal.announced_on, deal.upfront = datetime.date(2025, 6, 1), 30 * M
    deal.save()
    groups = world.client("member").get("/api/v1/intelligence/analytics/?group_by=year").json()["groups"]
    assert [(g["key"]["year"], g["upfront_usd"]["median"]) for g in groups] == [(2025, "30000000.00")]
