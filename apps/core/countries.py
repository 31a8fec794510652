"""ISO 3166-1 alpha-2 country codes: the unit every territory is built from.

The list is django-countries' (a maintained copy of the standard, pinned in requirements.txt), not ours: the
codes only. The product names no country in words (territories are codes and the regions' bilingual names in
apps/catalog/territories.py); should it ever, django-countries has the Chinese names too (its zh_Hans catalogue,
loaded once "django_countries" is in INSTALLED_APPS). An upgrade that changes the standard's list changes the
schema's CountryEnum: tests/catalog/test_territories.py pins it so the change is seen.
"""

from django_countries import countries

COUNTRY_CODES: frozenset[str] = frozenset(countries.countries)


def country_codes() -> list[str]:
    """The codes in order: the schema's one CountryEnum."""
    return sorted(COUNTRY_CODES)


# Mainland China is "CN"; Hong Kong, Macau and Taiwan are separate codes (Greater China = all four).
MAINLAND_CHINA = "CN"
