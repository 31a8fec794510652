"""Submissions: a biotech answers an open call with a published asset; the calling partner triages it."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.catalog.models import Asset, AssetStatus
from apps.companies.models import CONTRIBUTING_ROLES, CompanyKind, Membership
from apps.core.authz import VIEW, user_can
from apps.core.errors import Conflict, NotFound, PermissionRefused
from apps.core.validation import required_reason
from apps.notifications.services import notify
from apps.partnering import audit_actions as acts
from apps.partnering.models import (
    CallForAssets,
    CallStatus,
    DeclineReason,
    Submission,
    SubmissionStatus,
)
from apps.partnering.notifications import company_context
from apps.partnering.services.calls import _call_context
from apps.partnering.services.common import _invalid, _users


def _submission_context(submission: Submission, **extra: Any) -> dict[str, Any]:
    call = submission.call
    return {**_call_context(call), "asset": submission.asset.code_name,
            **company_context("biotech", submission.company), **extra}


@transaction.atomic
def submission_create(*, actor: Any, call: CallForAssets, asset: Asset, pitch: str) -> Submission:
    """A contributor of the asset's (verified biotech) owner answers an open call with a published asset."""
    if not CallForAssets.objects.for_user(actor, VIEW).filter(pk=call.pk).exists():
        raise NotFound()
    call = CallForAssets.objects.select_for_update(of=("self",)).select_related("company").get(pk=call.pk)
    asset = Asset.objects.select_related("owner_company").get(pk=asset.pk)
    contributor = Membership.objects.filter(user=actor, company_id=asset.owner_company_id,
                                            role__in=CONTRIBUTING_ROLES).exists()
    if not contributor or asset.owner_company.kind != CompanyKind.BIOTECH or not asset.owner_company.is_verified:
        raise PermissionRefused(_("Only contributors of the verified biotech that lists the asset may submit it."),
                                code="not_the_owner")
    if call.status != CallStatus.OPEN or call.deadline < timezone.localdate():
        raise Conflict(_("This call no longer takes submissions."), code="call_closed")
    if asset.status != AssetStatus.PUBLISHED:
        raise Conflict(_("Only a published listing can be submitted."), code="not_published")
    pitch = (pitch or "").strip()
    if not pitch:
        raise _invalid("pitch", _("Write a short non-confidential pitch."))
    try:
        with transaction.atomic():
            submission = Submission.objects.create(call=call, asset=asset, company=asset.owner_company,
                                                   pitch=pitch[:4000], created_by=actor)
    except IntegrityError:
        raise Conflict(_("This asset was already submitted to this call."), code="already_submitted") from None
    audit_record(action=acts.SUBMISSION_CREATED, actor=actor, target=submission, company=asset.owner_company,
                 details={"call": call.pk, "asset": asset.pk})
    notify(kind="partnering.submission_received", recipients=_users(call.company_id), target=submission,
           actor=actor, context=_submission_context(submission))
    return submission


TRIAGE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    SubmissionStatus.RECEIVED: (SubmissionStatus.UNDER_REVIEW, SubmissionStatus.MORE_INFO,
                                SubmissionStatus.ADVANCED, SubmissionStatus.DECLINED),
    SubmissionStatus.UNDER_REVIEW: (SubmissionStatus.MORE_INFO, SubmissionStatus.ADVANCED,
                                    SubmissionStatus.DECLINED),
    SubmissionStatus.MORE_INFO: (SubmissionStatus.UNDER_REVIEW, SubmissionStatus.ADVANCED,
                                 SubmissionStatus.DECLINED),
}


@transaction.atomic
def submission_triage(*, actor: Any, submission: Submission, status: str, decline_reason: str = "",
                      decline_note: str = "", info_request: str = "", access_message: str = "") -> Submission:
    """The calling company moves a submission on: under review, more information requested, advanced (asks for
    the asset's data room through the access-request flow when it has one) or declined with a structured
    reason the biotech reads in its own language."""
    submission = (Submission.objects.select_for_update(of=("self",)).select_related("call__company", "asset",
                                                                                    "company")
                  .get(pk=submission.pk))
    if not user_can(actor, "triage", submission):
        raise PermissionRefused()
    if status not in TRIAGE_TRANSITIONS.get(submission.status, ()):
        raise Conflict(_("A submission that is %(status)s cannot move to that state.")
                       % {"status": submission.get_status_display()}, code="invalid_transition")
    details: dict[str, Any] = {"from": submission.status, "to": status}
    if status == SubmissionStatus.DECLINED:
        required_reason(decline_reason, allowed=DeclineReason.values, field="decline_reason",
                        message=_("Choose a reason."))
        if decline_reason == DeclineReason.OTHER:
            required_reason(decline_note, field="decline_note", code="note_required", message=_("Say why."))
        submission.decline_reason = decline_reason
        submission.decline_note = decline_note.strip()[:2000]
        details["reason"] = decline_reason
    elif decline_reason or decline_note:
        raise _invalid("decline_reason", _("Only a decline carries a reason."), code="decline_only")
    if status == SubmissionStatus.MORE_INFO:
        required_reason(info_request, field="info_request", code="info_request_required",
                        message=_("Say what information you need."))
        submission.info_request = info_request.strip()[:2000]
    if status == SubmissionStatus.ADVANCED:
        submission.access_request = _request_data_room(actor, submission, access_message)
        details["access_request"] = submission.access_request_id
    submission.status = status
    submission.save()
    audit_record(action=acts.SUBMISSION_TRIAGED, actor=actor, target=submission, company=submission.call.company,
                 details=details)
    notify(kind="partnering.submission_status_changed", recipients=_users(submission.company_id),
           target=submission, actor=actor,
           context=_submission_context(submission, status=status, decline_reason=submission.decline_reason,
                                       note=submission.decline_note or submission.info_request))
    return submission


def _request_data_room(actor: Any, submission: Submission, message: str) -> Any:
    """Advancing opens the existing data-room request flow when the asset has a room the partner has no pending
    request for; otherwise the submission is advanced alone (the biotech can invite the partner later)."""
    from apps.datarooms.models import AccessRequest, AccessRequestStatus, DataRoom
    from apps.datarooms.services import access_request_create

    room = DataRoom.objects.filter(asset=submission.asset).first()
    if room is None:
        return None
    pending = AccessRequest.objects.filter(room=room, company=submission.call.company,
                                           status=AccessRequestStatus.PENDING).first()
    if pending is not None:
        return pending
    text = message.strip() or str(_("Following our call for assets: we would like to start diligence."))
    return access_request_create(actor=actor, asset=submission.asset, message=text[:4000])


@transaction.atomic
def submission_withdraw(*, actor: Any, submission: Submission) -> Submission:
    """The answering biotech withdraws a submission that is still open."""
    submission = Submission.objects.select_for_update(of=("self",)).select_related("call").get(pk=submission.pk)
    if not user_can(actor, "withdraw", submission):
        raise PermissionRefused()
    if submission.status in (SubmissionStatus.ADVANCED, SubmissionStatus.DECLINED, SubmissionStatus.WITHDRAWN):
        raise Conflict(_("This submission can no longer be withdrawn."), code="invalid_transition")
    previous = submission.status
    submission.status = SubmissionStatus.WITHDRAWN
    submission.save(update_fields=["status", "updated_at"])
    audit_record(action=acts.SUBMISSION_WITHDRAWN, actor=actor, target=submission, company=submission.company,
                 details={"from": previous})
    return submission

