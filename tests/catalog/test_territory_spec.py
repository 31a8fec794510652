"""A listing's territory reads as the named regions and exclusions it amounts to, not ~245 country codes per row;
`?expand=territories` adds the codes; what the API returns it accepts back (Territory.spec())."""

import json

import pytest

from apps.catalog.models import Asset, AssetStatus
from apps.catalog.territories import COUNTRY_CODES, GREATER_CHINA_CODES, REGIONS, Territory
from tests.catalog.helpers import make_asset

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("entered", "read"), [
    ({"include": ["worldwide"], "exclude": ["greater_china"]}, {"include": ["worldwide_ex_greater_china"]}),
    ({"include": ["worldwide"], "exclude": ["greater_china", "fr"]},
     {"include": ["worldwide_ex_greater_china"], "exclude": ["FR"]}),
    ("worldwide", {"include": ["worldwide"]}),
    (["eu", "JP"], {"include": ["eu", "JP"]}),
    ({"include": ["eu"], "exclude": ["FR", "DE"]}, {"include": ["eu"], "exclude": ["DE", "FR"]}),
])
def test_a_listing_reads_its_territory_as_regions_and_exclusions(world, entered, read):
    client = world.client("member")
    payload = {"code_name": "TER-1", "modality": "adc", "stage": "phase_1", "territories": entered}
    created = client.post("/api/v1/assets/", payload, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["territories"] == read
    listed = client.get("/api/v1/assets/").json()["results"]
    assert [row["territories"] for row in listed] == [read]
    assert "territory_countries" not in listed[0]
    assert len(json.dumps(listed[0]["territories"])) < 120  # not ~245 codes


def test_expand_adds_the_country_codes(world):
    make_asset(world.licensor, status=AssetStatus.PUBLISHED, code_name="WW-1",
               territories=sorted(COUNTRY_CODES - GREATER_CHINA_CODES))
    client = world.client("other_member")
    row = client.get("/api/v1/assets/?expand=territories").json()["results"][0]
    assert row["territory_countries"] == sorted(COUNTRY_CODES - GREATER_CHINA_CODES)
    assert row["territories"] == {"include": ["worldwide_ex_greater_china"]}
    detail = client.get(f"/api/v1/assets/{row['id']}/?expand=territories").json()
    assert detail["territory_countries"] == row["territory_countries"]
    assert client.get("/api/v1/assets/?expand=everything").status_code == 400


def test_what_is_read_is_accepted_back_unchanged(world):
    client = world.client("member")
    created = client.post("/api/v1/assets/", {
        "code_name": "TER-2", "modality": "adc", "stage": "phase_1",
        "territories": {"include": ["europe", "north_america", "JP"], "exclude": ["CH"]}}, format="json").json()
    before = Asset.objects.get(pk=created["id"]).territories
    patched = client.patch(f"/api/v1/assets/{created['id']}/", {"territories": created["territories"]}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["territories"] == created["territories"]
    assert Asset.objects.get(pk=created["id"]).territories == before


@pytest.mark.parametrize("codes", [
    sorted(COUNTRY_CODES), sorted(COUNTRY_CODES - {"US"}), ["US", "CA", "MX"],
    sorted(REGIONS["mena"].countries - {"IL"}), [], ["FR"],
    sorted(REGIONS["europe"].countries | REGIONS["asean"].countries),
])
def test_every_spec_resolves_to_exactly_its_countries(codes):
    spec = Territory(codes).spec()
    assert Territory.parse(spec) == frozenset(codes)
    assert len(spec["include"]) + len(spec.get("exclude", [])) <= max(len(codes), 1)
