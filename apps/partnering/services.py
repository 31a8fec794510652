"""Writes for partnering. Each service re-checks permission inside its transaction, guards its state transition
(Conflict, 409), audits the change and tells people through notify() (transactional outbox)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.catalog.models import Asset, AssetStatus, DealType, Modality, Stage, TherapeuticArea
from apps.catalog.territories import Territory
from apps.companies.models import CONTRIBUTING_ROLES, Company, CompanyKind, Membership, VerificationStatus
from apps.core.authz import CHANGE, VIEW, user_can
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from apps.notifications.services import notify
from apps.partnering import audit_actions as acts
from apps.partnering.contexts import get_context
from apps.partnering.models import (
    DEFAULT_CRITERIA,
    Booking,
    CalendarFeed,
    CallForAssets,
    CallStatus,
    DeclineReason,
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    EventAvailability,
    EventRegistration,
    Meeting,
    MeetingParticipant,
    MeetingSlot,
    MeetingStatus,
    PartneringEvent,
    SlotStatus,
    Submission,
    SubmissionStatus,
    new_feed_token,
)

MAX_SLOTS = 5
MAX_MEETING_MINUTES = 8 * 60
PARTNER_KINDS = (CompanyKind.PHARMA, CompanyKind.INVESTOR)
CALL_FIELDS = ("title_en", "title_zh", "description_en", "description_zh", "therapeutic_areas", "modalities",
               "stages", "territories", "deal_types", "deadline")
EDITABLE_CALL_STATUSES = (CallStatus.DRAFT, CallStatus.CHANGES_REQUESTED, CallStatus.OPEN)


def _invalid(field: str, message: Any, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={field: [message]})


def _users(company_id: int, roles: tuple[str, ...] | None = CONTRIBUTING_ROLES) -> QuerySet:
    from apps.accounts.models import User

    people = User.objects.filter(memberships__company_id=company_id, is_active=True)
    if roles is not None:
        people = people.filter(memberships__role__in=roles)
    return people.distinct()


def _staff() -> QuerySet:
    from apps.accounts.models import User

    return User.objects.filter(is_staff=True, is_active=True)


def _company_context(prefix: str, company: Company) -> dict[str, str]:
    return {prefix: company.name_en, f"{prefix}_zh": company.name_zh or company.name_en}


def _require_staff(actor: Any, message: Any = None) -> None:
    if not getattr(actor, "is_staff", False):
        raise PermissionRefused(message or _("Only platform staff moderate calls."))


def _choices(field: str, values: Any, allowed: Iterable[str]) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise _invalid(field, _("Expected a list."))
    allowed_set = set(allowed)
    clean: list[str] = []
    for value in values:
        if value not in allowed_set:
            raise _invalid(field, _("Unknown value: %(value)s.") % {"value": str(value)[:60]}, code="unknown_choice")
        if value not in clean:
            clean.append(value)
    return clean


# --- calls for assets ------------------------------------------------------------------------------------------

def _call_context(call: CallForAssets, **extra: Any) -> dict[str, Any]:
    return {"call": call.title_en or call.title_zh, "call_zh": call.title_zh or call.title_en,
            "call_id": str(call.public_id), **_company_context("company", call.company), **extra}


def _normalize_call(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in CALL_FIELDS:
            continue
        if name == "therapeutic_areas":
            value = _choices(name, value, TherapeuticArea.values)
        elif name == "modalities":
            value = _choices(name, value, Modality.values)
        elif name == "stages":
            value = _choices(name, value, Stage.values)
        elif name == "deal_types":
            value = _choices(name, value, DealType.values)
        elif name == "territories":
            value = Territory.parse(value).codes() if value else []
        elif isinstance(value, str):
            value = value.strip()
        clean[name] = value
    return clean


def _require_call_text(call: CallForAssets) -> None:
    if not (call.title_en or call.title_zh):
        raise _invalid("title_en", _("A title in English or Chinese is required."))
    if not (call.description_en or call.description_zh):
        raise _invalid("description_en", _("A description in English or Chinese is required."))


@transaction.atomic
def call_create(*, actor: Any, company: Company | None = None, **fields: Any) -> CallForAssets:
    """Contributors of a verified partner company (pharma or investor) draft a call for assets."""
    companies = Company.objects.filter(
        pk__in=Membership.objects.filter(user=actor, role__in=CONTRIBUTING_ROLES).values("company_id"),
        verification_status=VerificationStatus.VERIFIED, kind__in=PARTNER_KINDS)
    if company is not None:
        companies = companies.filter(pk=company.pk)
    found = list(companies[:2])
    if not found:
        raise PermissionRefused(_("Only contributors of a verified pharma or investor company may publish calls."),
                                code="not_a_partner")
    if len(found) > 1:
        raise _invalid("company", _("Say which of your companies publishes this call."))
    clean = _normalize_call(fields)
    if not clean.get("deadline"):
        raise _invalid("deadline", _("This field is required."))
    if clean["deadline"] < timezone.localdate():
        raise _invalid("deadline", _("The deadline has passed."), code="deadline_passed")
    call = CallForAssets(company=found[0], created_by=actor, **clean)
    _require_call_text(call)
    call.save()
    audit_record(action=acts.CALL_CREATED, actor=actor, target=call, company=call.company,
                 details={"title": call.title_en or call.title_zh})
    return call


def _lock_call(call: CallForAssets) -> CallForAssets:
    return CallForAssets.objects.select_for_update(of=("self",)).select_related("company").get(pk=call.pk)


@transaction.atomic
def call_update(*, actor: Any, call: CallForAssets, **fields: Any) -> CallForAssets:
    """The calling company's contributors edit a draft, a call sent back, or an open call."""
    call = _lock_call(call)
    if not user_can(actor, CHANGE, call):
        raise PermissionRefused()
    if call.status not in EDITABLE_CALL_STATUSES:
        raise Conflict(_("This call cannot be edited any more."), code="not_editable")
    clean = _normalize_call(fields)
    if "deadline" in clean and clean["deadline"] < timezone.localdate():
        raise _invalid("deadline", _("The deadline has passed."), code="deadline_passed")
    changed = sorted(name for name, value in clean.items() if getattr(call, name) != value)
    for name in changed:
        setattr(call, name, clean[name])
    _require_call_text(call)
    call.save()
    if changed:
        audit_record(action=acts.CALL_UPDATED, actor=actor, target=call, company=call.company,
                     details={"changed": changed})
    return call


@transaction.atomic
def call_submit(*, actor: Any, call: CallForAssets) -> CallForAssets:
    """draft or changes requested → submitted for moderation; staff are told."""
    call = _lock_call(call)
    if not user_can(actor, CHANGE, call):
        raise PermissionRefused()
    if call.status not in (CallStatus.DRAFT, CallStatus.CHANGES_REQUESTED):
        raise Conflict(_("Only a draft or a call with requested changes can be submitted."), code="invalid_transition")
    call.status = CallStatus.SUBMITTED
    call.submitted_at = timezone.now()
    call.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(action=acts.CALL_SUBMITTED, actor=actor, target=call, company=call.company)
    notify(kind="partnering.call_submitted", recipients=_staff(), target=call, actor=actor,
           context=_call_context(call))
    return call


def matching_biotech_ids(call: CallForAssets) -> list[int]:
    """Verified biotechs with at least one published asset meeting every criterion the call sets."""
    assets = Asset.objects.filter(status=AssetStatus.PUBLISHED, owner_company__kind=CompanyKind.BIOTECH,
                                  owner_company__verification_status=VerificationStatus.VERIFIED)
    if call.modalities:
        assets = assets.filter(modality__in=call.modalities)
    if call.stages:
        assets = assets.filter(stage__in=call.stages)
    if call.therapeutic_areas:
        assets = assets.filter(therapeutic_areas__has_any=call.therapeutic_areas)
    if call.territories:
        assets = assets.filter(territories__has_any=call.territories)
    if call.deal_types:
        assets = assets.filter(deal_types__has_any=call.deal_types)
    return list(assets.exclude(owner_company_id=call.company_id).values_list("owner_company_id", flat=True)
                .distinct())


@transaction.atomic
def call_publish(*, actor: Any, call: CallForAssets, note: str = "") -> CallForAssets:
    """Staff open a submitted call; the calling company is told, and every biotech with a matching published
    asset hears of it in one fan-out."""
    _require_staff(actor)
    call = _lock_call(call)
    if call.status != CallStatus.SUBMITTED:
        raise Conflict(_("Only a submitted call can be published."), code="invalid_transition")
    call.status = CallStatus.OPEN
    call.status_reason = (note or "").strip()[:2000]
    call.published_at = call.published_at or timezone.now()
    call.save(update_fields=["status", "status_reason", "published_at", "updated_at"])
    audit_record(action=acts.CALL_PUBLISHED, actor=actor, target=call, company=call.company,
                 details={"note": call.status_reason})
    notify(kind="partnering.call_published", recipients=_users(call.company_id), target=call, actor=actor,
           context=_call_context(call, note=call.status_reason))
    biotechs = matching_biotech_ids(call)
    if biotechs:
        from apps.accounts.models import User

        recipients = User.objects.filter(memberships__company_id__in=biotechs, is_active=True).distinct()
        notify(kind="partnering.call_matched", recipients=recipients, target=call, actor=actor,
               context=_call_context(call, deadline=call.deadline.isoformat()))
    return call


@transaction.atomic
def call_request_changes(*, actor: Any, call: CallForAssets, reason: str) -> CallForAssets:
    """Staff send a submitted call back with a reason the calling company reads."""
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", _("A reason is required."))
    call = _lock_call(call)
    if call.status != CallStatus.SUBMITTED:
        raise Conflict(_("Only a submitted call can be sent back for changes."), code="invalid_transition")
    call.status = CallStatus.CHANGES_REQUESTED
    call.status_reason = reason[:2000]
    call.save(update_fields=["status", "status_reason", "updated_at"])
    audit_record(action=acts.CALL_CHANGES_REQUESTED, actor=actor, target=call, company=call.company,
                 details={"reason": call.status_reason})
    notify(kind="partnering.call_changes_requested", recipients=_users(call.company_id), target=call, actor=actor,
           context=_call_context(call, reason=call.status_reason))
    return call


@transaction.atomic
def call_close(*, actor: Any, call: CallForAssets, reason: str = "") -> CallForAssets:
    """The calling company (or staff) closes a call: no new submissions; triage goes on."""
    call = _lock_call(call)
    if not getattr(actor, "is_staff", False) and not user_can(actor, CHANGE, call):
        raise PermissionRefused()
    if call.status in (CallStatus.CLOSED, CallStatus.ARCHIVED):
        raise Conflict(_("This call is already closed."), code="invalid_transition")
    previous = call.status
    call.status = CallStatus.CLOSED
    call.status_reason = (reason or "").strip()[:2000] or call.status_reason
    call.save(update_fields=["status", "status_reason", "updated_at"])
    audit_record(action=acts.CALL_CLOSED, actor=actor, target=call, company=call.company,
                 details={"from": previous})
    return call


# --- submissions -----------------------------------------------------------------------------------------------

def _submission_context(submission: Submission, **extra: Any) -> dict[str, Any]:
    call = submission.call
    return {**_call_context(call), "asset": submission.asset.code_name,
            **_company_context("biotech", submission.company), **extra}


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
        if decline_reason not in DeclineReason.values:
            raise _invalid("decline_reason", _("Choose a reason."), code="reason_required")
        if decline_reason == DeclineReason.OTHER and not decline_note.strip():
            raise _invalid("decline_note", _("Say why."))
        submission.decline_reason = decline_reason
        submission.decline_note = decline_note.strip()[:2000]
        details["reason"] = decline_reason
    elif decline_reason or decline_note:
        raise _invalid("decline_reason", _("Only a decline carries a reason."))
    if status == SubmissionStatus.MORE_INFO:
        if not info_request.strip():
            raise _invalid("info_request", _("Say what information you need."))
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


# --- private evaluation ----------------------------------------------------------------------------------------

def _evaluating_company(actor: Any, company: Company | None = None) -> Company:
    companies = Company.objects.filter(
        pk__in=Membership.objects.filter(user=actor, role__in=CONTRIBUTING_ROLES).values("company_id"),
        verification_status=VerificationStatus.VERIFIED)
    if company is not None:
        companies = companies.filter(pk=company.pk)
    found = list(companies.order_by("pk")[:2])
    if not found:
        raise PermissionRefused(_("Only contributors of a verified company evaluate assets."), code="not_a_member")
    if len(found) > 1:
        raise _invalid("company", _("Say which of your companies evaluates."))
    return found[0]


def criteria_ensure_defaults(company: Company) -> None:
    """Copy the default criteria (science, IP position, clinical data, regulatory path, commercial fit) to a
    company that has none yet. Called from the audited services below."""
    if EvaluationCriterion.objects.filter(company=company).exists():
        return
    from django.utils import translation

    rows = []
    for position, (code, label, weight) in enumerate(DEFAULT_CRITERIA):
        with translation.override("en"):
            name_en = str(label)
        with translation.override("zh-hans"):
            name_zh = str(label)
        rows.append(EvaluationCriterion(company=company, code=code, name_en=name_en, name_zh=name_zh,
                                        weight=weight, position=position))
    EvaluationCriterion.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def criterion_save(*, actor: Any, company: Company | None = None, criterion: EvaluationCriterion | None = None,
                   **fields: Any) -> EvaluationCriterion:
    """Contributors of the evaluating company add or edit a criterion and its weight."""
    if criterion is not None:
        criterion = EvaluationCriterion.objects.select_for_update().get(pk=criterion.pk)
        if not user_can(actor, CHANGE, criterion):
            raise PermissionRefused()
        company = criterion.company
    else:
        company = _evaluating_company(actor, company)
        criteria_ensure_defaults(company)
        code = str(fields.get("code") or "").strip()
        if not code:
            raise _invalid("code", _("This field is required."))
        criterion = EvaluationCriterion.objects.filter(company=company, code=code).first() or EvaluationCriterion(
            company=company, code=code, position=EvaluationCriterion.objects.filter(company=company).count())
    for name in ("name_en", "name_zh", "weight", "active"):
        if name in fields and fields[name] is not None:
            setattr(criterion, name, fields[name])
    if not criterion.name_en:
        raise _invalid("name_en", _("This field is required."))
    if criterion.weight is None or Decimal(criterion.weight) < 0:
        raise _invalid("weight", _("A weight of zero or more is required."))
    criterion.full_clean(exclude=["company"])
    criterion.save()
    audit_record(action=acts.CRITERION_SAVED, actor=actor, target=criterion, company=company,
                 details={"code": criterion.code, "weight": str(criterion.weight), "active": criterion.active})
    return criterion


@transaction.atomic
def evaluation_create(*, actor: Any, asset: Asset | None = None, submission: Submission | None = None,
                      note: str = "") -> Evaluation:
    """A partner team opens its private evaluation of an asset it can see (or of a submission's asset)."""
    if submission is not None:
        if not user_can(actor, "triage", submission):
            raise NotFound()
        asset = submission.asset
        company = submission.call.company
    else:
        if asset is None or not Asset.objects.for_user(actor, VIEW).filter(pk=asset.pk).exists():
            raise NotFound()
        company = _evaluating_company(actor)
    if company.pk == asset.owner_company_id:
        raise PermissionRefused(_("A company does not evaluate its own asset."), code="own_asset")
    criteria_ensure_defaults(company)
    if Evaluation.objects.filter(company=company, asset=asset).exists():
        raise Conflict(_("Your company already evaluates this asset."), code="already_evaluated")
    evaluation = Evaluation.objects.create(company=company, asset=asset, submission=submission,
                                           note=(note or "").strip()[:4000], created_by=actor)
    audit_record(action=acts.EVALUATION_CREATED, actor=actor, target=evaluation, company=company,
                 details={"asset": asset.pk, "submission": submission.pk if submission else None})
    return evaluation


@transaction.atomic
def evaluation_score(*, actor: Any, evaluation: Evaluation, scores: list[dict[str, Any]]) -> Evaluation:
    """A member of the evaluating company records their own scores (0–10) and comments, criterion by criterion."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not user_can(actor, CHANGE, evaluation):
        raise PermissionRefused()
    if not scores:
        raise _invalid("scores", _("Give at least one score."))
    criteria = {c.pk: c for c in EvaluationCriterion.objects.filter(company_id=evaluation.company_id, active=True)}
    codes = []
    for item in scores:
        key: Any = getattr(item.get("criterion"), "pk", item.get("criterion"))
        criterion = criteria.get(key)
        if criterion is None:
            raise _invalid("scores", _("Unknown criterion."), code="unknown_criterion")
        score = Decimal(str(item["score"]))
        if not Decimal("0") <= score <= Decimal("10"):
            raise _invalid("scores", _("Scores run from 0 to 10."))
        EvaluationScore.objects.update_or_create(
            evaluation=evaluation, criterion=criterion, scorer=actor,
            defaults={"score": score, "comment": str(item.get("comment") or "").strip()[:4000]})
        codes.append(criterion.code)
    evaluation.save(update_fields=["updated_at"])
    audit_record(action=acts.EVALUATION_SCORED, actor=actor, target=evaluation, company=evaluation.company,
                 details={"criteria": sorted(codes)})
    return evaluation


def evaluation_summary(evaluation: Evaluation) -> dict[str, Any]:
    """Weighted total per member (Σ weight·score / Σ weight over the criteria they scored), their mean, and the
    spread (highest minus lowest member total); per criterion the mean and the spread of the members' scores."""
    scores = list(EvaluationScore.objects.filter(evaluation=evaluation, criterion__active=True)
                  .select_related("criterion"))
    by_member: dict[int, list[EvaluationScore]] = {}
    by_criterion: dict[int, list[Decimal]] = {}
    for score in scores:
        by_member.setdefault(score.scorer_id, []).append(score)
        by_criterion.setdefault(score.criterion_id, []).append(score.score)
    totals: dict[int, Decimal] = {}
    for member, rows in by_member.items():
        weight = sum((row.criterion.weight for row in rows), Decimal("0"))
        if weight > 0:
            totals[member] = _cents(sum((row.criterion.weight * row.score for row in rows), Decimal("0")) / weight)
    return {
        "members": len(totals),
        "weighted_total": _cents(sum(totals.values(), Decimal("0")) / len(totals)) if totals else None,
        "spread": _cents(max(totals.values()) - min(totals.values())) if totals else None,
        "member_totals": {str(member): str(total) for member, total in totals.items()},
        "criteria": {str(cid): {"mean": str(_cents(sum(values, Decimal("0")) / len(values))),
                                "spread": str(_cents(max(values) - min(values)))}
                     for cid, values in by_criterion.items()},
    }


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def evaluation_counts() -> dict[str, int]:
    """What staff may know about evaluations: counts only, never a company, an asset or a score."""
    totals = Evaluation.objects.aggregate(evaluations=Count("pk"), companies=Count("company", distinct=True))
    return {"evaluations": totals["evaluations"], "evaluating_companies": totals["companies"],
            "scores": EvaluationScore.objects.count()}


# --- meetings --------------------------------------------------------------------------------------------------

def _actor_company_among(actor: Any, company_ids: list[int]) -> int | None:
    mine = set(Membership.objects.filter(user=actor, role__in=CONTRIBUTING_ROLES, company_id__in=company_ids)
               .values_list("company_id", flat=True))
    for company_id in company_ids:
        if company_id in mine:
            return company_id
    return None


def _clean_slots(slots: Any) -> list[tuple[datetime, datetime]]:
    if not isinstance(slots, list | tuple) or not 1 <= len(slots) <= MAX_SLOTS:
        raise _invalid("slots", _("Propose between 1 and 5 slots."), code="slot_count")
    now = timezone.now()
    clean: list[tuple[datetime, datetime]] = []
    for slot in slots:
        starts_at, ends_at = slot["starts_at"], slot["ends_at"]
        if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
            raise _invalid("slots", _("Give times with their UTC offset."), code="naive_time")
        if ends_at <= starts_at or ends_at - starts_at > timedelta(minutes=MAX_MEETING_MINUTES):
            raise _invalid("slots", _("A slot must end after it starts, within 8 hours."), code="bad_slot")
        if starts_at <= now:
            raise _invalid("slots", _("A slot must be in the future."), code="slot_in_past")
        clean.append((starts_at.astimezone(zoneinfo.ZoneInfo("UTC")), ends_at.astimezone(zoneinfo.ZoneInfo("UTC"))))
    return clean


def _participants(company_id: int, user_ids: Iterable[int] | None, actor: Any) -> list[Any]:
    from apps.accounts.models import User

    ids = list(dict.fromkeys(user_ids or []))
    if not ids:
        return [actor]
    people = list(User.objects.filter(pk__in=ids, is_active=True, memberships__company_id=company_id).distinct())
    if len(people) != len(ids):
        raise _invalid("participants", _("Participants must be active members of your company."),
                       code="not_a_member")
    return people


def _meeting_context(meeting: Meeting, **extra: Any) -> dict[str, Any]:
    return {"subject": meeting.subject, "meeting_id": str(meeting.uid),
            "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else "",
            **_company_context("requester", meeting.requester_company),
            **_company_context("invitee", meeting.invitee_company), **extra}


@transaction.atomic
def meeting_request(*, actor: Any, context_type: str, context_id: Any, subject: str, slots: list[dict[str, Any]],
                    participants: list[int] | None = None, invitee_company: Company | None = None,
                    location: str = "") -> Meeting:
    """A contributor on one side of a shared context asks the other side to meet, proposing 1–5 slots."""
    context = get_context(context_type)
    if context is None:
        raise _invalid("context_type", _("Unknown context."), code="unknown_choice")
    resolved = context.resolve(actor, context_id)
    if resolved is None:
        raise NotFound()  # exactly like a context that does not exist
    _row, sides = resolved
    requester_id = _actor_company_among(actor, sides)
    if requester_id is None:
        raise PermissionRefused(_("Only contributors of a company taking part may request a meeting."),
                                code="not_a_party")
    others = [company_id for company_id in sides if company_id != requester_id]
    if invitee_company is not None:
        others = [company_id for company_id in others if company_id == invitee_company.pk]
    if len(others) != 1:
        raise _invalid("invitee_company", _("Say which company you invite."))
    subject = " ".join((subject or "").split())
    if not subject:
        raise _invalid("subject", _("This field is required."))
    clean_slots = _clean_slots(slots)
    people = _participants(requester_id, participants, actor)
    meeting = Meeting.objects.create(context_type=context_type, context_id=int(context_id),
                                     requester_company_id=requester_id, invitee_company_id=others[0],
                                     awaiting_company_id=others[0], subject=subject[:200],
                                     location=(location or "").strip()[:300], created_by=actor)
    MeetingSlot.objects.bulk_create([MeetingSlot(meeting=meeting, starts_at=start, ends_at=end,
                                                 proposed_by_company_id=requester_id) for start, end in clean_slots])
    MeetingParticipant.objects.bulk_create([MeetingParticipant(meeting=meeting, user=person,
                                                               company_id=requester_id) for person in people])
    meeting = Meeting.objects.select_related("requester_company", "invitee_company").get(pk=meeting.pk)
    audit_record(action=acts.MEETING_REQUESTED, actor=actor, target=meeting, company=meeting.requester_company,
                 details={"context": context_type, "context_id": int(context_id), "slots": len(clean_slots)})
    notify(kind="partnering.meeting_requested", recipients=_users(others[0]), target=meeting, actor=actor,
           context=_meeting_context(meeting, slots=len(clean_slots)))
    return meeting


def _lock_meeting(actor: Any, meeting: Meeting) -> tuple[Meeting, int]:
    meeting = (Meeting.objects.select_for_update(of=("self",))
               .select_related("requester_company", "invitee_company").get(pk=meeting.pk))
    company_id = _actor_company_among(actor, [meeting.requester_company_id, meeting.invitee_company_id])
    if company_id is None:
        raise PermissionRefused()
    return meeting, company_id


def _company(company_id: int) -> Company:
    return Company.objects.get(pk=company_id)


def _other_side(meeting: Meeting, company_id: int) -> int:
    return meeting.invitee_company_id if company_id == meeting.requester_company_id else meeting.requester_company_id


def _participant_users(meeting: Meeting) -> QuerySet:
    from apps.accounts.models import User

    return User.objects.filter(pk__in=MeetingParticipant.objects.filter(meeting=meeting).values("user_id"),
                               is_active=True)


def _send_invitations_on_commit(meeting: Meeting) -> None:
    from apps.partnering.tasks import meeting_send_invitations

    transaction.on_commit(partial(meeting_send_invitations.delay, meeting.pk, meeting.sequence))


def book_people(meeting: Meeting, users: Iterable[Any], starts_at: datetime, ends_at: datetime, *,
                room: str = "") -> None:
    """Busy time for every participant (and the event room). On PostgreSQL an exclusion constraint refuses
    an overlap even between concurrent transactions; elsewhere the check below is all there is."""
    users = list(users)
    clash = Booking.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).filter(
        Q(user__in=users) | (Q(event_id=meeting.event_id, room=room) if room else Q(pk__in=[])))
    if clash.exclude(meeting=meeting).exists():
        raise Conflict(_("A participant already has a meeting at that time."), code="participant_busy")
    rows = [Booking(meeting=meeting, user=user, starts_at=starts_at, ends_at=ends_at) for user in users]
    if room:
        rows.append(Booking(meeting=meeting, event_id=meeting.event_id, room=room, starts_at=starts_at,
                            ends_at=ends_at))
    try:
        with transaction.atomic():
            Booking.objects.bulk_create(rows)
    except IntegrityError:
        raise Conflict(_("A participant already has a meeting at that time."), code="participant_busy") from None


@transaction.atomic
def meeting_accept(*, actor: Any, meeting: Meeting, slot: MeetingSlot,
                   participants: list[int] | None = None) -> Meeting:
    """The side whose turn it is accepts one proposed slot: the meeting is confirmed, everyone is booked and
    receives an iCalendar invitation."""
    meeting, company_id = _lock_meeting(actor, meeting)
    if meeting.status != MeetingStatus.REQUESTED or meeting.awaiting_company_id != company_id:
        raise Conflict(_("This meeting is not waiting for your answer."), code="invalid_transition")
    if slot.meeting_id != meeting.pk or slot.status != SlotStatus.PROPOSED:
        raise _invalid("slot", _("Choose one of the proposed slots."), code="unknown_slot")
    if slot.starts_at <= timezone.now():
        raise Conflict(_("This slot has passed."), code="slot_in_past")
    people = _participants(company_id, participants, actor)
    MeetingParticipant.objects.bulk_create([MeetingParticipant(meeting=meeting, user=person, company_id=company_id)
                                            for person in people], ignore_conflicts=True)
    book_people(meeting, _participant_users(meeting), slot.starts_at, slot.ends_at)
    MeetingSlot.objects.filter(meeting=meeting, status=SlotStatus.PROPOSED).exclude(pk=slot.pk).update(
        status=SlotStatus.SUPERSEDED)
    slot.status = SlotStatus.ACCEPTED
    slot.save(update_fields=["status"])
    first = meeting.starts_at is None and meeting.sequence == 0
    meeting.status = MeetingStatus.CONFIRMED
    meeting.starts_at, meeting.ends_at = slot.starts_at, slot.ends_at
    meeting.awaiting_company = None
    if not first:
        meeting.sequence += 1  # a new time for an invitation already sent
    meeting.save()
    audit_record(action=acts.MEETING_CONFIRMED, actor=actor, target=meeting, company=_company(company_id),
                 details={"slot": slot.pk, "starts_at": slot.starts_at.isoformat(), "sequence": meeting.sequence})
    notify(kind="partnering.meeting_confirmed", recipients=_participant_users(meeting), target=meeting,
           actor=actor, context=_meeting_context(meeting))
    _send_invitations_on_commit(meeting)
    return meeting


@transaction.atomic
def meeting_propose(*, actor: Any, meeting: Meeting, slots: list[dict[str, Any]]) -> Meeting:
    """Either side proposes other slots (1–5); the earlier open ones lapse and the other side answers next.
    Proposing new times for a confirmed meeting puts it back to requested (its bookings are released)."""
    meeting, company_id = _lock_meeting(actor, meeting)
    if meeting.status not in (MeetingStatus.REQUESTED, MeetingStatus.CONFIRMED):
        raise Conflict(_("This meeting is closed."), code="invalid_transition")
    if meeting.status == MeetingStatus.REQUESTED and meeting.awaiting_company_id != company_id:
        raise Conflict(_("The other side has not answered yet."), code="invalid_transition")
    clean_slots = _clean_slots(slots)
    MeetingSlot.objects.filter(meeting=meeting).exclude(status=SlotStatus.SUPERSEDED).update(
        status=SlotStatus.SUPERSEDED)
    MeetingSlot.objects.bulk_create([MeetingSlot(meeting=meeting, starts_at=start, ends_at=end,
                                                 proposed_by_company_id=company_id) for start, end in clean_slots])
    Booking.objects.filter(meeting=meeting).delete()
    meeting.status = MeetingStatus.REQUESTED
    meeting.awaiting_company_id = _other_side(meeting, company_id)
    meeting.save()
    audit_record(action=acts.MEETING_SLOTS_PROPOSED, actor=actor, target=meeting, company=_company(company_id),
                 details={"slots": len(clean_slots)})
    notify(kind="partnering.meeting_slots_proposed", recipients=_users(meeting.awaiting_company_id),
           target=meeting, actor=actor, context=_meeting_context(meeting, slots=len(clean_slots)))
    return meeting


@transaction.atomic
def meeting_decline(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """The side whose turn it is declines, with a reason the other side reads."""
    meeting, company_id = _lock_meeting(actor, meeting)
    if meeting.status != MeetingStatus.REQUESTED or meeting.awaiting_company_id != company_id:
        raise Conflict(_("This meeting is not waiting for your answer."), code="invalid_transition")
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", _("A reason is required."))
    meeting.status = MeetingStatus.DECLINED
    meeting.decline_reason = reason[:2000]
    meeting.awaiting_company = None
    meeting.save()
    MeetingSlot.objects.filter(meeting=meeting, status=SlotStatus.PROPOSED).update(status=SlotStatus.SUPERSEDED)
    audit_record(action=acts.MEETING_DECLINED, actor=actor, target=meeting, company=_company(company_id),
                 details={"reason": meeting.decline_reason})
    notify(kind="partnering.meeting_declined", recipients=_users(_other_side(meeting, company_id)), target=meeting,
           actor=actor, context=_meeting_context(meeting, reason=meeting.decline_reason))
    return meeting


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, subject: str | None = None,
                   location: str | None = None) -> Meeting:
    """Either side changes the subject or the place of a confirmed meeting: SEQUENCE rises and every participant
    receives the updated invitation."""
    meeting, company_id = _lock_meeting(actor, meeting)
    if meeting.status != MeetingStatus.CONFIRMED:
        raise Conflict(_("Only a confirmed meeting can be updated."), code="invalid_transition")
    changed = []
    if subject is not None and " ".join(subject.split()) and " ".join(subject.split()) != meeting.subject:
        meeting.subject = " ".join(subject.split())[:200]
        changed.append("subject")
    if location is not None and location.strip() != meeting.location:
        meeting.location = location.strip()[:300]
        changed.append("location")
    if not changed:
        return meeting
    meeting.sequence += 1
    meeting.save()
    audit_record(action=acts.MEETING_UPDATED, actor=actor, target=meeting, company=_company(company_id),
                 details={"changed": changed, "sequence": meeting.sequence})
    _send_invitations_on_commit(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str = "") -> Meeting:
    """Either side cancels; bookings are released and participants of a confirmed meeting receive METHOD:CANCEL."""
    meeting, company_id = _lock_meeting(actor, meeting)
    if meeting.status not in (MeetingStatus.REQUESTED, MeetingStatus.CONFIRMED):
        raise Conflict(_("This meeting is already closed."), code="invalid_transition")
    was_confirmed = meeting.status == MeetingStatus.CONFIRMED
    meeting.status = MeetingStatus.CANCELLED
    meeting.decline_reason = (reason or "").strip()[:2000]
    meeting.awaiting_company = None
    if was_confirmed:
        meeting.sequence += 1
    meeting.save()
    Booking.objects.filter(meeting=meeting).delete()
    audit_record(action=acts.MEETING_CANCELLED, actor=actor, target=meeting, company=_company(company_id),
                 details={"reason": meeting.decline_reason, "was_confirmed": was_confirmed})
    recipients = _participant_users(meeting) if was_confirmed else _users(_other_side(meeting, company_id))
    notify(kind="partnering.meeting_cancelled", recipients=recipients, target=meeting, actor=actor,
           context=_meeting_context(meeting, reason=meeting.decline_reason))
    if was_confirmed:
        _send_invitations_on_commit(meeting)
    return meeting


@transaction.atomic
def calendar_feed_rotate(*, actor: Any) -> CalendarFeed:
    """A new secret for the person's calendar feed: the old URL stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=actor)
    if not created:
        feed.token = new_feed_token()
        feed.save()
    audit_record(action=acts.CALENDAR_FEED_ROTATED, actor=actor, target=feed, details={"created": created})
    return feed


def calendar_feed_of(user: Any) -> CalendarFeed:
    """The person's feed, created (audited) on first use."""
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed if feed is not None else calendar_feed_rotate(actor=user)


# --- partnering events -----------------------------------------------------------------------------------------

@transaction.atomic
def event_create(*, actor: Any, name: str, starts_on: date, ends_on: date, day_starts: Any, day_ends: Any,
                 slot_minutes: int, rooms: list[str] | None = None, time_zone: str = "UTC") -> PartneringEvent:
    """Staff create a partnering event: days, local hours, slot length and rooms or tables."""
    _require_staff(actor, _("Only platform staff create partnering events."))
    if time_zone not in zoneinfo.available_timezones():
        raise _invalid("time_zone", _("Unknown time zone."), code="invalid_time_zone")
    if ends_on < starts_on:
        raise _invalid("ends_on", _("The event ends before it starts."), code="reversed_range")
    if day_ends <= day_starts:
        raise _invalid("day_ends", _("The day ends before it starts."), code="reversed_range")
    rooms = list(dict.fromkeys(" ".join(str(room).split())[:80] for room in rooms or [] if str(room).strip()))
    if not rooms:
        raise _invalid("rooms", _("Name at least one room or table."))
    event = PartneringEvent(name=" ".join(name.split())[:200], starts_on=starts_on, ends_on=ends_on,
                            time_zone=time_zone, day_starts=day_starts, day_ends=day_ends, slot_minutes=slot_minutes,
                            rooms=rooms, created_by=actor)
    event.full_clean(exclude=["created_by"])
    event.save()
    audit_record(action=acts.EVENT_CREATED, actor=actor, target=event, details={"name": event.name})
    return event


def event_slots(event: PartneringEvent) -> list[tuple[datetime, datetime]]:
    """Every slot of the event in UTC: each day's local hours cut into slot-length pieces (DST-aware)."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    step = timedelta(minutes=event.slot_minutes)
    slots = []
    day = event.starts_on
    while day <= event.ends_on:
        local = datetime.combine(day, event.day_starts, tzinfo=zone)
        end_of_day = datetime.combine(day, event.day_ends, tzinfo=zone)
        while local + step <= end_of_day:
            start_utc = local.astimezone(zoneinfo.ZoneInfo("UTC"))
            slots.append((start_utc, start_utc + step))
            local = local + step
        day += timedelta(days=1)
    return slots


@transaction.atomic
def event_register(*, actor: Any, event: PartneringEvent) -> EventRegistration:
    """A contributor of a verified company registers it for the event."""
    company = _evaluating_company(actor)
    registration, created = EventRegistration.objects.get_or_create(event=event, company=company,
                                                                    defaults={"registered_by": actor})
    if not created:
        raise Conflict(_("Your company is already registered."), code="already_registered")
    audit_record(action=acts.EVENT_REGISTERED, actor=actor, target=registration, company=company,
                 details={"event": event.pk})
    return registration


@transaction.atomic
def event_availability_set(*, actor: Any, registration: EventRegistration,
                           windows: list[dict[str, Any]]) -> EventRegistration:
    """The registered company publishes when it takes meetings (replacing what it published before)."""
    registration = EventRegistration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    if _actor_company_among(actor, [registration.company_id]) is None:
        raise PermissionRefused()
    slots = event_slots(registration.event)
    first, last = (slots[0][0], slots[-1][1]) if slots else (None, None)
    rows = []
    for window in windows:
        starts_at, ends_at = window["starts_at"], window["ends_at"]
        if ends_at <= starts_at or first is None or starts_at < first or ends_at > last:
            raise _invalid("windows", _("Each window must lie within the event's hours."), code="bad_window")
        rows.append(EventAvailability(registration=registration, starts_at=starts_at, ends_at=ends_at))
    EventAvailability.objects.filter(registration=registration).delete()
    EventAvailability.objects.bulk_create(rows)
    audit_record(action=acts.EVENT_AVAILABILITY_SET, actor=actor, target=registration,
                 company=registration.company, details={"windows": len(rows)})
    return registration
