"""Shared by the agreements' services: locking, the current version, storing a version, telling the parties."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError as DRFValidationError

from apps.agreements.models import Agreement, AgreementVersion, Milestone, RoyaltyTier, terms_hash
from apps.agreements.money import to_str
from apps.agreements.selectors import party_users
from apps.agreements.terms import validate_terms
from apps.companies.models import Company
from apps.core.errors import Conflict, ValidationFailed
from apps.notifications import kinds
from apps.notifications.services import notify


def validate(terms: Any, *, deal_type: str, party_ids: list[int]) -> dict[str, Any]:
    """The canonical terms, or 400 invalid_terms with the serializer's field errors."""
    try:
        return validate_terms(terms, deal_type=deal_type, party_company_ids=party_ids)
    except DRFValidationError as exc:
        raise ValidationFailed(_("The terms are not valid."), code="invalid_terms",
                               fields={"terms": exc.detail}) from None


def current_version(agreement: Agreement) -> AgreementVersion:
    """The latest version; every agreement has one from its creation on."""
    version = agreement.current_version
    if version is None:  # pragma: no cover - agreement_create always sets it
        raise Conflict(_("The agreement has no terms yet."), code="no_version")
    return version


def lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def notice_context(agreement: Agreement, **extra: Any) -> dict[str, Any]:
    return {"agreement": agreement.title, "agreement_id": agreement.pk, "site_url": settings.SITE_URL, **extra}


def company_context(company: Company | None) -> dict[str, str]:
    if company is None:
        return {"company": "GPC", "company_zh": "GPC"}
    return kinds.company_context("company", company)


def notify_parties(kind: str, agreement: Agreement, *, actor: Any = None, exclude_company: Company | None = None,
                   target: Any = None, **context: Any) -> None:
    """Tell every party (but `exclude_company`, the one that acted) through notify()."""
    recipients = party_users(agreement, exclude_company_id=exclude_company.pk if exclude_company else None)
    notify(kind=kind, recipients=recipients, target=target or agreement, actor=actor,
           context=notice_context(agreement, **context))


def store_version(*, agreement: Agreement, number: int, terms: dict[str, Any], actor: Any, company: Company,
                  note: str = "", is_amendment: bool = False) -> AgreementVersion:
    version = AgreementVersion.objects.create(
        agreement=agreement, number=number, terms=terms, terms_hash=terms_hash(terms), currency=terms["currency"],
        is_amendment=is_amendment, note=note, proposed_by=actor, proposed_by_company=company)
    store_royalty_tiers(version)
    return version


def store_royalty_tiers(version: AgreementVersion) -> None:
    version.royalty_tiers.all().delete()
    RoyaltyTier.objects.bulk_create([
        RoyaltyTier(version=version, position=index, lower=Decimal(tier["from_net_sales"]),
                    upper=Decimal(tier["to_net_sales"]) if tier["to_net_sales"] is not None else None,
                    rate=Decimal(tier["rate"]))
        for index, tier in enumerate(version.terms.get("royalty_tiers") or [])
    ])


def milestone_context(milestone: Milestone) -> dict[str, Any]:
    return {"milestone": milestone.description, "amount": to_str(milestone.amount, milestone.currency),
            "currency": milestone.currency, "milestone_id": milestone.pk}
