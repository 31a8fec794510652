"""Service requests (RFPs): a biotech opens one, invites providers or opens it to matching ones, edits or cancels it;
invited providers accept its confidentiality terms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import Currency
from apps.audit.services import audit_record
from apps.catalog.models import Asset
from apps.companies.models import (
    CONTRIBUTING_ROLES,
    Company,
    CompanyKind,
    Membership,
    VerificationStatus,
)
from apps.companies.selectors import company_people
from apps.core.authz import VIEW, require_permission, user_can
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from apps.core.validation import require_future
from apps.notifications.services import notify
from apps.providers import audit_actions as A
from apps.providers.models import (
    MANAGE,
    AudienceSource,
    RequestAudience,
    RequestStatus,
    RequestTermsAcceptance,
    RequestVisibility,
    ServiceRequest,
)
from apps.providers.selectors import matching_providers
from apps.providers.services.common import (
    _audience_company,
    _audience_people,
    _invitation_context,
    _locked,
    _range,
    _territory,
)
from apps.providers.taxonomy import ServiceCategory

# Company kinds that may open a service request (the biotechs going abroad).
REQUESTER_KINDS = (CompanyKind.BIOTECH,)


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
        notify(kind="provider.invited", recipients=company_people(company.pk), target=request, actor=actor,
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
    require_future(deadline, field="deadline", code="deadline_in_past",
                   message=_("The deadline must be in the future."))
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
    require_permission(actor, MANAGE, request)
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("Only an open request can change."), code="request_not_open")
    changed = []
    for key in REQUEST_EDITABLE:
        if key in fields and fields[key] != getattr(request, key):
            if key == "deadline":
                require_future(fields[key], field="deadline", code="deadline_in_past",
                               message=_("The deadline must be in the future."))
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
    require_permission(actor, MANAGE, request)
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
    require_permission(actor, MANAGE, request)
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("Only an open request can be cancelled."), code="request_not_open")
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    audit_record(action=A.REQUEST_CANCELLED, actor=actor, target=request, company=request.company)
    return request


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

