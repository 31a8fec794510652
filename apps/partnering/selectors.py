"""Reads of partnering that are not a viewset's restricted queryset: who a call reaches, an evaluation's figures
and what staff may know about evaluations (counts only)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count

from apps.catalog.models import Asset, AssetStatus
from apps.companies.models import CompanyKind, VerificationStatus
from apps.partnering.models import CallForAssets, Evaluation, EvaluationScore


def matching_biotech_ids(call: CallForAssets) -> list[int]:
    """Verified biotechs with at least one published asset meeting every criterion the call sets."""
    assets = Asset.objects.filter(status=AssetStatus.PUBLISHED, owner_company__kind=CompanyKind.BIOTECH,
                                  owner_company__verification_status=VerificationStatus.VERIFIED)
    if call.modalities:
        assets = assets.filter(modality__in=call.modalities)
    if call.stages:
        assets = assets.filter(stage__in=call.stages)
    if call.therapeutic_areas:
        assets = assets.filter(therapeutic_areas__has_any=call.therapeutic_areas)
    if call.territories:
        assets = assets.filter(territories__has_any=call.territories)
    if call.deal_types:
        assets = assets.filter(deal_types__has_any=call.deal_types)
    return list(assets.exclude(owner_company_id=call.company_id).values_list("owner_company_id", flat=True)
                .distinct())


def evaluation_summary(evaluation: Evaluation) -> dict[str, Any]:
    """Weighted total per member (Σ weight·score / Σ weight over the criteria they scored), their mean, and the
    spread (highest minus lowest member total); per criterion the mean and the spread of the members' scores."""
    scores = list(EvaluationScore.objects.filter(evaluation=evaluation, criterion__active=True)
                  .select_related("criterion"))
    by_member: dict[int, list[EvaluationScore]] = {}
    by_criterion: dict[int, list[Decimal]] = {}
    for score in scores:
        by_member.setdefault(score.scorer_id, []).append(score)
        by_criterion.setdefault(score.criterion_id, []).append(score.score)
    totals: dict[int, Decimal] = {}
    for member, rows in by_member.items():
        weight = sum((row.criterion.weight for row in rows), Decimal("0"))
        if weight > 0:
            totals[member] = _cents(sum((row.criterion.weight * row.score for row in rows), Decimal("0")) / weight)
    return {
        "members": len(totals),
        "weighted_total": _cents(sum(totals.values(), Decimal("0")) / len(totals)) if totals else None,
        "spread": _cents(max(totals.values()) - min(totals.values())) if totals else None,
        "member_totals": {str(member): str(total) for member, total in totals.items()},
        "criteria": {str(cid): {"mean": str(_cents(sum(values, Decimal("0")) / len(values))),
                                "spread": str(_cents(max(values) - min(values)))}
                     for cid, values in by_criterion.items()},
    }


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def evaluation_counts() -> dict[str, int]:
    """What staff may know about evaluations: counts only, never a company, an asset or a score."""
    totals = Evaluation.objects.aggregate(evaluations=Count("pk"), companies=Count("company", distinct=True))
    return {"evaluations": totals["evaluations"], "evaluating_companies": totals["companies"],
            "scores": EvaluationScore.objects.count()}
