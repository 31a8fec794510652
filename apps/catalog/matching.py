"""Matching published assets to partner companies' interest profiles.

A profile criterion left empty means "any". An asset matches a profile when every criterion the profile
sets is met and the profile sets at least one. `recommended` ranks by how many criteria matched.
Only teaser fields take part, so matching never reveals the confidential core.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from apps.catalog.models import STAGE_RANK, Asset, AssetStatus, InterestProfile, Stage
from apps.companies.models import VerificationStatus

CRITERIA = ("therapeutic_areas", "modalities", "stage", "territories", "deal_types")


@dataclass(frozen=True)
class Teaser:
    """The fields matching reads: from an Asset or a `.values()` row."""

    modality: str
    stage: str
    therapeutic_areas: tuple[str, ...]
    territories: frozenset[str]
    deal_types: tuple[str, ...]

    @classmethod
    def of(cls, asset: Any) -> "Teaser":
        get = asset.get if isinstance(asset, dict) else lambda name: getattr(asset, name)
        return cls(str(get("modality")), str(get("stage")), tuple(get("therapeutic_areas") or ()),
                   frozenset(get("territories") or ()), tuple(get("deal_types") or ()))


def specified_criteria(profile: InterestProfile) -> list[str]:
    specified = [name for name in ("therapeutic_areas", "modalities", "territories", "deal_types")
                 if getattr(profile, name)]
    if profile.stage_min or profile.stage_max:
        specified.insert(2, "stage")
    return specified


def matched_criteria(profile: InterestProfile, teaser: Teaser) -> list[str]:
    """The profile criteria this asset meets (in CRITERIA order)."""
    matched = []
    if profile.therapeutic_areas and set(profile.therapeutic_areas) & set(teaser.therapeutic_areas):
        matched.append("therapeutic_areas")
    if profile.modalities and teaser.modality in profile.modalities:
        matched.append("modalities")
    if profile.stage_min or profile.stage_max:
        low = STAGE_RANK.get(profile.stage_min, 0)
        high = STAGE_RANK.get(profile.stage_max, len(Stage.values) - 1)
        if low <= STAGE_RANK.get(teaser.stage, -1) <= high:
            matched.append("stage")
    if profile.territories and teaser.territories & set(profile.territories):
        matched.append("territories")
    if profile.deal_types and set(profile.deal_types) & set(teaser.deal_types):
        matched.append("deal_types")
    return matched


def profile_matches(profile: InterestProfile, teaser: Teaser) -> bool:
    specified = specified_criteria(profile)
    return bool(specified) and matched_criteria(profile, teaser) == specified


def matching_company_ids(asset: Asset) -> list[int]:
    """Verified partner companies (not the owner) whose profile the published asset fully matches."""
    teaser = Teaser.of(asset)
    profiles = (InterestProfile.objects.filter(company__verification_status=VerificationStatus.VERIFIED)
                .exclude(company_id=asset.owner_company_id))
    return [profile.company_id for profile in profiles.iterator(chunk_size=500) if profile_matches(profile, teaser)]


def candidate_q(profile: InterestProfile) -> Q:
    """A coarse SQL pre-filter: assets meeting at least one criterion (indexed lookups)."""
    condition = Q(pk__in=[])
    if profile.therapeutic_areas:
        condition |= Q(therapeutic_areas__has_any=list(profile.therapeutic_areas))
    if profile.modalities:
        condition |= Q(modality__in=list(profile.modalities))
    if profile.stage_min or profile.stage_max:
        low = STAGE_RANK.get(profile.stage_min, 0)
        high = STAGE_RANK.get(profile.stage_max, len(Stage.values) - 1)
        condition |= Q(stage__in=Stage.values[low:high + 1])
    if profile.territories:
        condition |= Q(territories__has_any=list(profile.territories))
    if profile.deal_types:
        condition |= Q(deal_types__has_any=list(profile.deal_types))
    return condition


def recommend(visible: QuerySet, profile: InterestProfile, *, limit: int = 20,
              candidates: int = 2000) -> list[tuple[Asset, list[str]]]:
    """Published assets in `visible` ranked by matched criteria (ties: newest first), with what matched."""
    queryset = (visible.filter(status=AssetStatus.PUBLISHED).exclude(owner_company_id=profile.company_id)
                .filter(candidate_q(profile)).order_by("-published_at", "-id")[:candidates])
    scored = []
    for asset in queryset:
        matched = matched_criteria(profile, Teaser.of(asset))
        if matched:
            scored.append((asset, matched))
    scored.sort(key=lambda pair: -len(pair[1]))  # stable: keeps newest first among equals
    return scored[:limit]
