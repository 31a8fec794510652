"""Reads of the provider marketplace. Every queryset starts from `for_user` (fail closed)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.fields import DateField
from django.utils import timezone

from apps.agreements.models import ExchangeRate
from apps.agreements.money import BASE_CURRENCY, Money, to_str
from apps.companies.models import CompanyKind, VerificationStatus
from apps.core.authz import VIEW

from .models import (
    Proposal,
    ProposalStatus,
    ProviderProfile,
    ProviderRecord,
    RequestStatus,
    RequestVisibility,
    ServiceRequest,
)


def providers_base() -> QuerySet[ProviderProfile]:
    """Profiles with what the list shows (company, records): a fixed number of queries per page, whatever its size.
    Not restricted: the API view and `providers_for` restrict it."""
    return ProviderProfile.objects.select_related("company").prefetch_related(
        Prefetch("records", queryset=ProviderRecord.objects.order_by("-date", "id")))


def providers_for(user: Any) -> QuerySet[ProviderProfile]:
    """Provider profiles `user` may read."""
    return providers_base().for_user(user, VIEW)  # type: ignore[attr-defined]


def requests_for(user: Any) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.for_user(user, VIEW).select_related("company", "asset")


def _usd_rate(on: datetime.date, field: str) -> Subquery:
    """The latest rate for the proposal's currency valid on `on` (the agreements' dated rates), as a subquery."""
    rates = (ExchangeRate.objects.filter(currency=OuterRef("current_version__currency"), valid_on__lte=on)
             .order_by("-valid_on"))
    output = DecimalField(max_digits=18, decimal_places=8) if field == "usd_per_unit" else DateField()
    return Subquery(rates.values(field)[:1], output_field=output)


def proposals_compared(*, user: Any, request: ServiceRequest, on: datetime.date | None = None) -> dict[str, Any]:
    """All live proposals of a request side by side, amounts also in USD at the latest rate valid on `on` (default
    today). One query, whatever the number of proposals: versions, companies and rates are joined or subqueried.
    A currency without a rate gets `amount_usd: null` and is listed in `missing_rates`, never guessed."""
    on = on or timezone.now().date()
    proposals = (Proposal.objects.for_user(user, VIEW).filter(request=request)
                 .exclude(status=ProposalStatus.WITHDRAWN)
                 .select_related("company", "current_version")
                 .annotate(usd_per_unit=_usd_rate(on, "usd_per_unit"), rate_valid_on=_usd_rate(on, "valid_on"))
                 .order_by("created_at", "id"))
    rows = []
    missing: set[str] = set()
    for proposal in proposals:
        version = proposal.current_version
        if version is None:
            continue
        rate: Decimal | None = Decimal(1) if version.currency == BASE_CURRENCY else proposal.usd_per_unit
        if rate is None:
            missing.add(version.currency)
        usd = Money(version.amount, version.currency).convert(rate, BASE_CURRENCY) if rate is not None else None
        rows.append({
            "proposal": proposal.pk,
            "provider": {"id": proposal.company_id, "name_en": proposal.company.name_en,
                         "name_zh": proposal.company.name_zh, "country": proposal.company.country},
            "status": proposal.status,
            "version": version.number,
            "submitted_at": version.created_at,
            "pricing_model": version.pricing_model,
            "amount": to_str(version.amount, version.currency),
            "currency": version.currency,
            "amount_usd": to_str(usd.amount, BASE_CURRENCY) if usd is not None else None,
            "usd_rate": str(rate) if rate is not None else None,
            "rate_valid_on": proposal.rate_valid_on if version.currency != BASE_CURRENCY else None,
            "milestones": version.milestones,
            "timeline": version.timeline,
            "team": version.team,
            "assumptions": version.assumptions,
        })
    return {"request": request.pk, "rates_on": on, "proposals": rows, "missing_rates": sorted(missing)}


def matching_providers(request: ServiceRequest) -> QuerySet[ProviderProfile]:
    """Verified provider profiles whose categories include the request's and whose jurisdictions overlap it."""
    return (ProviderProfile.objects.filter(company__verification_status=VerificationStatus.VERIFIED,
                                           company__kind=CompanyKind.SERVICE_PROVIDER,
                                           categories__has_all=[request.category],
                                           jurisdictions__has_any=list(request.jurisdictions))
            .exclude(company_id=request.company_id))


def open_requests_matching(profile: ProviderProfile) -> QuerySet[ServiceRequest]:
    """Open requests (open visibility, before their deadline) of other companies that the profile matches and whose
    audience it is not in yet."""
    company_id = profile.company_id
    return (ServiceRequest.objects.filter(status=RequestStatus.OPEN, visibility=RequestVisibility.OPEN,
                                          deadline__gt=timezone.now(), category__in=profile.categories,
                                          jurisdictions__has_any=list(profile.jurisdictions))
            .exclude(company_id=company_id).exclude(audience__company_id=company_id).select_related("company"))
