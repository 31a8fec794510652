"""Proposals: a provider of the audience submits, revises or withdraws its priced answer; the requester awards or
declines it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import Currency, to_str
from apps.audit.services import audit_record
from apps.companies.models import (
    CONTRIBUTING_ROLES,
)
from apps.companies.selectors import company_people
from apps.core.authz import require_permission
from apps.core.errors import Conflict, PermissionRefused, ValidationFailed
from apps.core.validation import required_reason
from apps.notifications.services import notify
from apps.providers import audit_actions as A
from apps.providers.models import (
    DECIDE,
    PROPOSE,
    REVISE,
    DeclineReason,
    Engagement,
    EngagementMilestone,
    PricingModel,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    RequestStatus,
    ServiceRequest,
)
from apps.providers.services.common import (
    _audience_company,
    _locked,
    _money,
    _provider_context,
    _request_context,
)
from apps.providers.services.engagements import _engagement_grant


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
    require_permission(actor, PROPOSE, request)
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
    notify(kind="provider.proposal_received", recipients=company_people(request.company_id, CONTRIBUTING_ROLES),
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
    require_permission(actor, REVISE, proposal)
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
    notify(kind="provider.proposal_revised", recipients=company_people(request.company_id, CONTRIBUTING_ROLES),
           target=proposal, actor=actor,
           context={**_request_context(request), **_provider_context(proposal.company), "version": number,
                    "amount": to_str(version.amount, version.currency), "currency": version.currency})
    return version


@transaction.atomic
def proposal_withdraw(*, actor: Any, proposal: Proposal) -> Proposal:
    """The provider takes back a proposal not yet decided."""
    _request, proposal = _lock_proposal(proposal)
    require_permission(actor, REVISE, proposal)
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
    require_permission(actor, DECIDE, proposal)
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
    notify(kind="provider.proposal_awarded", recipients=company_people(proposal.company_id), target=proposal,
           actor=actor, context={**_request_context(request), "amount": to_str(engagement.amount, engagement.currency),
                    "currency": engagement.currency})
    if grant:
        _engagement_grant(actor=actor, engagement=engagement, **grant)
    return engagement


@transaction.atomic
def proposal_decline(*, actor: Any, proposal: Proposal, reason: str, note: str = "") -> Proposal:
    """The requester's owners or admins decline a proposal with a structured reason the provider reads in its own
    language."""
    request, proposal = _lock_proposal(proposal)
    require_permission(actor, DECIDE, proposal)
    required_reason(reason, allowed=DeclineReason.values, field_message=_("Invalid."),
                    message=_("Choose a reason: price, timeline, capability, scope or other."))
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
    notify(kind="provider.proposal_declined", recipients=company_people(proposal.company_id), target=proposal,
           actor=actor, context={**_request_context(request), "reason_code": reason, "note": note.strip()})
    return proposal

