"""Provider profiles: the provider edits its own; staff verify or suspend it; a profile joins the audience of the
open requests it matches."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import Currency
from apps.audit.services import audit_record
from apps.catalog.models import Agency, Modality, TherapeuticArea
from apps.companies import services as company_services
from apps.companies.models import (
    Company,
    CompanyKind,
    Membership,
    VerificationStatus,
)
from apps.companies.selectors import company_people
from apps.core.authz import CHANGE, VIEW, require_permission, user_can
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from apps.notifications.services import notify
from apps.providers import audit_actions as A
from apps.providers.models import (
    AudienceSource,
    ProviderProfile,
    ProviderRecord,
    RequestAudience,
)
from apps.providers.selectors import open_requests_matching
from apps.providers.services.common import (
    _codes,
    _invitation_context,
    _locked,
    _range,
    _territory,
)
from apps.providers.taxonomy import Language, RecordOutcome, RecordType, ServiceCategory

PROFILE_TEXT_FIELDS = ("headline_en", "headline_zh", "description_en", "description_zh")


def _profile_fields(fields: dict[str, Any], profile: ProviderProfile | None) -> dict[str, Any]:
    clean: dict[str, Any] = {key: fields[key].strip() for key in PROFILE_TEXT_FIELDS if key in fields}
    if "categories" in fields:
        clean["categories"] = _codes(fields["categories"], ServiceCategory, "categories", required=True)
    if "jurisdictions" in fields:
        clean["jurisdictions"] = _territory(fields["jurisdictions"])
    for key, choices in (("agencies", Agency), ("therapeutic_areas", TherapeuticArea), ("modalities", Modality),
                         ("languages", Language)):
        if key in fields:
            clean[key] = _codes(fields[key], choices, key)
    if {"price_min", "price_max", "price_currency"} & set(fields):
        currency = fields.get("price_currency", profile.price_currency if profile else "") or Currency.USD
        low = fields.get("price_min", profile.price_min if profile else None)
        high = fields.get("price_max", profile.price_max if profile else None)
        clean["price_min"], clean["price_max"] = _range(low, high, currency, ("price_min", "price_max"))
        clean["price_currency"] = currency
    return clean


def _records_set(profile: ProviderProfile, records: list[dict[str, Any]]) -> None:
    rows = []
    for index, record in enumerate(records):
        if record.get("record_type") not in RecordType.values:
            raise ValidationFailed(_("Unknown record type."), code="invalid", fields={f"records[{index}]": ["type"]})
        if record.get("agency") not in Agency.values:
            raise ValidationFailed(_("Unknown agency."), code="invalid", fields={f"records[{index}]": ["agency"]})
        outcome = record.get("outcome") or RecordOutcome.PASSED
        if outcome not in RecordOutcome.values:
            raise ValidationFailed(_("Unknown outcome."), code="invalid", fields={f"records[{index}]": ["outcome"]})
        rows.append(ProviderRecord(provider=profile, record_type=record["record_type"], agency=record["agency"],
                                   outcome=outcome, date=record["date"], reference=record.get("reference", "")))
    ProviderRecord.objects.filter(provider=profile).delete()
    ProviderRecord.objects.bulk_create(rows)


@transaction.atomic
def profile_create(*, actor: Any, company: Company, **fields: Any) -> ProviderProfile:
    """An owner or admin of a company of kind service_provider opens its one profile (shown once verified)."""
    if not Membership.objects.filter(user=actor, company=company, role__in=("owner", "admin")).exists():
        raise NotFound() if not user_can(actor, VIEW, company) else PermissionRefused()
    if company.kind != CompanyKind.SERVICE_PROVIDER:
        raise ValidationFailed(_("Only a company of kind service provider can have a provider profile."),
                               code="not_a_service_provider", fields={"company": [_("Not a service provider.")]})
    if ProviderProfile.objects.filter(company=company).exists():
        raise Conflict(_("This company already has a provider profile."), code="profile_exists")
    for required in ("headline_en", "categories", "jurisdictions"):
        if not fields.get(required):
            raise ValidationFailed(_("This field is required."), code="required", fields={required: [_("Required.")]})
    clean = _profile_fields(fields, None)
    profile = ProviderProfile.objects.create(company=company, **clean)
    _records_set(profile, fields.get("records") or [])
    audit_record(action=A.PROFILE_CREATED, actor=actor, target=profile, company=company,
                 details={"categories": profile.categories})
    provider_match_open_requests(profile=profile)
    return profile


@transaction.atomic
def profile_update(*, actor: Any, profile: ProviderProfile, **fields: Any) -> ProviderProfile:
    """The provider's owners and admins edit the profile; open requests it now matches become visible to it."""
    profile = _locked(ProviderProfile).select_related("company").get(pk=profile.pk)
    require_permission(actor, CHANGE, profile)
    clean = _profile_fields(fields, profile)
    for key, value in clean.items():
        setattr(profile, key, value)
    profile.save()
    if "records" in fields:
        _records_set(profile, fields["records"] or [])
    audit_record(action=A.PROFILE_UPDATED, actor=actor, target=profile, company=profile.company,
                 details={"changed": sorted(fields)})
    provider_match_open_requests(profile=profile)
    return profile


@transaction.atomic
def provider_verify(*, actor: Any, profile: ProviderProfile, reason: str = "") -> ProviderProfile:
    """Staff verify a provider's company from the console (the companies service: audit, notice to its admins);
    the open requests it matches become visible to it at once."""
    if not (getattr(actor, "is_staff", False) and actor.has_perm("companies.change_company")):
        raise PermissionRefused()
    company = company_services.company_verify(actor=actor, company=profile.company, reason=reason)
    profile.company = company
    provider_match_open_requests(profile=profile)
    return profile


@transaction.atomic
def provider_suspend(*, actor: Any, profile: ProviderProfile, reason: str) -> ProviderProfile:
    """Staff suspend a provider's company: it drops out of search, requests and proposals lists at once."""
    if not (getattr(actor, "is_staff", False) and actor.has_perm("companies.change_company")):
        raise PermissionRefused()
    profile.company = company_services.company_suspend(actor=actor, company=profile.company, reason=reason)
    return profile


def provider_match_open_requests(*, profile: ProviderProfile) -> int:
    """Call inside the caller's transaction: open requests (open visibility, before their deadline) that the
    profile now matches gain the provider as audience, and its people are told. Returns how many."""
    company = profile.company
    if company.verification_status != VerificationStatus.VERIFIED or company.kind != CompanyKind.SERVICE_PROVIDER:
        return 0
    if not profile.categories or not profile.jurisdictions:
        return 0
    matched = 0
    for request in open_requests_matching(profile):
        RequestAudience.objects.create(request=request, company=company, source=AudienceSource.MATCHED)
        notify(kind="provider.request_matched", recipients=company_people(company.pk), target=request,
               context=_invitation_context(request))
        matched += 1
    return matched

