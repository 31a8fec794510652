"""K-anonymity of platform deals: an attacker tries every way the API offers to isolate one contributed deal.

The world: nine released platform deals in oncology and one in immunology (the target, upfront USD 77 M), plus
public deals (ten contributions: two batches of K entered the statistics). Nobody but the target's parties may
learn anything about the target alone."""

import datetime
import itertools
from decimal import Decimal

import pytest

from apps.intelligence import selectors
from apps.intelligence.models import K_ANONYMITY, DealRecord
from tests.intelligence.helpers import licensor_asset, platform_deal, public_deal, quick_platform_deal

pytestmark = pytest.mark.django_db

ATTACKERS = ("outsider", "other_member", "member", "owner", "staff")


@pytest.fixture
def target(world):
    for millions in range(10, 100, 10):  # five released, four waiting: the target's consent releases those five
        quick_platform_deal(f"{millions}000000", area="oncology", year=2025, released=millions <= 50)
    target = platform_deal("77000000", area="immunology", year=2024)
    public_deal(therapeutic_area="immunology", announced_on=datetime.date(2024, 6, 1))
    public_deal(therapeutic_area="oncology", modality="adc")
    assert DealRecord.objects.filter(source_kind="platform", released_at__isnull=False).count() == 10
    return target


def _analytics(world, persona, query=""):
    response = world.client(persona).get(f"/api/v1/intelligence/analytics/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def _mentions(payload, amount="77000000"):
    return amount in str(payload)


def test_nobody_but_its_parties_reads_the_platform_deal(world, target):
    for persona in ATTACKERS:
        assert world.client(persona).get(f"/api/v1/intelligence/deals/{target.pk}/").status_code == 404
        listed = world.client(persona).get("/api/v1/intelligence/deals/?source_kind=platform").json()
        assert (listed.get("count", 0) if isinstance(listed, dict) else len(listed)) == 0
    party = world.client("anonymous")
    party.force_authenticate(target.owner)
    assert party.get(f"/api/v1/intelligence/deals/{target.pk}/").status_code == 200


def test_filters_never_move_the_platform_block(world, target):
    """Differencing: any two filtered queries give the very same platform figures (so 'A minus B' is zero)."""
    baseline = _analytics(world, "member", "group_by=area")["platform"]
    queries = ["area=immunology", "area=oncology", "year_from=2024&year_to=2024", "modality=adc",
               "licensor_country=CN", "china_out_licensing=true", "area=immunology&year_from=2024&year_to=2024",
               "territory=worldwide_ex_greater_china&stage=phase_1"]
    for query in queries:
        assert _analytics(world, "member", f"group_by=area&{query}")["platform"] == baseline, query


def test_no_cell_smaller_than_k_and_no_residue_smaller_than_k(world, target):
    """The immunology cell (1 deal) is suppressed; showing oncology (9) would reveal it as 'overall minus
    oncology', so oncology is suppressed too."""
    for dims in selectors.DIMENSIONS:
        block = _analytics(world, "member", f"group_by={dims}")["platform"]
        assert all(group["count"] >= K_ANONYMITY for group in block["groups"]), dims
        residue = block["overall"]["count"] - sum(group["count"] for group in block["groups"])
        assert residue == 0 or residue >= K_ANONYMITY, dims
        assert not _mentions(block), dims
    area_block = _analytics(world, "member", "group_by=area")["platform"]
    assert area_block["groups"] == [] and area_block["overall"]["count"] == 10
    assert _analytics(world, "member", "group_by=year,area")["platform"]["groups"] == []


def test_platform_amounts_are_coarse_and_never_a_single_deal(world, target):
    block = _analytics(world, "member", "group_by=year")["platform"]
    overall = block["overall"]["upfront_usd"]
    assert overall["sum"] == "530000000.00"  # 527 M exactly, rounded to two significant digits
    for value in (overall["q1"], overall["median"], overall["q3"]):
        assert Decimal(value) == Decimal(value).quantize(Decimal("1E+6"))  # two significant digits, no cents


def test_public_views_never_draw_or_compare_platform_deals(world, target):
    public_ids = set(DealRecord.objects.filter(source_kind="public").values_list("pk", flat=True))
    asset = licensor_asset(world, code="LMN-ADC", areas=["immunology"])
    asset.modality = "adc"
    asset.stage = "phase_1"
    asset.save()
    for persona in ATTACKERS:
        comparables = world.client(persona).get(f"/api/v1/intelligence/asset-comparables/{asset.pk}/")
        if comparables.status_code == 200:
            assert {row["id"] for row in comparables.json()["comparables"]} <= public_ids
            assert not _mentions(comparables.json())
        assert world.client(persona).get("/api/v1/intelligence/analytics/?area=immunology&group_by=year") \
            .json().get("overall", {}).get("count", 0) in (0, 1)  # the one public immunology deal, never the target
    rows = selectors.chart_deals_per_year(world.staff, selectors.parse_analytics_params({}))
    assert sum(row["count"] for row in rows) == len(public_ids)
    points = selectors.chart_upfront_vs_total(world.staff, selectors.parse_analytics_params({}))
    assert Decimal("77000000.00") not in {point[0] for point in points}


def test_contributions_enter_statistics_in_batches_of_k(world, target):
    """One new contribution does not move any figure (it waits until K are pending, then all enter together)."""
    before = _analytics(world, "member", "group_by=area")["platform"]
    platform_deal("60000000", area="oncology", year=2025)
    assert _analytics(world, "member", "group_by=area")["platform"] == before
    for upfront in ("61000000", "62000000", "63000000"):
        platform_deal(upfront, area="oncology", year=2025)  # the real consent flow: pending until K wait
    assert _analytics(world, "member", "group_by=area")["platform"] == before  # 4 pending: still the same
    platform_deal("64000000", area="oncology", year=2025)
    after = _analytics(world, "member", "group_by=area")["platform"]
    assert after["overall"]["count"] == before["overall"]["count"] + K_ANONYMITY


def test_a_released_deal_cannot_be_withdrawn(world, target):
    client = world.client("anonymous")
    client.force_authenticate(target.owner)
    response = client.delete(f"/api/v1/intelligence/agreements/{target.agreement_id}/contribution/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "already_released"


def test_below_k_platform_deals_nothing_is_shown(world):
    for upfront in ("10000000", "20000000", "30000000", "40000000"):
        platform_deal(upfront, released=False)
    block = _analytics(world, "member", "group_by=year")["platform"]
    assert block["suppressed"] is True and block["overall"] is None and block["groups"] == []


def test_every_filter_combination_gives_the_same_platform_block(world, target):
    """Brute force over the filter values an attacker would use to narrow onto the target."""
    values = {"area": ["", "immunology"], "year_from": ["", "2024"], "year_to": ["", "2024"],
              "modality": ["", "adc"], "licensor_country": ["", "CN"]}
    blocks = set()
    for combination in itertools.product(*values.values()):
        query = "&".join(f"{name}={value}" for name, value in zip(values, combination, strict=True) if value)
        blocks.add(str(_analytics(world, "other_member", f"group_by=year&{query}")["platform"]))
    assert len(blocks) == 1
