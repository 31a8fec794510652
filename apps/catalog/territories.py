"""Territories: where licence rights apply, as sets of ISO 3166-1 alpha-2 country codes.

A `Territory` is a frozenset of country codes. Clients name it with region codes and/or country
codes, optionally subtracting some: "worldwide_ex_greater_china", ["eu", "GB", "CH"],
{"include": ["worldwide"], "exclude": ["greater_china", "RU"]}. Whatever the spelling, the stored
value is the resolved set, so two territories compare, overlap and subtract as plain sets.

Region codes are lower case (``eu``), country codes upper case (``DE``); parsing accepts either case
for either, because a region code and a country code never collide (``us`` the region is exactly
``US`` the country).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.countries import COUNTRY_CODES, MAINLAND_CHINA
from apps.core.errors import ValidationFailed


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


GREATER_CHINA_CODES = frozenset({MAINLAND_CHINA, "HK", "MO", "TW"})

EU_CODES = _codes("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE")
assert len(EU_CODES) == 27

# European Economic Area outside the EU, plus the UK and Switzerland: the usual "Europe" of a licence.
EUROPE_CODES = EU_CODES | frozenset({"IS", "LI", "NO", "GB", "CH"})

ASEAN_CODES = _codes("BN KH ID LA MY MM PH SG TH VN")
LATAM_CODES = _codes("AR BO BR CL CO CR CU DO EC SV GT HT HN MX NI PA PY PE UY VE")
MENA_CODES = _codes("DZ BH EG IR IQ IL JO KW LB LY MA OM PS QA SA SY TN AE YE")
GCC_CODES = _codes("BH KW OM QA SA AE")
NORTH_AMERICA_CODES = frozenset({"US", "CA"})

# Maximum number of tokens in one territory spec: a whole country list is ~250; keeps parsing bounded.
MAX_TOKENS = 600


@dataclass(frozen=True)
class Region:
    code: str
    name_en: str
    name_zh: str
    countries: frozenset[str]
    # Ranked "emerging market" groups are the ones platforms say multinationals under-serve.
    emerging_market: bool = False

    def name(self, language: str | None = None) -> str:
        language = (language or get_language() or "en").lower()
        return self.name_zh if language.startswith("zh") else self.name_en

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name(),
            "name_en": self.name_en,
            "name_zh": self.name_zh,
            "countries": sorted(self.countries),
            "emerging_market": self.emerging_market,
        }


_REGION_LIST = [
    Region("worldwide", "Worldwide", "全球", COUNTRY_CODES),
    Region("greater_china", "Greater China", "大中华区", GREATER_CHINA_CODES),
    Region("mainland_china", "Mainland China", "中国大陆", frozenset({MAINLAND_CHINA})),
    Region("worldwide_ex_greater_china", "Worldwide excluding Greater China", "大中华区以外的全球",
           COUNTRY_CODES - GREATER_CHINA_CODES),
    Region("us", "United States", "美国", frozenset({"US"})),
    Region("north_america", "North America", "北美", NORTH_AMERICA_CODES),
    Region("eu", "European Union", "欧盟", EU_CODES),
    Region("europe", "Europe (EU, EEA, UK, Switzerland)", "欧洲（欧盟、欧洲经济区、英国、瑞士）", EUROPE_CODES),
    Region("uk", "United Kingdom", "英国", frozenset({"GB"})),
    Region("japan", "Japan", "日本", frozenset({"JP"})),
    Region("korea", "South Korea", "韩国", frozenset({"KR"})),
    Region("asean", "ASEAN", "东盟", ASEAN_CODES, emerging_market=True),
    Region("latam", "Latin America", "拉丁美洲", LATAM_CODES, emerging_market=True),
    Region("mena", "Middle East and North Africa", "中东和北非", MENA_CODES, emerging_market=True),
    Region("gcc", "Gulf Cooperation Council", "海湾合作委员会", GCC_CODES, emerging_market=True),
]
REGIONS: dict[str, Region] = {region.code: region for region in _REGION_LIST}
for _region in _REGION_LIST:
    assert _region.countries <= COUNTRY_CODES, _region.code


def territory_codes() -> list[str]:
    """The canonical codes: regions in lower case, then ISO countries in upper case (one shared enum in the schema;
    the API accepts either case)."""
    return [*sorted(REGIONS), *sorted(COUNTRY_CODES)]


def spellings() -> list[str]:
    """Every token a territory spec accepts: each region and country code in lower or upper case."""
    codes = set(REGIONS) | set(COUNTRY_CODES)
    return sorted({code.lower() for code in codes} | {code.upper() for code in codes})


def spec_pattern() -> str:
    """A territory spec written as text: tokens separated by commas ("eu,JP"), at most MAX_TOKENS of them."""
    token = "(?:" + "|".join(spellings()) + ")"
    return f"^{token}(?:,{token}){{0,{MAX_TOKENS - 1}}}$"


def regions() -> list[Region]:
    """The named regions, in display order."""
    return list(_REGION_LIST)


def _resolve_token(token: Any) -> frozenset[str]:
    if not isinstance(token, str) or not token.strip():
        raise ValidationFailed(
            _("A territory is made of region codes and ISO country codes."),
            code="invalid_territory", fields={"territories": [str(token)[:40]]},
        )
    word = token.strip()
    if word.lower() in REGIONS:
        return REGIONS[word.lower()].countries
    if word.upper() in COUNTRY_CODES:
        return frozenset({word.upper()})
    raise ValidationFailed(
        _("Unknown region or country code: %(code)s.") % {"code": word[:40]},
        code="unknown_territory", fields={"territories": [word[:40]]},
    )


def _tokens(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        # "eu,JP" or "eu JP"
        tokens: list[Any] = [t for t in value.replace(",", " ").split() if t]
    elif isinstance(value, Iterable) and not isinstance(value, dict | bytes):
        tokens = list(value)
    else:
        raise ValidationFailed(_("A territory is made of region codes and ISO country codes."),
                               code="invalid_territory")
    if len(tokens) > MAX_TOKENS:
        raise ValidationFailed(_("Too many territory codes."), code="invalid_territory")
    return tokens


class Territory(frozenset):
    """An immutable set of ISO country codes."""

    @classmethod
    def parse(cls, value: Any) -> Territory:
        """Resolve a spec (str, list of codes, or {"include": [...], "exclude": [...]}) or raise 400."""
        if isinstance(value, Territory):
            return value
        if isinstance(value, dict):
            unknown = set(value) - {"include", "exclude"}
            if unknown:
                raise ValidationFailed(_("A territory accepts only 'include' and 'exclude'."),
                                       code="invalid_territory", fields={"territories": sorted(unknown)})
            included = cls._union(_tokens(value.get("include")))
            excluded = cls._union(_tokens(value.get("exclude")))
            return cls(included - excluded)
        return cls(cls._union(_tokens(value)))

    @staticmethod
    def _union(tokens: list[Any]) -> frozenset[str]:
        codes: set[str] = set()
        for token in tokens:
            codes |= _resolve_token(token)
        return frozenset(codes)

    @classmethod
    def of_region(cls, code: str) -> Territory:
        return cls(_resolve_token(code))

    def overlap(self, other: Iterable[str]) -> Territory:
        """The countries both territories contain (empty when they do not overlap)."""
        return Territory(self & frozenset(other))

    def overlaps(self, other: Iterable[str]) -> bool:
        return not self.isdisjoint(frozenset(other))

    def covers(self, other: Iterable[str]) -> bool:
        return self >= frozenset(other)

    def without(self, other: Iterable[str]) -> Territory:
        return Territory(self - frozenset(other))

    def codes(self) -> list[str]:
        """Sorted country codes: the stored form."""
        return sorted(self)

    def region_code(self) -> str | None:
        """The named region this territory is exactly, if any."""
        for region in _REGION_LIST:
            if region.countries == self:
                return region.code
        return None

    def describe(self, language: str | None = None) -> str:
        """A short human label: the region name if it is one, else the sorted codes."""
        code = self.region_code()
        if code:
            return REGIONS[code].name(language)
        return ", ".join(self.codes())

    def spec(self) -> dict[str, list[str]]:
        """The territory as named regions and exclusions, the way people enter it ({"include": ["worldwide"],
        "exclude": ["greater_china", "FR"]}) rather than ~245 codes: the shortest such spec that resolves to exactly
        these countries. A valid input spec, so what the API returns it accepts back."""
        include, exclude = _spec_of(frozenset(self))
        return {"include": list(include), "exclude": list(exclude)} if exclude else {"include": list(include)}

    def __repr__(self) -> str:
        return f"Territory({self.region_code() or self.codes()!r})"


def _cover(codes: frozenset[str]) -> tuple[str, ...]:
    """Regions inside `codes` (largest first, each adding at least two countries), then the countries left."""
    for region in _REGION_LIST:
        if region.countries == codes:
            return (region.code,)
    chosen: list[str] = []
    left = set(codes)
    for region in sorted(_REGION_LIST, key=lambda r: -len(r.countries)):
        if region.countries <= codes and len(region.countries & left) >= 2:
            chosen.append(region.code)
            left -= region.countries
    return (*chosen, *sorted(left))


@lru_cache(maxsize=4096)  # list pages repeat a handful of territories: one computation each
def _spec_of(codes: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    best: tuple[tuple[str, ...], tuple[str, ...]] = (_cover(codes), ())
    for region in _REGION_LIST:
        if codes and codes < region.countries:
            candidate = ((region.code,), _cover(region.countries - codes))
            if len(candidate[0]) + len(candidate[1]) < len(best[0]) + len(best[1]):
                best = candidate
    return best


def parse_territory(value: Any) -> Territory:
    return Territory.parse(value)


def _canonical_token(token: Any) -> str:
    word = str(token).strip()
    return word.lower() if word.lower() in REGIONS else word.upper()


def canonical_spec(spec: Any) -> dict[str, list[str]]:
    """Validate a spec as people wrote it (400 on unknown codes or an empty result) and return it canonical:
    {"include": [...], "exclude": [...]}, region codes lower case, country codes upper case, sorted, no
    duplicates. Agreement terms keep this form, so that two spellings of one spec hash the same."""
    if isinstance(spec, str | list):
        spec = {"include": spec}
    if not Territory.parse(spec):
        raise ValidationFailed(_("The territory is empty once the exclusions are removed."), code="empty_territory")
    return {part: sorted({_canonical_token(token) for token in _tokens(spec.get(part))})
            for part in ("include", "exclude")}


def describe_spec(spec: dict[str, Any], language: str | None = None) -> str:
    """"Worldwide excluding Greater China" when a canonical spec is exactly a named region, else its include and
    exclude codes as written."""
    territory = Territory.parse(spec)
    if territory.region_code():
        return territory.describe(language)
    include = ", ".join(spec.get("include") or [])
    exclude = ", ".join(spec.get("exclude") or [])
    return f"{include} − {exclude}" if exclude else include


WORLDWIDE = Territory(COUNTRY_CODES)
GREATER_CHINA = Territory(GREATER_CHINA_CODES)
WORLDWIDE_EX_GREATER_CHINA = Territory(COUNTRY_CODES - GREATER_CHINA_CODES)
