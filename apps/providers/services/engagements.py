"""Engagements: the awarded work, its data-room access for the provider and its payment milestones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import to_str
from apps.audit.services import audit_record
from apps.companies.models import (
    CONTRIBUTING_ROLES,
    Membership,
)
from apps.companies.selectors import company_people
from apps.core.authz import VIEW, require_permission, user_can
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from apps.datarooms import services as dataroom_services
from apps.datarooms.models import AccessGrant, DataRoom, Folder
from apps.notifications.services import notify
from apps.providers import audit_actions as A
from apps.providers.models import (
    MANAGE,
    Engagement,
    EngagementMilestone,
    EngagementStatus,
    MilestoneStatus,
)
from apps.providers.services.common import (
    _locked,
    _request_context,
)


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
    require_permission(actor, MANAGE, engagement)
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
    require_permission(actor, MANAGE, engagement)
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
    require_permission(actor, MANAGE, engagement)
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
    notify(kind="provider.milestone_changed", recipients=company_people(other.pk), target=milestone, actor=actor,
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

