"""Matching published rounds to investor theses, on the catalog's rule (apps/catalog/matching.py).

A thesis criterion left empty means "any". A round matches a thesis when every criterion the thesis sets is
met and the thesis sets at least one; `recommended` ranks by how many criteria matched (ties: newest first).
Only teaser fields and the raising company's country take part, so matching never reveals the core.

The ticket criterion compares in USD at the latest exchange rate staff entered (apps.agreements): the thesis's
smallest ticket must not exceed the round's target. Without a rate the criterion is not met (we do not guess).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from apps.agreements.money import BASE_CURRENCY, Money
from apps.agreements.selectors import exchange_rate
from apps.companies.models import CompanyKind, VerificationStatus
from apps.financing.models import InvestorProfile, Round, RoundStatus

CRITERIA = ("therapeutic_areas", "modalities", "round_stages", "geographies", "instruments", "ticket_size")


class UsdRates:
    """USD per unit per currency, read once per currency for one matching run."""

    def __init__(self) -> None:
        self._rates: dict[str, Decimal | None] = {BASE_CURRENCY: Decimal(1)}

    def usd(self, amount: Decimal | None, currency: str) -> Decimal | None:
        if amount is None:
            return None
        if currency not in self._rates:
            entered = exchange_rate(currency)
            self._rates[currency] = entered.usd_per_unit if entered else None
        rate = self._rates[currency]
        return None if rate is None else Money(amount, currency).convert(rate, BASE_CURRENCY).amount


@dataclass(frozen=True)
class RoundTeaser:
    """What matching reads of a round."""

    stage: str
    instrument: str
    country: str
    therapeutic_areas: frozenset[str]
    modalities: frozenset[str]
    target_usd: Decimal | None

    @classmethod
    def of(cls, round_: Round, rates: UsdRates) -> RoundTeaser:
        return cls(round_.stage, round_.instrument, round_.company.country, frozenset(round_.therapeutic_areas or ()),
                   frozenset(round_.modalities or ()), rates.usd(round_.target_amount, round_.currency))


def specified_criteria(profile: InvestorProfile) -> list[str]:
    specified = [name for name in CRITERIA[:5] if getattr(profile, name)]
    if profile.ticket_min is not None:
        specified.append("ticket_size")
    return specified


def matched_criteria(profile: InvestorProfile, teaser: RoundTeaser, rates: UsdRates) -> list[str]:
    """The thesis criteria this round meets (in CRITERIA order)."""
    matched = []
    if profile.therapeutic_areas and teaser.therapeutic_areas & set(profile.therapeutic_areas):
        matched.append("therapeutic_areas")
    if profile.modalities and teaser.modalities & set(profile.modalities):
        matched.append("modalities")
    if profile.round_stages and teaser.stage in profile.round_stages:
        matched.append("round_stages")
    if profile.geographies and teaser.country in profile.geographies:
        matched.append("geographies")
    if profile.instruments and teaser.instrument in profile.instruments:
        matched.append("instruments")
    if profile.ticket_min is not None:
        smallest = rates.usd(profile.ticket_min, profile.ticket_currency)
        if smallest is not None and teaser.target_usd is not None and smallest <= teaser.target_usd:
            matched.append("ticket_size")
    return matched


def profile_matches(profile: InvestorProfile, teaser: RoundTeaser, rates: UsdRates) -> bool:
    specified = specified_criteria(profile)
    return bool(specified) and matched_criteria(profile, teaser, rates) == specified


def investor_profiles() -> QuerySet[InvestorProfile]:
    """Theses that take part in matching: those of verified investor companies."""
    return InvestorProfile.objects.filter(company__verification_status=VerificationStatus.VERIFIED,
                                          company__kind=CompanyKind.INVESTOR)


def matching_company_ids(round_: Round) -> list[int]:
    """Verified investor companies (not the raising company) whose thesis the published round fully matches."""
    rates = UsdRates()
    teaser = RoundTeaser.of(round_, rates)
    profiles = investor_profiles().exclude(company_id=round_.company_id)
    return [profile.company_id for profile in profiles.iterator(chunk_size=500)
            if profile_matches(profile, teaser, rates)]


def candidate_q(profile: InvestorProfile) -> Q:
    """A coarse SQL pre-filter: rounds meeting at least one criterion (ticket size is checked in Python)."""
    condition = Q(pk__in=[])
    if profile.therapeutic_areas:
        condition |= Q(therapeutic_areas__has_any=list(profile.therapeutic_areas))
    if profile.modalities:
        condition |= Q(modalities__has_any=list(profile.modalities))
    if profile.round_stages:
        condition |= Q(stage__in=list(profile.round_stages))
    if profile.geographies:
        condition |= Q(company__country__in=list(profile.geographies))
    if profile.instruments:
        condition |= Q(instrument__in=list(profile.instruments))
    if profile.ticket_min is not None:
        condition = Q()  # any round may meet the ticket criterion alone
    return condition


def recommend(visible: QuerySet, profile: InvestorProfile, *, limit: int = 20,
              candidates: int = 2000) -> list[tuple[Any, list[str]]]:
    """Published rounds in `visible` ranked by matched criteria (ties: newest first), with what matched."""
    if not specified_criteria(profile):
        return []
    rates = UsdRates()
    queryset = (visible.filter(status=RoundStatus.PUBLISHED).exclude(company_id=profile.company_id)
                .filter(candidate_q(profile)).order_by("-published_at", "-id")[:candidates])
    scored = []
    for round_ in queryset:
        matched = matched_criteria(profile, RoundTeaser.of(round_, rates), rates)
        if matched:
            scored.append((round_, matched))
    scored.sort(key=lambda pair: -len(pair[1]))  # stable: keeps newest first among equals
    return scored[:limit]
