"""Writes of the provider marketplace. Each service re-checks the actor's right inside its transaction (locking
the row it changes), records an audit event with the act, and queues its notifications in the same transaction.

Lock order, everywhere: the request first, then the proposal. The deadline is compared after the request's row
is locked, so a proposal and a deadline change cannot pass each other.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.agreements.money import Currency, MoneyError, parse_amount, to_str
from apps.audit.services import audit_record
from apps.catalog.models import Agency, Asset, Modality, TherapeuticArea
from apps.catalog.territories import Territory
from apps.companies import services as company_services
from apps.companies.models import (
    CONTRIBUTING_ROLES,
    Company,
    CompanyKind,
    Membership,
    VerificationStatus,
)
from apps.core.authz import CHANGE, VIEW, user_can
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from apps.datarooms import services as dataroom_services
from apps.datarooms.models import AccessGrant, DataRoom, Folder
from apps.notifications.services import notify

from . import audit_actions as A
from .models import (
    DECIDE,
    MANAGE,
    PROPOSE,
    REVISE,
    AudienceSource,
    DeclineReason,
    Engagement,
    EngagementMilestone,
    EngagementStatus,
    MilestoneStatus,
    PricingModel,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    ProviderProfile,
    ProviderRecord,
    RequestAudience,
    RequestQuestion,
    RequestStatus,
    RequestTermsAcceptance,
    RequestVisibility,
    Review,
    ServiceRequest,
)
from .taxonomy import Language, RecordOutcome, RecordType, ServiceCategory

# Company kinds that may open a service request (the biotechs going abroad).
REQUESTER_KINDS = (CompanyKind.BIOTECH,)


# --- helpers ---------------------------------------------------------------------------------------------------


def _locked(model: Any) -> QuerySet:
    """Rows of `model` locked for the transaction: only the row itself, never the rows select_related joins in
    (a company row stays free, and a nullable join cannot make PostgreSQL refuse FOR UPDATE)."""
    return model.objects.select_for_update(of=("self",))


def _require(actor: Any, action: str, obj: Any) -> None:
    """Visible but not allowed → 403; not even visible → 404 (nobody learns what exists)."""
    if user_can(actor, action, obj):
        return
    if user_can(actor, VIEW, obj):
        raise PermissionRefused()
    raise NotFound()


def _people(company_id: int, roles: tuple[str, ...] | None = None) -> QuerySet:
    people = User.objects.filter(memberships__company_id=company_id, is_active=True)
    if roles is not None:
        people = people.filter(memberships__role__in=roles)
    return people.distinct()


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


# --- provider profiles ------------------------------------------------------------------------------------------


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
    _require(actor, CHANGE, profile)
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


def matching_providers(request: ServiceRequest) -> QuerySet:
    """Verified provider profiles whose categories include the request's and whose jurisdictions overlap it."""
    return (ProviderProfile.objects.filter(company__verification_status=VerificationStatus.VERIFIED,
                                           company__kind=CompanyKind.SERVICE_PROVIDER,
                                           categories__has_all=[request.category],
                                           jurisdictions__has_any=list(request.jurisdictions))
            .exclude(company_id=request.company_id))


def provider_match_open_requests(*, profile: ProviderProfile) -> int:
    """Call inside the caller's transaction: open requests (open visibility, before their deadline) that the
    profile now matches gain the provider as audience, and its people are told. Returns how many."""
    company = profile.company
    if company.verification_status != VerificationStatus.VERIFIED or company.kind != CompanyKind.SERVICE_PROVIDER:
        return 0
    if not profile.categories or not profile.jurisdictions:
        return 0
    requests = (ServiceRequest.objects.filter(status=RequestStatus.OPEN, visibility=RequestVisibility.OPEN,
                                              deadline__gt=timezone.now(), category__in=profile.categories,
                                              jurisdictions__has_any=list(profile.jurisdictions))
                .exclude(company_id=company.pk).exclude(audience__company_id=company.pk).select_related("company"))
    matched = 0
    for request in requests:
        RequestAudience.objects.create(request=request, company=company, source=AudienceSource.MATCHED)
        notify(kind="provider.request_matched", recipients=_people(company.pk), target=request,
               context=_invitation_context(request))
        matched += 1
    return matched


# --- service requests -------------------------------------------------------------------------------------------


def _requester_company(actor: Any, company: Company | None) -> Company:
    memberships = Membership.objects.filter(user=actor, role__in=CONTRIBUTING_ROLES).select_related("company")
    if company is not None:
        memberships = memberships.filter(company=company)
    membership = (memberships.filter(company__verification_status=VerificationStatus.VERIFIED,
                                     company__kind__in=REQUESTER_KINDS).order_by("created_at").first())
    if membership is None:
        raise PermissionRefused(_("Only members of a verified biotech can open a service request."),
                                code="not_a_requester")
    return membership.company


def _invite(*, actor: Any, request: ServiceRequest, companies: list[Company]) -> list[Company]:
    """Add invited providers to the audience (a matched one becomes invited); returns those newly invited."""
    added = []
    for company in companies:
        if company.pk == request.company_id:
            raise ValidationFailed(_("A company cannot invite itself."), code="invalid_invitee",
                                   fields={"providers": [company.pk]})
        if company.kind != CompanyKind.SERVICE_PROVIDER or not company.is_verified:
            raise ValidationFailed(_("Only verified service providers can be invited."), code="invalid_invitee",
                                   fields={"providers": [company.pk]})
        row = RequestAudience.objects.filter(request=request, company=company).first()
        if row is not None and row.source == AudienceSource.INVITED:
            continue
        if row is not None:
            row.source = AudienceSource.INVITED
            row.save(update_fields=["source"])
        else:
            RequestAudience.objects.create(request=request, company=company, source=AudienceSource.INVITED)
        added.append(company)
        notify(kind="provider.invited", recipients=_people(company.pk), target=request, actor=actor,
               context=_invitation_context(request))
    return added


@transaction.atomic
def request_create(*, actor: Any, title: str, category: str, jurisdictions: Any, scope_en: str, deadline: datetime,
                   company: Company | None = None, scope_zh: str = "", timeline: str = "", budget_min: Any = None,
                   budget_max: Any = None, currency: str = Currency.USD, asset: Asset | None = None,
                   visibility: str = RequestVisibility.INVITED, providers: list[Company] | None = None,
                   terms_en: str = "", terms_zh: str = "") -> ServiceRequest:
    """A member of a verified biotech opens a request. Invited providers are told; an open request is also shown
    to (and told to) every verified provider whose categories and jurisdictions match."""
    company = _requester_company(actor, company)
    if category not in ServiceCategory.values:
        raise ValidationFailed(_("Unknown service category."), code="unknown_code", fields={"category": [category]})
    if visibility not in RequestVisibility.values:
        raise ValidationFailed(_("Unknown visibility."), code="invalid", fields={"visibility": [visibility]})
    if deadline <= timezone.now():
        raise ValidationFailed(_("The deadline must be in the future."), code="deadline_in_past",
                               fields={"deadline": [_("Must be in the future.")]})
    low, high = _range(budget_min, budget_max, currency, ("budget_min", "budget_max"))
    if asset is not None and asset.owner_company_id != company.pk:
        raise ValidationFailed(_("Unknown asset."), code="wrong_company", fields={"asset": [_("Unknown asset.")]})
    if visibility == RequestVisibility.INVITED and not providers:
        raise ValidationFailed(_("Invite at least one provider, or open the request to matching providers."),
                               code="providers_required", fields={"providers": [_("Required.")]})
    if bool(terms_en.strip()) != bool(terms_zh.strip()):
        raise ValidationFailed(_("The confidentiality terms need both the English and the Chinese text."),
                               code="terms_incomplete")
    request = ServiceRequest.objects.create(
        company=company, created_by=actor, title=title.strip(), category=category,
        jurisdictions=_territory(jurisdictions), scope_en=scope_en, scope_zh=scope_zh, timeline=timeline,
        budget_min=low, budget_max=high, currency=currency, deadline=deadline, asset=asset, visibility=visibility,
        terms_en=terms_en, terms_zh=terms_zh, terms_version=1 if terms_en.strip() else 0,
    )
    invited = _invite(actor=actor, request=request, companies=list(providers or []))
    matched = []
    if visibility == RequestVisibility.OPEN:
        for profile in matching_providers(request).exclude(company_id__in=[c.pk for c in invited]).select_related(
                "company"):
            RequestAudience.objects.create(request=request, company=profile.company, source=AudienceSource.MATCHED)
            matched.append(profile.company_id)
        if matched:
            notify(kind="provider.request_matched", recipients=_audience_people(request, matched), target=request,
                   actor=actor, context=_invitation_context(request))
    audit_record(action=A.REQUEST_CREATED, actor=actor, target=request, company=company,
                 details={"category": category, "visibility": visibility, "invited": [c.pk for c in invited],
                          "matched": matched, "deadline": deadline.isoformat()})
    return request


REQUEST_EDITABLE = ("title", "scope_en", "scope_zh", "timeline", "deadline")


@transaction.atomic
def request_update(*, actor: Any, request: ServiceRequest, **fields: Any) -> ServiceRequest:
    """The requester edits an open request. New confidentiality terms are a new version every invited provider
    must accept again before the attachments open to them."""
    request = _locked(ServiceRequest).select_related("company").get(pk=request.pk)
    _require(actor, MANAGE, request)
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("Only an open request can change."), code="request_not_open")
    changed = []
    for key in REQUEST_EDITABLE:
        if key in fields and fields[key] != getattr(request, key):
            if key == "deadline" and fields[key] <= timezone.now():
                raise ValidationFailed(_("The deadline must be in the future."), code="deadline_in_past",
                                       fields={"deadline": [_("Must be in the future.")]})
            setattr(request, key, fields[key])
            changed.append(key)
    if {"budget_min", "budget_max"} & set(fields):
        request.budget_min, request.budget_max = _range(fields.get("budget_min", request.budget_min),
                                                        fields.get("budget_max", request.budget_max),
                                                        request.currency, ("budget_min", "budget_max"))
        changed.append("budget")
    terms_en, terms_zh = fields.get("terms_en", request.terms_en), fields.get("terms_zh", request.terms_zh)
    if (terms_en, terms_zh) != (request.terms_en, request.terms_zh):  # the same terms sent back change nothing
        if not terms_en.strip() or not terms_zh.strip():
            raise ValidationFailed(_("The confidentiality terms need both the English and the Chinese text."),
                                   code="terms_incomplete")
        request.terms_en, request.terms_zh = terms_en, terms_zh
        request.terms_version += 1
        changed.append("terms")
    request.save()
    audit_record(action=A.REQUEST_UPDATED, actor=actor, target=request, company=request.company,
                 details={"changed": changed, "terms_version": request.terms_version})
    return request


@transaction.atomic
def request_invite(*, actor: Any, request: ServiceRequest, providers: list[Company]) -> list[Company]:
    """The requester invites more verified providers to an open request (each is told once)."""
    request = _locked(ServiceRequest).select_related("company").get(pk=request.pk)
    _require(actor, MANAGE, request)
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("Only an open request can change."), code="request_not_open")
    if not providers:
        raise ValidationFailed(_("Name at least one provider."), code="providers_required",
                               fields={"providers": [_("Required.")]})
    added = _invite(actor=actor, request=request, companies=providers)
    audit_record(action=A.PROVIDERS_INVITED, actor=actor, target=request, company=request.company,
                 details={"invited": [c.pk for c in added]})
    return added


@transaction.atomic
def request_cancel(*, actor: Any, request: ServiceRequest) -> ServiceRequest:
    """The requester withdraws an open request that has no award yet."""
    request = _locked(ServiceRequest).select_related("company").get(pk=request.pk)
    _require(actor, MANAGE, request)
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("Only an open request can be cancelled."), code="request_not_open")
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    audit_record(action=A.REQUEST_CANCELLED, actor=actor, target=request, company=request.company)
    return request


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


@transaction.atomic
def terms_accept(*, actor: Any, request: ServiceRequest, version: int,
                 ip_address: str | None = None) -> RequestTermsAcceptance:
    """A person of an invited provider accepts the request's current confidentiality terms (the version read)."""
    request = ServiceRequest.objects.select_related("company").get(pk=request.pk)
    if not user_can(actor, VIEW, request):
        raise NotFound()
    company = _audience_company(actor, request, invited_only=True, roles=None)
    if company is None:
        raise PermissionRefused(_("Only invited providers accept a request's confidentiality terms."),
                                code="not_invited")
    if request.terms_version == 0:
        raise Conflict(_("This request has no confidentiality terms to accept."), code="no_terms")
    if version != request.terms_version:
        raise Conflict(_("A newer version of the terms exists; read and accept the current one."),
                       code="terms_outdated")
    acceptance, created = RequestTermsAcceptance.objects.get_or_create(
        request=request, version=version, user=actor, defaults={"company": company, "ip_address": ip_address})
    if created:
        audit_record(action=A.TERMS_ACCEPTED, actor=actor, target=request, company=company,
                     details={"version": version})
    return acceptance


# --- proposals --------------------------------------------------------------------------------------------------


def _check_deadline(request: ServiceRequest) -> None:
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("The request no longer takes proposals."), code="request_not_open")
    if timezone.now() >= request.deadline:
        raise Conflict(_("The deadline for proposals has passed."), code="deadline_passed")


def _version_terms(data: dict[str, Any]) -> dict[str, Any]:
    pricing = data.get("pricing_model")
    if pricing not in PricingModel.values:
        raise ValidationFailed(_("Choose fixed price or time and materials."), code="invalid",
                               fields={"pricing_model": [_("Invalid.")]})
    currency = data.get("currency")
    if currency not in Currency.values:
        raise ValidationFailed(_("Unknown currency."), code="invalid", fields={"currency": [_("Unknown currency.")]})
    amount = _money(data.get("amount"), currency, "amount", allow_zero=False)
    milestones = []
    for index, item in enumerate(data.get("milestones") or []):
        if not isinstance(item, dict) or not str(item.get("title", "")).strip():
            raise ValidationFailed(_("Each milestone needs a title and an amount."), code="invalid",
                                   fields={f"milestones[{index}]": [_("Invalid.")]})
        milestones.append({"title": str(item["title"]).strip()[:200],
                           "amount": str(_money(item.get("amount"), currency, f"milestones[{index}]")),
                           "due": str(item.get("due", ""))[:120]})
    total = sum((Decimal(m["amount"]) for m in milestones), Decimal(0))
    if pricing == PricingModel.FIXED and milestones and total != amount:
        raise ValidationFailed(_("The payment milestones of a fixed price add up to the price."),
                               code="milestones_total", fields={"milestones": [to_str(total, currency)]})
    if not str(data.get("timeline", "")).strip():
        raise ValidationFailed(_("This field is required."), code="required", fields={"timeline": [_("Required.")]})
    return {"pricing_model": pricing, "amount": amount, "currency": currency, "milestones": milestones,
            "timeline": data["timeline"], "team": data.get("team", ""), "assumptions": data.get("assumptions", ""),
            "note": data.get("note", "")}


@transaction.atomic
def proposal_submit(*, actor: Any, request: ServiceRequest, **data: Any) -> Proposal:
    """A provider of the request's audience submits its one proposal, before the deadline (checked under lock)."""
    request = _locked(ServiceRequest).select_related("company").get(pk=request.pk)
    _require(actor, PROPOSE, request)
    _check_deadline(request)
    company = _audience_company(actor, request)
    if company is None:  # PROPOSE passed, so this cannot happen; fail closed all the same
        raise PermissionRefused()
    terms = _version_terms(data)
    if Proposal.objects.filter(request=request, company=company).exists():
        raise Conflict(_("Your company already sent a proposal; revise it instead."), code="proposal_exists")
    proposal = Proposal.objects.create(request=request, company=company, submitted_by=actor)
    version = ProposalVersion.objects.create(proposal=proposal, number=1, created_by=actor, **terms)
    proposal.current_version = version
    proposal.save(update_fields=["current_version"])
    audit_record(action=A.PROPOSAL_SUBMITTED, actor=actor, target=proposal, company=company,
                 details={"request": request.pk, "amount": str(version.amount), "currency": version.currency})
    notify(kind="provider.proposal_received", recipients=_people(request.company_id, CONTRIBUTING_ROLES),
           target=proposal, actor=actor,
           context={**_request_context(request), **_provider_context(company),
                    "amount": to_str(version.amount, version.currency), "currency": version.currency})
    return proposal


def _lock_proposal(proposal: Proposal) -> tuple[ServiceRequest, Proposal]:
    request = _locked(ServiceRequest).select_related("company").get(pk=proposal.request_id)
    proposal = (_locked(Proposal).select_related("company", "current_version")
                .get(pk=proposal.pk))
    return request, proposal


@transaction.atomic
def proposal_revise(*, actor: Any, proposal: Proposal, **data: Any) -> ProposalVersion:
    """The provider revises its proposal until the deadline; every earlier version is kept."""
    request, proposal = _lock_proposal(proposal)
    _require(actor, REVISE, proposal)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise Conflict(_("Only a submitted proposal can be revised."), code="proposal_not_submitted")
    _check_deadline(request)
    terms = _version_terms(data)
    number = (proposal.current_version.number if proposal.current_version else 0) + 1
    version = ProposalVersion.objects.create(proposal=proposal, number=number, created_by=actor, **terms)
    proposal.current_version = version
    proposal.save(update_fields=["current_version", "updated_at"])
    audit_record(action=A.PROPOSAL_REVISED, actor=actor, target=proposal, company=proposal.company,
                 details={"version": number, "amount": str(version.amount), "currency": version.currency})
    notify(kind="provider.proposal_revised", recipients=_people(request.company_id, CONTRIBUTING_ROLES),
           target=proposal, actor=actor,
           context={**_request_context(request), **_provider_context(proposal.company), "version": number,
                    "amount": to_str(version.amount, version.currency), "currency": version.currency})
    return version


@transaction.atomic
def proposal_withdraw(*, actor: Any, proposal: Proposal) -> Proposal:
    """The provider takes back a proposal not yet decided."""
    _request, proposal = _lock_proposal(proposal)
    _require(actor, REVISE, proposal)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise Conflict(_("Only a submitted proposal can be withdrawn."), code="proposal_not_submitted")
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    audit_record(action=A.PROPOSAL_WITHDRAWN, actor=actor, target=proposal, company=proposal.company)
    return proposal


@transaction.atomic
def proposal_award(*, actor: Any, proposal: Proposal, scope: str = "",
                   grant: dict[str, Any] | None = None) -> Engagement:
    """The requester's owners or admins award a proposal (several, for split scopes): an engagement starts with
    the proposal's current price and payment milestones, and, if asked, a data-room grant for the provider."""
    request, proposal = _lock_proposal(proposal)
    _require(actor, DECIDE, proposal)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise Conflict(_("Only a submitted proposal can be awarded."), code="proposal_not_submitted")
    if request.status not in (RequestStatus.OPEN, RequestStatus.AWARDED):
        raise Conflict(_("The request is cancelled."), code="request_not_open")
    version = proposal.current_version
    assert version is not None
    engagement = Engagement.objects.create(
        request=request, proposal=proposal, requester=request.company, provider=proposal.company,
        scope=scope.strip() or request.scope_en, amount=version.amount, currency=version.currency, created_by=actor)
    EngagementMilestone.objects.bulk_create([
        EngagementMilestone(engagement=engagement, position=index, title=item["title"],
                            amount=Decimal(item["amount"]), due=item.get("due", ""))
        for index, item in enumerate(version.milestones)
    ])
    proposal.status = ProposalStatus.AWARDED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    request.status = RequestStatus.AWARDED
    request.save(update_fields=["status", "updated_at"])
    audit_record(action=A.PROPOSAL_AWARDED, actor=actor, target=proposal, company=request.company,
                 details={"engagement": engagement.pk, "version": version.number})
    audit_record(action=A.ENGAGEMENT_CREATED, actor=actor, target=engagement, company=request.company,
                 details={"amount": str(engagement.amount), "currency": engagement.currency})
    notify(kind="provider.proposal_awarded", recipients=_people(proposal.company_id), target=proposal, actor=actor,
           context={**_request_context(request), "amount": to_str(engagement.amount, engagement.currency),
                    "currency": engagement.currency})
    if grant:
        _engagement_grant(actor=actor, engagement=engagement, **grant)
    return engagement


@transaction.atomic
def proposal_decline(*, actor: Any, proposal: Proposal, reason: str, note: str = "") -> Proposal:
    """The requester's owners or admins decline a proposal with a structured reason the provider reads in its own
    language."""
    request, proposal = _lock_proposal(proposal)
    _require(actor, DECIDE, proposal)
    if reason not in DeclineReason.values:
        raise ValidationFailed(_("Choose a reason: price, timeline, capability, scope or other."),
                               code="reason_required", fields={"reason": [_("Invalid.")]})
    if proposal.status != ProposalStatus.SUBMITTED:
        raise Conflict(_("Only a submitted proposal can be declined."), code="proposal_not_submitted")
    proposal.status = ProposalStatus.DECLINED
    proposal.decline_reason = reason
    proposal.decline_note = note.strip()
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decline_reason", "decline_note", "decided_by", "decided_at",
                                 "updated_at"])
    audit_record(action=A.PROPOSAL_DECLINED, actor=actor, target=proposal, company=request.company,
                 details={"reason": reason, "note": note[:500]})
    notify(kind="provider.proposal_declined", recipients=_people(proposal.company_id), target=proposal, actor=actor,
           context={**_request_context(request), "reason_code": reason, "note": note.strip()})
    return proposal


# --- questions --------------------------------------------------------------------------------------------------


@transaction.atomic
def question_ask(*, actor: Any, request: ServiceRequest, text: str) -> RequestQuestion:
    """A provider of the audience asks a clarification question; only it and the requester will see it."""
    request = ServiceRequest.objects.select_related("company").get(pk=request.pk)
    _require(actor, PROPOSE, request)
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("The request no longer takes questions."), code="request_not_open")
    if not text.strip():
        raise ValidationFailed(_("The question is empty."), code="required", fields={"text": [_("Required.")]})
    company = _audience_company(actor, request)
    if company is None:
        raise PermissionRefused()
    question = RequestQuestion.objects.create(request=request, company=company, asked_by=actor, text=text.strip())
    audit_record(action=A.QUESTION_ASKED, actor=actor, target=question, company=company,
                 details={"request": request.pk})
    notify(kind="provider.question_asked", recipients=_people(request.company_id, CONTRIBUTING_ROLES),
           target=question, actor=actor,
           context={**_request_context(request), **_provider_context(company), "question": text.strip()[:300]})
    return question


@transaction.atomic
def question_answer(*, actor: Any, question: RequestQuestion, answer: str, publish: bool = False) -> RequestQuestion:
    """The requester answers privately (the asker is told) or publishes question and answer to all bidders,
    anonymously (the whole audience is told, nobody learns who asked)."""
    question = _locked(RequestQuestion).select_related("request__company").get(pk=question.pk)
    _require(actor, "answer", question)
    if not answer.strip():
        raise ValidationFailed(_("The answer is empty."), code="answer_required", fields={"answer": [_("Required.")]})
    request = question.request
    question.answer = answer.strip()
    question.answered_by = actor
    question.answered_at = timezone.now()
    newly_published = publish and not question.published
    question.published = question.published or publish
    question.save(update_fields=["answer", "answered_by", "answered_at", "published"])
    audit_record(action=A.QUESTION_ANSWERED, actor=actor, target=question, company=request.company,
                 details={"published": question.published})
    notify(kind="provider.question_answered", recipients=[question.asked_by], target=question, actor=actor,
           context={**_request_context(request), "answer": question.answer[:300]})
    if newly_published:
        others = _audience_people(request).exclude(pk=question.asked_by_id)
        notify(kind="provider.answer_published", recipients=others, target=question, actor=actor,
               context={**_request_context(request), "question": question.text[:300],
                        "answer": question.answer[:300]})
    return question


# --- engagements ------------------------------------------------------------------------------------------------


def _engagement_grant(*, actor: Any, engagement: Engagement, room: DataRoom, level: str, scope: str,
                      expires_at: datetime, folders: list[Folder] | None = None) -> AccessGrant:
    """A data-room grant for the provider through the data rooms' own grant service (their rules, audit and
    notifications); the engagement keeps a link to it."""
    if room.owner_company_id != engagement.requester_id:
        raise ValidationFailed(_("Unknown data room."), code="wrong_company", fields={"room": [_("Unknown.")]})
    grant = dataroom_services.grant_create(actor=actor, room=room, company=engagement.provider, level=level,
                                           scope=scope, expires_at=expires_at, folders=folders or [])
    engagement.grant = grant
    engagement.save(update_fields=["grant"])
    audit_record(action=A.ENGAGEMENT_GRANT_CREATED, actor=actor, target=engagement, company=engagement.requester,
                 details={"grant": grant.pk, "room": room.pk})
    return grant


def _active_grant(engagement: Engagement) -> AccessGrant | None:
    grant = engagement.grant
    if grant is None or grant.revoked_at is not None or grant.expires_at <= timezone.now():
        return None
    return grant


@transaction.atomic
def engagement_grant(*, actor: Any, engagement: Engagement, room: DataRoom, level: str, scope: str,
                     expires_at: datetime, folders: list[Folder] | None = None) -> AccessGrant:
    """The requester's owners or admins open (part of) one of their data rooms to the engaged provider."""
    engagement = (_locked(Engagement).select_related("provider", "grant")
                  .get(pk=engagement.pk))
    _require(actor, MANAGE, engagement)
    if engagement.status != EngagementStatus.ACTIVE:
        raise Conflict(_("Only an active engagement can receive data-room access."), code="engagement_not_active")
    if _active_grant(engagement) is not None:
        raise Conflict(_("The engagement already has an active data-room grant; revoke it first."),
                       code="grant_exists")
    return _engagement_grant(actor=actor, engagement=engagement, room=room, level=level, scope=scope,
                             expires_at=expires_at, folders=folders)


@transaction.atomic
def engagement_revoke_grant(*, actor: Any, engagement: Engagement) -> AccessGrant:
    """Revoke the provider's data-room grant: effective on its very next request (the data rooms' rule)."""
    engagement = _locked(Engagement).select_related("grant").get(pk=engagement.pk)
    _require(actor, MANAGE, engagement)
    grant = _active_grant(engagement)
    if grant is None:
        raise Conflict(_("The engagement has no active data-room grant."), code="no_grant")
    grant = dataroom_services.grant_revoke(actor=actor, grant=grant)
    audit_record(action=A.ENGAGEMENT_GRANT_REVOKED, actor=actor, target=engagement, company=engagement.requester,
                 details={"grant": grant.pk})
    return grant


@transaction.atomic
def engagement_complete(*, actor: Any, engagement: Engagement) -> Engagement:
    """The requester's owners or admins close the work as completed; both sides may then review each other."""
    engagement = _locked(Engagement).get(pk=engagement.pk)
    _require(actor, MANAGE, engagement)
    if engagement.status != EngagementStatus.ACTIVE:
        raise Conflict(_("Only an active engagement can be completed."), code="engagement_not_active")
    engagement.status = EngagementStatus.COMPLETED
    engagement.completed_at = timezone.now()
    engagement.save(update_fields=["status", "completed_at"])
    audit_record(action=A.ENGAGEMENT_COMPLETED, actor=actor, target=engagement, company=engagement.requester)
    return engagement


# Each step: (status it leaves, which side acts). Provider delivers and invoices; the requester accepts and pays.
MILESTONE_STEPS: dict[str, tuple[str, str]] = {
    MilestoneStatus.DELIVERED: (MilestoneStatus.PLANNED, "provider"),
    MilestoneStatus.ACCEPTED: (MilestoneStatus.DELIVERED, "requester"),
    MilestoneStatus.INVOICED: (MilestoneStatus.ACCEPTED, "provider"),
    MilestoneStatus.PAID: (MilestoneStatus.INVOICED, "requester"),
}


def _milestone_move(*, actor: Any, milestone: EngagementMilestone, to: str) -> EngagementMilestone:
    milestone = (_locked(EngagementMilestone)
                 .select_related("engagement__request__company", "engagement__requester", "engagement__provider")
                 .get(pk=milestone.pk))
    if not user_can(actor, VIEW, milestone):
        raise NotFound()
    engagement = milestone.engagement
    from_status, side = MILESTONE_STEPS[to]
    company = engagement.provider if side == "provider" else engagement.requester
    other = engagement.requester if side == "provider" else engagement.provider
    if not Membership.objects.filter(user=actor, company=company, role__in=CONTRIBUTING_ROLES).exists():
        raise PermissionRefused(_("The other side of the engagement takes this step."), code="wrong_side")
    if engagement.status != EngagementStatus.ACTIVE:
        raise Conflict(_("Only an active engagement's milestones move."), code="engagement_not_active")
    if milestone.status != from_status:
        raise Conflict(_("The milestone is not at the step before this one."), code="milestone_out_of_order")
    milestone.status = to
    setattr(milestone, f"{to}_at", timezone.now())
    milestone.save(update_fields=["status", f"{to}_at"])
    audit_record(action=A.MILESTONE_CHANGED, actor=actor, target=milestone, company=company,
                 details={"engagement": engagement.pk, "from": from_status, "to": to})
    notify(kind="provider.milestone_changed", recipients=_people(other.pk), target=milestone, actor=actor,
           context={**_request_context(engagement.request), "engagement_id": str(engagement.public_id),
                    "company": company.name_en, "company_zh": company.name_zh or company.name_en,
                    "milestone": milestone.title, "status_code": to,
                    "amount": to_str(milestone.amount, engagement.currency), "currency": engagement.currency})
    return milestone


@transaction.atomic
def milestone_deliver(*, actor: Any, milestone: EngagementMilestone) -> EngagementMilestone:
    """The provider marks the milestone's work delivered."""
    return _milestone_move(actor=actor, milestone=milestone, to=MilestoneStatus.DELIVERED)


@transaction.atomic
def milestone_accept(*, actor: Any, milestone: EngagementMilestone) -> EngagementMilestone:
    """The requester accepts the delivered work."""
    return _milestone_move(actor=actor, milestone=milestone, to=MilestoneStatus.ACCEPTED)


@transaction.atomic
def milestone_invoice(*, actor: Any, milestone: EngagementMilestone) -> EngagementMilestone:
    """The provider invoices an accepted milestone."""
    return _milestone_move(actor=actor, milestone=milestone, to=MilestoneStatus.INVOICED)


@transaction.atomic
def milestone_pay(*, actor: Any, milestone: EngagementMilestone) -> EngagementMilestone:
    """The requester records the payment of an invoiced milestone."""
    return _milestone_move(actor=actor, milestone=milestone, to=MilestoneStatus.PAID)


# --- reviews ----------------------------------------------------------------------------------------------------


def _rating_refresh(company_id: int) -> None:
    """The provider profile's average and count, from its visible reviews (hidden ones do not count)."""
    from django.db.models import Count, Sum

    figures = Review.objects.filter(subject_company_id=company_id, hidden=False).aggregate(n=Count("id"),
                                                                                           total=Sum("rating"))
    ProviderProfile.objects.filter(company_id=company_id).update(rating_count=figures["n"] or 0,
                                                                 rating_sum=figures["total"] or 0)


@transaction.atomic
def review_create(*, actor: Any, engagement: Engagement, rating: int, text: str = "") -> Review:
    """Each side of a completed engagement reviews the other once (1-5 and text)."""
    engagement = _locked(Engagement).select_related("request", "requester", "provider").get(
        pk=engagement.pk)
    if not user_can(actor, VIEW, engagement):
        raise NotFound()
    side = (Membership.objects.filter(user=actor, company_id__in=[engagement.requester_id, engagement.provider_id],
                                      role__in=CONTRIBUTING_ROLES).order_by("created_at").first())
    if side is None:
        raise PermissionRefused(_("Only the two companies of the engagement review it."), code="not_a_party")
    if engagement.status != EngagementStatus.COMPLETED:
        raise Conflict(_("Only a completed engagement can be reviewed."), code="engagement_not_completed")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationFailed(_("The rating is a whole number from 1 to 5."), code="invalid",
                               fields={"rating": [_("From 1 to 5.")]})
    author_company = engagement.requester if side.company_id == engagement.requester_id else engagement.provider
    subject = engagement.provider if author_company.pk == engagement.requester_id else engagement.requester
    try:
        with transaction.atomic():
            review = Review.objects.create(engagement=engagement, author_company=author_company, author=actor,
                                           subject_company=subject, rating=rating, text=text.strip())
    except IntegrityError:
        raise Conflict(_("Your company already reviewed this engagement."), code="review_exists") from None
    _rating_refresh(subject.pk)
    audit_record(action=A.REVIEW_WRITTEN, actor=actor, target=review, company=author_company,
                 details={"rating": rating, "subject": subject.pk})
    notify(kind="provider.review_received", recipients=_people(subject.pk), target=review, actor=actor,
           context={**_request_context(engagement.request), "engagement_id": str(engagement.public_id),
                    "company": author_company.name_en, "company_zh": author_company.name_zh or author_company.name_en,
                    "rating": rating, "text": text.strip()[:300]})
    return review


@transaction.atomic
def review_hide(*, actor: Any, review: Review, reason: str) -> Review:
    """Staff hide an abusive review with a reason: audited, the author's company told, the average recomputed."""
    if not (getattr(actor, "is_staff", False) and actor.has_perm("providers.change_review")):
        raise PermissionRefused()
    if not (reason or "").strip():
        raise ValidationFailed(_("A reason is required."), code="reason_required",
                               fields={"reason": [_("A reason is required.")]})
    review = _locked(Review).select_related("engagement__request__company").get(pk=review.pk)
    if review.hidden:
        raise Conflict(_("The review is already hidden."), code="review_hidden")
    review.hidden = True
    review.hidden_reason = reason.strip()
    review.hidden_by = actor
    review.hidden_at = timezone.now()
    review.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    _rating_refresh(review.subject_company_id)
    audit_record(action=A.REVIEW_HIDDEN, actor=actor, target=review, company=review.author_company,
                 details={"reason": reason.strip()[:500]})
    recipients = [review.author] if review.author is not None else _people(review.author_company_id)
    notify(kind="provider.review_hidden", recipients=recipients, target=review, actor=actor,
           context={**_request_context(review.engagement.request),
                    "engagement_id": str(review.engagement.public_id), "reason": reason.strip()})
    return review

