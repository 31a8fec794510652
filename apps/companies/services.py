"""Writes for companies, memberships and invitations. Each re-checks permission inside its transaction."""

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.companies import audit_actions as acts
from apps.companies.models import (
    Company,
    Invitation,
    InvitationStatus,
    Membership,
    Role,
    VerificationStatus,
    hash_token,
)
from apps.companies.selectors import company_admins, invitation_for_invitee
from apps.core.authz import user_can
from apps.core.errors import Conflict, PermissionRefused
from apps.core.validation import required_reason
from apps.notifications.kinds import company_context
from apps.notifications.services import notify

EDITABLE_COMPANY_FIELDS = ("kind", "country", "name_en", "name_zh", "website", "description")


@transaction.atomic
def company_register(*, actor: Any, **fields: Any) -> Company:
    """Anyone signed in may register a company; it starts pending and the registrant is its owner."""
    group = Group.objects.create(name=f"company:{secrets.token_hex(8)}")
    company = Company.objects.create(group=group, **{k: v for k, v in fields.items() if k in EDITABLE_COMPANY_FIELDS})
    group.name = f"company:{company.pk}"
    group.save(update_fields=["name"])
    _membership_add(company=company, user=actor, role=Role.OWNER)
    audit_record(action=acts.COMPANY_REGISTERED, actor=actor, target=company, company=company)
    return company


@transaction.atomic
def company_update(*, actor: Any, company: Company, **fields: Any) -> Company:
    """Owners and admins edit the profile; verification status is staff's alone."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if not user_can(actor, "change", company):
        raise PermissionRefused()
    changed = {}
    for name, value in fields.items():
        if name in EDITABLE_COMPANY_FIELDS and getattr(company, name) != value:
            changed[name] = str(value)[:200]
            setattr(company, name, value)
    company.full_clean()
    company.save()
    audit_record(action=acts.COMPANY_UPDATED, actor=actor, target=company, company=company,
                 details={"changed": sorted(changed)})
    return company


def _company_set_status(*, actor: Any, company_id: int, status: str, reason: str, action: str, kind: str) -> Company:
    if not getattr(actor, "is_staff", False):
        raise PermissionRefused()
    company = Company.objects.select_for_update().get(pk=company_id)
    if status != VerificationStatus.VERIFIED:
        required_reason(reason, code="invalid", field_message=_("This field is required."))
    if company.verification_status == status:
        raise Conflict(_("The company already has this status."))
    company.verification_status = status
    company.status_reason = reason.strip()
    if status == VerificationStatus.VERIFIED:
        company.verified_at = timezone.now()
    company.save(update_fields=["verification_status", "status_reason", "verified_at", "updated_at"])
    audit_record(action=action, actor=actor, target=company, details={"reason": company.status_reason})
    notify(kind=kind, recipients=company_admins(company), target=company, actor=actor,
           context={**company_context("company", company), "reason": company.status_reason})
    return company


@transaction.atomic
def company_verify(*, actor: Any, company: Company, reason: str = "") -> Company:
    """Staff verify a company: from now on it may list assets and request data-room access."""
    return _company_set_status(actor=actor, company_id=company.pk, status=VerificationStatus.VERIFIED,
                               reason=reason, action=acts.COMPANY_VERIFIED, kind="company.verified")


@transaction.atomic
def company_reject(*, actor: Any, company: Company, reason: str) -> Company:
    """Staff reject a company, always with a reason the company can read."""
    return _company_set_status(actor=actor, company_id=company.pk, status=VerificationStatus.REJECTED,
                               reason=reason, action=acts.COMPANY_REJECTED, kind="company.rejected")


@transaction.atomic
def company_suspend(*, actor: Any, company: Company, reason: str) -> Company:
    """Staff suspend a company: it keeps its data but loses the rights of a verified company at once."""
    return _company_set_status(actor=actor, company_id=company.pk, status=VerificationStatus.SUSPENDED,
                               reason=reason, action=acts.COMPANY_SUSPENDED, kind="company.suspended")


def _membership_add(*, company: Company, user: Any, role: str) -> Membership:
    membership = Membership.objects.create(company=company, user=user, role=role)
    # The company's guardian group carries every grant made to the company.
    user.groups.add(company.group)
    return membership


@transaction.atomic
def invitation_create(*, actor: Any, company: Company, email: str, role: str) -> tuple[Invitation, str]:
    """Owners and admins invite by e-mail. Returns the invitation and its one-time token (sent by e-mail)."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if not user_can(actor, "manage_members", company):
        raise PermissionRefused()
    if role == Role.OWNER and not Membership.objects.filter(company=company, user=actor, role=Role.OWNER).exists():
        raise PermissionRefused(_("Only an owner can invite another owner."))
    email = email.strip().lower()
    if Membership.objects.filter(company=company, user__email__iexact=email).exists():
        raise Conflict(_("This person is already a member of the company."), code="already_member")
    # A new invitation replaces any pending one for the same address: only the latest link works.
    Invitation.objects.filter(company=company, email__iexact=email, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.REVOKED
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        company=company, email=email, role=role, token_hash=hash_token(token), invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS),
    )
    audit_record(action=acts.INVITATION_SENT, actor=actor, target=invitation, company=company,
                 details={"email": email, "role": role})
    notify(kind="membership.invited", emails=[email], target=invitation, actor=actor,
           context={**company_context("company", company), "role": role, "token": token, "inviter": actor.full_name,
                    "accept_url": f"{settings.SITE_URL}/api/v1/invitations/accept/?token={token}"})
    return invitation, token


@transaction.atomic
def invitation_accept(*, actor: Any, token: str) -> Membership:
    """The invited person, signed in with the invited address, joins the company. Single use."""
    # Same answer for a wrong token and someone else's token: nobody can probe invitations.
    invitation = Invitation.objects.select_for_update().get(
        pk=invitation_for_invitee(actor=actor, token=token).pk)
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict(_("This invitation has already been used or revoked."), code="invitation_used")
    if invitation.is_expired:
        raise Conflict(_("This invitation has expired. Ask for a new one."), code="invitation_expired")
    if Membership.objects.filter(company=invitation.company, user=actor).exists():
        raise Conflict(_("You are already a member of this company."), code="already_member")
    membership = _membership_add(company=invitation.company, user=actor, role=invitation.role)
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_by = actor
    invitation.save(update_fields=["status", "accepted_by"])
    audit_record(action=acts.INVITATION_ACCEPTED, actor=actor, target=invitation,
                 company=invitation.company, details={"role": invitation.role})
    return membership


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not user_can(actor, "manage_members", invitation.company):
        raise PermissionRefused()
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict(_("Only a pending invitation can be revoked."), code="not_pending")
    invitation.status = InvitationStatus.REVOKED
    invitation.save(update_fields=["status"])
    audit_record(action=acts.INVITATION_REVOKED, actor=actor, target=invitation, company=invitation.company)
    return invitation


def _owner_count(company: Company) -> int:
    return Membership.objects.filter(company=company, role=Role.OWNER).count()


@transaction.atomic
def membership_change_role(*, actor: Any, membership: Membership, role: str) -> Membership:
    """Owners and admins change roles; only owners touch owners; a company always keeps one owner."""
    membership = Membership.objects.select_for_update().select_related("company", "user").get(pk=membership.pk)
    company = membership.company
    if not user_can(actor, "manage_members", company):
        raise PermissionRefused()
    actor_is_owner = Membership.objects.filter(company=company, user=actor, role=Role.OWNER).exists()
    if Role.OWNER in (membership.role, role) and not actor_is_owner:
        raise PermissionRefused(_("Only an owner can change an owner's role or make someone an owner."))
    if membership.role == Role.OWNER and role != Role.OWNER and _owner_count(company) <= 1:
        raise Conflict(_("A company must keep at least one owner."), code="last_owner")
    if membership.role == role:
        return membership
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(action=acts.MEMBER_ROLE_CHANGED, actor=actor, target=membership, company=company,
                 details={"user": membership.user_id, "from": previous, "to": role})
    notify(kind="membership.role_changed", recipients=[membership.user], target=company, actor=actor,
           context={**company_context("company", company), "role": role, "previous_role": previous})
    return membership


@transaction.atomic
def membership_remove(*, actor: Any, membership: Membership) -> None:
    """Admins remove members, anyone may leave. The person loses the company's grants at once."""
    membership = Membership.objects.select_for_update().select_related("company", "user").get(pk=membership.pk)
    company = membership.company
    leaving = membership.user_id == actor.pk
    if not leaving and not user_can(actor, "manage_members", company):
        raise PermissionRefused()
    if membership.role == Role.OWNER:
        if not leaving and not Membership.objects.filter(company=company, user=actor, role=Role.OWNER).exists():
            raise PermissionRefused(_("Only an owner can remove an owner."))
        if _owner_count(company) <= 1:
            raise Conflict(_("A company must keep at least one owner."), code="last_owner")
    membership.user.groups.remove(company.group)
    membership.delete()
    audit_record(action=acts.MEMBER_REMOVED, actor=actor, target=company, company=company,
                 details={"user": membership.user_id, "role": membership.role, "left": leaving})
