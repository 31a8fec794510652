"""Bad input gets a clear 4xx and writes nothing, never a 5xx."""

import pytest

from apps.intelligence.models import DealRecord, MarketFigure
from tests.intelligence.helpers import licensor_asset, negotiation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", [
    "group_by=", "group_by=year,year", "group_by=year,area,stage", "year_from=abc", "year_to=99999",
    "china_out_licensing=maybe", "licensor_country=ZZ", "area=", "modality=%00", "stage=phase_9",
])
def test_analytics_and_charts_refuse_bad_parameters(world, query):
    for path in ("/api/v1/intelligence/analytics/", "/api/v1/intelligence/analytics/china-out-licensing/",
                 "/api/v1/intelligence/charts/deals-per-year.svg"):
        response = world.client("member").get(f"{path}?{query}")
        assert response.status_code in (200, 400), (path, query, response.status_code)
        if response.status_code == 400:
            assert response.json()["error"]["code"] == "invalid_parameters"


@pytest.mark.parametrize("body", [
    {}, {"launch_year": "soon", "peak_sales": "1", "discount_rate": "0.1"},
    {"launch_year": 2030, "peak_sales": "-5", "discount_rate": "0.1"},
    {"launch_year": 2030, "peak_sales": "1e400", "discount_rate": "0.1"},
    {"launch_year": 2030, "peak_sales": "1000", "discount_rate": "7"},
    {"launch_year": 2030, "peak_sales": "1000", "discount_rate": "0.1", "probabilities": {"phase_9": "0.5"}},
    {"launch_year": 2030, "peak_sales": "1000", "discount_rate": "0.1", "probabilities": {"phase_2": "1.5"}},
    {"launch_year": 2030, "peak_sales": "1000", "discount_rate": "0.1", "years_on_market": 0},
    {"start_year": 2100, "launch_year": 2140, "peak_sales": "1000", "discount_rate": "0.1", "years_on_market": 30},
    {"launch_year": 2030, "peak_sales": "1000", "discount_rate": "-0.9"},
    [1, 2],
])
def test_valuation_refuses_bad_input(world, body):
    agreement = negotiation(world)
    response = world.client("member").post(f"/api/v1/intelligence/agreements/{agreement.pk}/valuation/", body,
                                           format="json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("path", ["/api/v1/intelligence/agreements/abc/comparables/",
                                  "/api/v1/intelligence/agreements/99999999999999999999/comparables/",
                                  "/api/v1/intelligence/asset-comparables/abc/",
                                  "/api/v1/intelligence/asset-comparables/99999999999999999999/",
                                  "/api/v1/intelligence/deals/99999999999999999999/"])
def test_malformed_ids_are_404(world, path):
    assert world.client("member").get(path).status_code == 404


def test_bad_records_and_figures_write_nothing(world):
    staff = world.client("staff")
    for body in ({"reference": "x"}, {"reference": "bad ref!", "announced_on": "yesterday"}, [], "text"):
        assert staff.post("/api/v1/intelligence/deals/", body, format="json").status_code == 400
    for body in ({"metric": "deal_count"}, {"metric": "upfront_total", "value": "-1"}):
        assert staff.post("/api/v1/intelligence/market-figures/", body, format="json").status_code == 400
    assert not DealRecord.objects.exists() and not MarketFigure.objects.exists()


def test_an_asset_without_areas_has_no_comparables_but_no_error(world):
    asset = licensor_asset(world, code="LMN-NOAREA", areas=[])
    asset.therapeutic_areas = []
    asset.save()
    response = world.client("member").get(f"/api/v1/intelligence/asset-comparables/{asset.pk}/")
    assert response.status_code == 200 and response.json()["count"] == 0
