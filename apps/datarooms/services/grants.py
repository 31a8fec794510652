"""Getting in and staying in: access requests and their decisions, grants (made, widened, narrowed, revoked, folders
released), the beat sweeps that warn before expiry and record it after, and the admin's clearance hook.

Every change to a grant takes effect on the partner's very next request: apps/datarooms/access.py reads the
grants (revoked_at, expires_at against the database clock) on every request; nothing here caches access."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.catalog.models import Asset
from apps.companies.models import CONTRIBUTING_ROLES, Company, Membership
from apps.companies.selectors import company_admins, company_people
from apps.core.authz import require_permission
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from apps.core.validation import require_future, required_reason
from apps.notifications.services import notify

from .. import audit_actions as A
from ..access import MANAGE, may_request_access
from ..models import (
    AccessGrant,
    AccessRequest,
    AccessRequestStatus,
    DataRoom,
    ExportClearance,
    Folder,
    GrantLevel,
    GrantScope,
)
from .common import room_context


def grantee_people(company_id: int, user: Any = None) -> Any:
    """Who hears about a grant: its named person, or every active member of the grantee company."""
    return [user] if user is not None else company_people(company_id)


@transaction.atomic
def access_request_create(*, actor: Any, asset: Asset, message: str) -> AccessRequest:
    """A member of a verified partner company asks for access to the asset's data room."""
    if not may_request_access(actor, asset):
        raise NotFound()
    room = DataRoom.objects.filter(asset=asset).select_related("asset", "owner_company").first()
    if room is None:
        raise NotFound()
    membership = (Membership.objects.filter(user=actor, role__in=CONTRIBUTING_ROLES,
                                            company__verification_status="verified")
                  .exclude(company_id=room.owner_company_id).select_related("company").order_by("created_at").first())
    if membership is None:
        raise PermissionRefused(_("Only members of a verified partner company may request access."),
                                code="not_a_partner")
    company = membership.company
    if AccessRequest.objects.filter(room=room, company=company, status=AccessRequestStatus.PENDING).exists():
        raise Conflict(_("Your company already has a pending request for this data room."), code="request_pending")
    request = AccessRequest.objects.create(room=room, company=company, requested_by=actor, message=message)
    audit_record(action=A.ACCESS_REQUESTED, actor=actor, target=request, company=company, details={"room": room.pk})
    notify(kind="dataroom.access_requested", recipients=company_admins(room.owner_company), target=request, actor=actor,
           context={**room_context(room), "company": company.name_en, "company_zh": company.name_zh})
    return request


def _check_grant_terms(*, room: DataRoom, scope: str, folders: list[Folder], expires_at: datetime) -> None:
    require_future(expires_at, field="expires_at", code="expiry_in_past",
                   message=_("The expiry must be in the future."))
    if scope == GrantScope.FOLDERS and not folders:
        raise ValidationFailed(_("Choose at least one folder."), code="folders_required",
                               fields={"folders": [_("Required.")]})
    if any(f.room_id != room.pk for f in folders):
        raise ValidationFailed(_("A folder belongs to another data room."), code="wrong_room",
                               fields={"folders": [_("Not in this data room.")]})


def _grant_make(*, actor: Any, room: DataRoom, company: Company, user: Any, level: str, scope: str,
                folders: list[Folder], expires_at: datetime, request: AccessRequest | None = None) -> AccessGrant:
    if company.pk == room.owner_company_id:
        raise ValidationFailed(_("The owner company needs no grant."), code="owner_needs_no_grant")
    if not company.is_verified:
        raise ValidationFailed(_("Only verified companies can be granted access."), code="company_not_verified")
    if user is not None and not Membership.objects.filter(user=user, company=company).exists():
        raise ValidationFailed(_("The named person is not a member of the company."), code="not_a_member",
                               fields={"user": [_("Not a member of the company.")]})
    _check_grant_terms(room=room, scope=scope, folders=folders, expires_at=expires_at)
    grant = AccessGrant.objects.create(room=room, company=company, user=user, level=level, scope=scope,
                                       expires_at=expires_at, granted_by=actor, request=request)
    grant.folders.set(folders)
    audit_record(action=A.GRANT_CREATED, actor=actor, target=grant, company=room.owner_company,
                 details={"grantee": company.pk, "user": getattr(user, "pk", None), "level": level, "scope": scope,
                          "folders": [f.pk for f in folders], "expires_at": expires_at.isoformat()})
    notify(kind="dataroom.access_approved", recipients=grantee_people(company.pk, user), target=room, actor=actor,
           context={**room_context(room), "level": level, "expires": expires_at.date().isoformat()})
    return grant


@transaction.atomic
def access_request_approve(*, actor: Any, request: AccessRequest, level: str, scope: str, expires_at: datetime,
                           folders: list[Folder] | None = None, user: Any = None) -> AccessGrant:
    """The owner's admins approve: scope (room or chosen folders), level (view or download), expiry."""
    request = AccessRequest.objects.select_for_update().select_related("room__asset", "company").get(pk=request.pk)
    require_permission(actor, "decide", request)
    if request.status != AccessRequestStatus.PENDING:
        raise Conflict(_("Only a pending request can be decided."), code="not_pending")
    grant = _grant_make(actor=actor, room=request.room, company=request.company, user=user, level=level, scope=scope,
                        folders=folders or [], expires_at=expires_at, request=request)
    request.status = AccessRequestStatus.APPROVED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(action=A.ACCESS_APPROVED, actor=actor, target=request, company=request.room.owner_company,
                 details={"grant": grant.pk})
    return grant


@transaction.atomic
def access_request_deny(*, actor: Any, request: AccessRequest, reason: str) -> AccessRequest:
    request = AccessRequest.objects.select_for_update().select_related("room__asset").get(pk=request.pk)
    require_permission(actor, "decide", request)
    if request.status != AccessRequestStatus.PENDING:
        raise Conflict(_("Only a pending request can be decided."), code="not_pending")
    required_reason(reason, message=_("Give a reason."), field_message=_("Required."))
    request.status = AccessRequestStatus.DENIED
    request.reason = reason
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_record(action=A.ACCESS_DENIED, actor=actor, target=request, company=request.room.owner_company,
                 details={"reason": reason[:500]})
    notify(kind="dataroom.access_denied", recipients=[request.requested_by], target=request, actor=actor,
           context={**room_context(request.room), "reason": reason})
    return request


@transaction.atomic
def access_request_withdraw(*, actor: Any, request: AccessRequest) -> AccessRequest:
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    require_permission(actor, "withdraw", request)
    if request.status != AccessRequestStatus.PENDING:
        raise Conflict(_("Only a pending request can be withdrawn."), code="not_pending")
    request.status = AccessRequestStatus.WITHDRAWN
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    audit_record(action=A.ACCESS_WITHDRAWN, actor=actor, target=request, company=request.company)
    return request


@transaction.atomic
def grant_create(*, actor: Any, room: DataRoom, company: Company, level: str, scope: str, expires_at: datetime,
                 folders: list[Folder] | None = None, user: Any = None) -> AccessGrant:
    """The owner grants access without a request (e.g. after a meeting)."""
    require_permission(actor, MANAGE, room)
    return _grant_make(actor=actor, room=room, company=company, user=user, level=level, scope=scope,
                       folders=folders or [], expires_at=expires_at)


@transaction.atomic
def grant_update(*, actor: Any, grant: AccessGrant, level: str | None = None,
                 expires_at: datetime | None = None) -> AccessGrant:
    """The owner changes a grant's level or expiry; the partner is told when its access widened (view →
    download, a later expiry). Narrowing is not announced: it takes effect on the next request."""
    grant = AccessGrant.objects.select_for_update().select_related("room__asset").get(pk=grant.pk)
    require_permission(actor, MANAGE, grant)
    if grant.revoked_at is not None:
        raise Conflict(_("A revoked grant cannot change."), code="grant_revoked")
    widened = ((level == GrantLevel.DOWNLOAD and grant.level != GrantLevel.DOWNLOAD)
               or (expires_at is not None and expires_at > grant.expires_at))
    if expires_at is not None:
        require_future(expires_at, field="expires_at", code="expiry_in_past",
                       message=_("The expiry must be in the future."))
        grant.expires_at = expires_at
        grant.expiry_warned_at = None
    if level is not None:
        grant.level = level
    grant.save()
    audit_record(action=A.GRANT_UPDATED, actor=actor, target=grant, company=grant.room.owner_company,
                 details={"level": grant.level, "expires_at": grant.expires_at.isoformat()})
    if widened:
        notify(kind="dataroom.access_extended", recipients=grantee_people(grant.company_id, grant.user),
               target=grant.room, actor=actor,
               context={**room_context(grant.room), "level": grant.level,
                        "expires": grant.expires_at.date().isoformat()})
    return grant


@transaction.atomic
def grant_revoke(*, actor: Any, grant: AccessGrant) -> AccessGrant:
    """Effective on the very next request: every access rule compares revoked_at in SQL."""
    grant = AccessGrant.objects.select_for_update().select_related("room__asset").get(pk=grant.pk)
    require_permission(actor, MANAGE, grant)
    return _grant_mark_revoked(actor=actor, grant=grant, details={"grantee": grant.company_id})


@transaction.atomic
def grant_revoke_by_staff(*, actor: Any, grant: AccessGrant, reason: str) -> AccessGrant:
    """Staff revoke a grant from the console (a compliance or abuse concern), always with a reason; the
    room's owner is told as well as the partner."""
    if not (getattr(actor, "is_staff", False) and actor.has_perm("datarooms.change_accessgrant")):
        raise PermissionRefused()
    required_reason(reason)
    grant = AccessGrant.objects.select_for_update().select_related("room__asset", "company").get(pk=grant.pk)
    grant = _grant_mark_revoked(actor=actor, grant=grant,
                                details={"grantee": grant.company_id, "by_staff": True, "reason": reason.strip()})
    # The partner got "your access was revoked" from _grant_mark_revoked; the owner's people learn what staff did.
    notify(kind="dataroom.grant_revoked_by_staff", recipients=company_admins(grant.room.owner_company),
           target=grant.room, actor=actor,
           context={**room_context(grant.room), "company": grant.company.name_en,
                    "company_zh": grant.company.name_zh, "reason": reason.strip()})
    return grant


def _grant_mark_revoked(*, actor: Any, grant: AccessGrant, details: dict[str, Any]) -> AccessGrant:
    if grant.revoked_at is not None:
        raise Conflict(_("The grant is already revoked."), code="grant_revoked")
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(action=A.GRANT_REVOKED, actor=actor, target=grant, company=grant.room.owner_company, details=details)
    notify(kind="dataroom.access_revoked", recipients=grantee_people(grant.company_id, grant.user), target=grant.room,
           actor=actor, context=room_context(grant.room))
    return grant


@transaction.atomic
def grant_release_folders(*, actor: Any, grant: AccessGrant, folders: list[Folder]) -> AccessGrant:
    """Staged disclosure: open (held-back) folders to this partner now."""
    grant = AccessGrant.objects.select_for_update().select_related("room__asset").get(pk=grant.pk)
    require_permission(actor, MANAGE, grant)
    if grant.revoked_at is not None:
        raise Conflict(_("A revoked grant cannot change."), code="grant_revoked")
    if not folders or any(f.room_id != grant.room_id for f in folders):
        raise ValidationFailed(_("Choose folders of this data room."), code="wrong_room",
                               fields={"folders": [_("Choose folders of this data room.")]})
    grant.folders.add(*folders)
    audit_record(action=A.PHASE_CHANGED, actor=actor, target=grant, company=grant.room.owner_company,
                 details={"released": [f.pk for f in folders], "grantee": grant.company_id})
    notify(kind="dataroom.folders_released", recipients=grantee_people(grant.company_id, grant.user),
           target=grant.room, actor=actor,
           context={**room_context(grant.room), "folders": ", ".join(f.name for f in folders)})
    return grant


def grants_warn_expiring(*, days: int = 3) -> int:
    """Warn partners a few days before a grant expires; each grant is claimed once (conditional update)."""
    now = timezone.now()
    due = AccessGrant.objects.filter(revoked_at__isnull=True, expiry_warned_at__isnull=True, expires_at__gt=now,
                                     expires_at__lte=now + timedelta(days=days))
    warned = 0
    for grant in due.select_related("room__asset"):
        with transaction.atomic():
            if not AccessGrant.objects.filter(pk=grant.pk, expiry_warned_at__isnull=True).update(expiry_warned_at=now):
                continue
            notify(kind="dataroom.access_expiring", recipients=grantee_people(grant.company_id, grant.user),
                   target=grant.room, context={**room_context(grant.room),
                                               "expires": grant.expires_at.date().isoformat()})
            warned += 1
    return warned


def grants_record_expired() -> int:
    """Expiry already took effect in every query; this records it once in the audit trail and tells the partner."""
    now = timezone.now()
    recorded = 0
    for grant in AccessGrant.objects.filter(revoked_at__isnull=True, expires_at__lte=now,
                                            expired_recorded_at__isnull=True).select_related("room__asset"):
        with transaction.atomic():
            if not AccessGrant.objects.filter(pk=grant.pk, expired_recorded_at__isnull=True).update(
                expired_recorded_at=now
            ):
                continue
            audit_record(action=A.GRANT_EXPIRED, actor=None, target=grant, company=grant.room.owner_company,
                         details={"grantee": grant.company_id, "expired_at": grant.expires_at.isoformat()})
            notify(kind="dataroom.access_expired", recipients=grantee_people(grant.company_id, grant.user),
                   target=grant.room, context={**room_context(grant.room),
                                               "expires": grant.expires_at.date().isoformat()})
            recorded += 1
    return recorded


def clearance_recorded(*, actor: Any, clearance: ExportClearance) -> None:
    """Audit hook for the admin: a compliance officer recorded or changed a clearance."""
    audit_record(action=A.CLEARANCE_RECORDED, actor=actor, target=clearance.room, company=clearance.company,
                 details={"type": clearance.clearance_type, "reference": clearance.reference,
                          "valid_until": clearance.valid_until.isoformat()})
