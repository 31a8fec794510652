"""The territory of an agreement, through the catalog's Territory value type (apps/catalog/territories.py).

Terms keep the territory as a canonical spec {"include": [...], "exclude": [...]} (region codes lower case,
country codes upper case, sorted, no duplicates) so that two spellings of the same spec hash the same; the
resolved set of countries is what exclusivity compares.
"""

from __future__ import annotations

from typing import Any

from apps.catalog.territories import REGIONS, Territory
from apps.core.errors import ValidationFailed

__all__ = ["Territory", "ValidationFailed", "describe", "normalize", "resolve"]


def _canonical_token(token: Any) -> str:
    word = str(token).strip()
    return word.lower() if word.lower() in REGIONS else word.upper()


def normalize(spec: Any) -> dict[str, list[str]]:
    """Validate (400 on unknown codes or an empty result) and return the canonical spec."""
    if isinstance(spec, str | list):
        spec = {"include": spec}
    territory = Territory.parse(spec)  # raises ValidationFailed with a readable message
    if not territory:
        from django.utils.translation import gettext_lazy as _

        raise ValidationFailed(_("The territory is empty once the exclusions are removed."),
                               code="empty_territory")

    def tokens(value: Any) -> list[str]:
        if value is None:
            return []
        items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
        return sorted({_canonical_token(item) for item in items})

    return {"include": tokens(spec.get("include")), "exclude": tokens(spec.get("exclude"))}


def resolve(spec: Any) -> Territory:
    return Territory.parse(spec)


def describe(spec: Any, language: str | None = None) -> str:
    """"Worldwide excluding Greater China" when the spec is a named region, else include/exclude codes."""
    territory = Territory.parse(spec)
    if territory.region_code():
        return territory.describe(language)
    include = ", ".join(spec.get("include") or [])
    exclude = ", ".join(spec.get("exclude") or [])
    return f"{include} − {exclude}" if exclude else include
