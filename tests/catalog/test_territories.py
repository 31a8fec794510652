import pytest

from apps.catalog.territories import (
    EU_CODES,
    GREATER_CHINA,
    REGIONS,
    WORLDWIDE,
    WORLDWIDE_EX_GREATER_CHINA,
    Territory,
)
from apps.core.countries import COUNTRY_CODES
from apps.core.errors import ValidationFailed


def test_countries_are_the_249_iso_codes_the_api_offers():
    # django-countries' list (apps/core/countries.py): an upgrade that changes it changes the schema's CountryEnum.
    assert len(COUNTRY_CODES) == 249
    assert {"CN", "HK", "MO", "TW", "GB", "SS", "BQ", "CW", "SX"} <= COUNTRY_CODES
    assert not {"XK", "UK", "EU", "AN"} & COUNTRY_CODES


def test_greater_china_is_mainland_hong_kong_macau_taiwan():
    assert set(GREATER_CHINA) == {"CN", "HK", "MO", "TW"}


def test_worldwide_ex_greater_china_is_the_complement():
    assert WORLDWIDE_EX_GREATER_CHINA | GREATER_CHINA == WORLDWIDE == COUNTRY_CODES
    assert not WORLDWIDE_EX_GREATER_CHINA.overlaps(GREATER_CHINA)


def test_eu_has_27_members_and_no_uk():
    assert len(EU_CODES) == 27 and "GB" not in EU_CODES and "DE" in EU_CODES


def test_parse_accepts_regions_and_countries_in_any_case():
    assert Territory.parse(["EU", "jp", "us"]) == EU_CODES | {"JP", "US"}
    assert Territory.parse("asean, KR") == REGIONS["asean"].countries | {"KR"}


def test_include_exclude():
    territory = Territory.parse({"include": ["worldwide"], "exclude": ["greater_china", "RU"]})
    assert territory == WORLDWIDE_EX_GREATER_CHINA - {"RU"}


def test_overlap_returns_the_shared_countries():
    assert Territory.parse("eu").overlap(Territory.parse(["FR", "US"])) == {"FR"}
    assert Territory.parse("us").overlap(GREATER_CHINA) == set()


@pytest.mark.parametrize("bad", ["moon", ["XX"], [""], {"include": ["eu"], "only": ["FR"]}, 42, [None]])
def test_unknown_or_malformed_codes_are_refused(bad):
    with pytest.raises(ValidationFailed):
        Territory.parse(bad)


def test_region_code_and_bilingual_names():
    assert WORLDWIDE_EX_GREATER_CHINA.region_code() == "worldwide_ex_greater_china"
    assert GREATER_CHINA.describe("zh-hans") == "大中华区"
    assert GREATER_CHINA.describe("en") == "Greater China"
    assert Territory.parse(["FR", "DE"]).describe() == "DE, FR"


@pytest.mark.django_db
def test_regions_api_lists_named_regions_with_countries(world):
    response = world.client("other_member", language="zh-hans").get("/api/v1/regions/")
    assert response.status_code == 200
    regions = {region["code"]: region for region in response.json()}
    assert regions["greater_china"]["countries"] == ["CN", "HK", "MO", "TW"]
    assert regions["greater_china"]["name"] == "大中华区"
    assert regions["latam"]["emerging_market"] is True
    assert len(regions["eu"]["countries"]) == 27
