"""Shared by the marketplace's services: the locked re-check, who is told, and the checks on codes, territories
and money."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.agreements.money import Currency, MoneyError, parse_amount
from apps.catalog.territories import Territory
from apps.companies.models import (
    CONTRIBUTING_ROLES,
    Company,
    Membership,
    VerificationStatus,
)
from apps.core.errors import ValidationFailed
from apps.providers.models import (
    AudienceSource,
    RequestAudience,
    ServiceRequest,
)


def _locked(model: Any) -> QuerySet:
    """Rows of `model` locked for the transaction: only the row itself, never the rows select_related joins in
    (a company row stays free, and a nullable join cannot make PostgreSQL refuse FOR UPDATE)."""
    return model.objects.select_for_update(of=("self",))


def _audience_people(request: ServiceRequest, company_ids: list[int] | None = None) -> QuerySet:
    audience = RequestAudience.objects.filter(request=request)
    if company_ids is not None:
        audience = audience.filter(company_id__in=company_ids)
    return User.objects.filter(memberships__company_id__in=audience.values("company_id"),
                               memberships__company__verification_status=VerificationStatus.VERIFIED,
                               is_active=True).distinct()


def _request_context(request: ServiceRequest) -> dict[str, Any]:
    return {"request": request.title, "request_id": str(request.public_id), "site_url": settings.SITE_URL,
            "company": request.company.name_en, "company_zh": request.company.name_zh or request.company.name_en}


def _invitation_context(request: ServiceRequest) -> dict[str, Any]:
    territory = Territory(request.jurisdictions)
    return {**_request_context(request), "category_code": request.category,
            "jurisdictions": territory.describe("en"), "jurisdictions_zh": territory.describe("zh-hans"),
            "deadline": request.deadline.astimezone(UTC).strftime("%Y-%m-%d %H:%M")}


def _provider_context(company: Company) -> dict[str, Any]:
    return {"provider": company.name_en, "provider_zh": company.name_zh or company.name_en}


def _codes(value: Any, choices: Any, field: str, *, required: bool = False) -> list[str]:
    """A list of codes from `choices`, de-duplicated and sorted; 400 naming the unknown ones."""
    if value is None:
        value = []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(_("A list of codes is expected."), code="invalid", fields={field: [_("Invalid.")]})
    unknown = sorted({v for v in value if v not in choices.values})
    if unknown:
        raise ValidationFailed(_("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)[:200]},
                               code="unknown_code", fields={field: unknown[:20]})
    if required and not value:
        raise ValidationFailed(_("Choose at least one."), code="required", fields={field: [_("Required.")]})
    return sorted(set(value))


def _territory(value: Any, field: str = "jurisdictions") -> list[str]:
    codes = Territory.parse(value).codes()
    if not codes:
        raise ValidationFailed(_("Name at least one jurisdiction."), code="required", fields={field: [_("Required.")]})
    return codes


def _money(value: Any, currency: str, field: str, *, allow_zero: bool = True) -> Decimal:
    try:
        return parse_amount(value, currency, allow_zero=allow_zero)
    except MoneyError as exc:
        raise ValidationFailed(exc.message, code="invalid_amount", fields={field: [exc.message]}) from None


def _range(low: Any, high: Any, currency: str, names: tuple[str, str]) -> tuple[Decimal | None, Decimal | None]:
    if currency not in Currency.values:
        raise ValidationFailed(_("Unknown currency."), code="invalid", fields={"currency": [_("Unknown currency.")]})
    low_amount = _money(low, currency, names[0]) if low not in (None, "") else None
    high_amount = _money(high, currency, names[1]) if high not in (None, "") else None
    if low_amount is not None and high_amount is not None and low_amount > high_amount:
        raise ValidationFailed(_("The lower bound is above the upper bound."), code="invalid_range",
                               fields={names[0]: [_("Above the upper bound.")]})
    return low_amount, high_amount


def _audience_company(actor: Any, request: ServiceRequest, *, invited_only: bool = False,
                      roles: tuple[str, ...] | None = CONTRIBUTING_ROLES) -> Company | None:
    audience = RequestAudience.objects.filter(request=request)
    if invited_only:
        audience = audience.filter(source=AudienceSource.INVITED)
    memberships = Membership.objects.filter(user=actor, company__verification_status=VerificationStatus.VERIFIED,
                                            company_id__in=audience.values("company_id"))
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    membership = memberships.select_related("company").order_by("created_at").first()
    return membership.company if membership else None

