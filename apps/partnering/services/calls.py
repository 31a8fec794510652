"""Calls for assets: a partner drafts and submits a call, staff publish it or send it back, the partner or staff
close it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.catalog.models import DealType, Modality, Stage, TherapeuticArea
from apps.catalog.territories import Territory
from apps.companies.models import CONTRIBUTING_ROLES, Company, CompanyKind, Membership, VerificationStatus
from apps.companies.selectors import people_of_companies
from apps.core import moderation
from apps.core.authz import CHANGE, user_can
from apps.core.changes import assign_changes
from apps.core.errors import Conflict, PermissionRefused
from apps.notifications.services import notify
from apps.partnering import audit_actions as acts
from apps.partnering.models import (
    CallForAssets,
    CallStatus,
)
from apps.partnering.notifications import company_context
from apps.partnering.selectors import matching_biotech_ids
from apps.partnering.services.common import _choices, _invalid

PARTNER_KINDS = (CompanyKind.PHARMA, CompanyKind.INVESTOR)
CALL_FIELDS = ("title_en", "title_zh", "description_en", "description_zh", "therapeutic_areas", "modalities",
               "stages", "territories", "deal_types", "deadline")
EDITABLE_CALL_STATUSES = (CallStatus.DRAFT, CallStatus.CHANGES_REQUESTED, CallStatus.OPEN)


def _call_context(call: CallForAssets, **extra: Any) -> dict[str, Any]:
    return {"call": call.title_en or call.title_zh, "call_zh": call.title_zh or call.title_en,
            "call_id": str(call.public_id), **company_context("company", call.company), **extra}


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
    return CALL.lock(call)


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
    changed = assign_changes(call, clean)
    _require_call_text(call)
    call.save()
    if changed:
        audit_record(action=acts.CALL_UPDATED, actor=actor, target=call, company=call.company,
                     details={"changed": changed})
    return call


# Calls in moderation: the steps are apps.core.moderation's, in partnering's words. A call is published by opening
# it. Unlike listings and rounds, a call's company is not re-checked as verified when it is submitted or published
# (call_create admits verified partners only) and a call keeps no resubmission flag.
CALL = moderation.Moderated(
    model=CallForAssets, company="company", statuses=CallStatus, published=CallStatus.OPEN,
    context=_call_context, staff_only=_("Only platform staff moderate calls."),
    submit=moderation.Step(_("Only a draft or a call with requested changes can be submitted."),
                           acts.CALL_SUBMITTED, "partnering.call_submitted"),
    publish=moderation.Step(_("Only a submitted call can be published."),
                            acts.CALL_PUBLISHED, "partnering.call_published"),
    request_changes=moderation.Step(_("Only a submitted call can be sent back for changes."),
                                    acts.CALL_CHANGES_REQUESTED, "partnering.call_changes_requested"),
    records_resubmission=False,
    reason_code="invalid",
)


@transaction.atomic
def call_submit(*, actor: Any, call: CallForAssets) -> CallForAssets:
    """draft or changes requested → submitted for moderation; staff are told."""
    return moderation.submit(CALL, call, actor=actor)


@transaction.atomic
def call_publish(*, actor: Any, call: CallForAssets, note: str = "") -> CallForAssets:
    """Staff open a submitted call; the calling company is told, and every biotech with a matching published
    asset hears of it in one fan-out."""
    call = moderation.publish(CALL, call, actor=actor, note=note)
    biotechs = matching_biotech_ids(call)
    if biotechs:
        recipients = people_of_companies(biotechs)
        notify(kind="partnering.call_matched", recipients=recipients, target=call, actor=actor,
               context=_call_context(call, deadline=call.deadline.isoformat()))
    return call


@transaction.atomic
def call_request_changes(*, actor: Any, call: CallForAssets, reason: str) -> CallForAssets:
    """Staff send a submitted call back with a reason the calling company reads."""
    return moderation.request_changes(CALL, call, actor=actor, reason=reason)


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

