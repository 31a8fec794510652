"""Obligations: created, fulfilled (by evidence or a regulatory event), reminded and raised when overdue."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.agreements.models import IN_FORCE

# The party a person acts for: one rule, kept in the agreements app (a member of two parties must say which).
from apps.agreements.selectors import acting_party, party_users
from apps.alliance import audit_actions as acts
from apps.alliance.models import (
    ActionItem,
    Alliance,
    AllianceReminder,
    ItemStatus,
    Obligation,
    ObligationStatus,
    Recurrence,
)
from apps.alliance.services.common import (
    _ctx,
    _locked,
    _locked_as_party,
    _notify,
    _require_party,
)
from apps.audit.services import audit_record
from apps.companies.models import CONTRIBUTING_ROLES, MANAGING_ROLES, Company
from apps.core.errors import Conflict, ValidationFailed
from apps.notifications.kinds import company_context
from apps.notifications.services import notify


# ------------------------------------------------------------------------------------------------ obligations
@transaction.atomic
def obligation_create(*, actor: Any, alliance: Alliance, kind: str, title: str, owner_company: Company | int,
                      due_on: datetime.date, recurrence: str = Recurrence.NONE,
                      regulatory_event: str = "") -> Obligation:
    alliance, company = _locked_as_party(alliance, actor)
    owner_id = _require_party(alliance, owner_company, "owner_company")
    obligation = Obligation.objects.create(alliance=alliance, kind=kind, title=title, owner_company_id=owner_id,
                                           due_on=due_on, recurrence=recurrence, regulatory_event=regulatory_event)
    audit_record(action=acts.OBLIGATION_CREATED, actor=actor, target=obligation, company=company,
                 details={"kind": kind, "owner_company": owner_id, "due_on": due_on.isoformat()})
    return obligation


def _next_due(due_on: datetime.date, recurrence: str) -> datetime.date | None:
    months = {str(Recurrence.QUARTERLY): 3, str(Recurrence.ANNUAL): 12}.get(recurrence)
    if months is None:
        return None
    month = due_on.month - 1 + months
    year, month = due_on.year + month // 12, month % 12 + 1
    for day in (due_on.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    return None  # pragma: no cover - day 28 exists in every month


def _fulfil(obligation: Obligation, *, evidence: str, evidence_url: str,
            evidence_document: Any = None) -> Obligation | None:
    """Mark fulfilled; a recurring obligation opens its next occurrence (returned)."""
    obligation.status = ObligationStatus.FULFILLED
    obligation.evidence = evidence
    obligation.evidence_url = evidence_url
    obligation.evidence_document = evidence_document
    obligation.fulfilled_at = timezone.now()
    obligation.save(update_fields=["status", "evidence", "evidence_url", "evidence_document", "fulfilled_at"])
    nxt = _next_due(obligation.due_on, obligation.recurrence)
    if nxt is None:
        return None
    return Obligation.objects.create(alliance_id=obligation.alliance_id, kind=obligation.kind,
                                     title=obligation.title, owner_company_id=obligation.owner_company_id,
                                     due_on=nxt, recurrence=obligation.recurrence,
                                     regulatory_event=obligation.regulatory_event)


@transaction.atomic
def obligation_fulfil(*, actor: Any, obligation: Obligation, evidence: str, evidence_url: str = "",
                      evidence_document: Any = None) -> Obligation:
    """The owner party records how the obligation was met (a note, a link or a data-room document the actor may
    open); the other party is told."""
    alliance = _locked(obligation.alliance, actor)
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES, obligation.owner_company_id,
                           refusal=_("Only the party that owes the obligation records its fulfilment."))
    if obligation.status not in (ObligationStatus.OPEN, ObligationStatus.OVERDUE):
        raise Conflict(_("This obligation is already closed."), code="obligation_closed")
    if not evidence.strip() and not evidence_url and evidence_document is None:
        raise ValidationFailed(_("Say how the obligation was met."), code="evidence_required",
                               fields={"evidence": [_("This field is required.")]})
    _fulfil(obligation, evidence=evidence, evidence_url=evidence_url, evidence_document=evidence_document)
    audit_record(action=acts.OBLIGATION_FULFILLED, actor=actor, target=obligation, company=company)
    _notify("alliance.obligation_fulfilled", alliance, target=obligation, actor=actor, exclude=company,
            obligation=obligation.title, **company_context("company", company))
    return obligation


def obligations_on_regulatory_event(*, asset_id: int, event_kind: str, event_label: str = "") -> list[int]:
    """A regulatory event on one of an agreement's assets fulfils the obligations that wait for it."""
    open_ones = (Obligation.objects.select_for_update(of=("self",))
                 .filter(status__in=(ObligationStatus.OPEN, ObligationStatus.OVERDUE), regulatory_event=event_kind,
                         alliance__agreement__assets__id=asset_id, alliance__agreement__status__in=IN_FORCE)
                 .select_related("alliance__agreement"))
    done = []
    for obligation in open_ones:
        _fulfil(obligation, evidence=str(_("Recorded regulatory event: %(event)s") % {"event": event_label}),
                evidence_url="")
        audit_record(action=acts.OBLIGATION_FULFILLED_BY_EVENT, target=obligation,
                     details={"event": event_kind})
        _notify("alliance.obligation_fulfilled", obligation.alliance, target=obligation,
                obligation=obligation.title, company=event_label)
        done.append(obligation.pk)
    return done


# ------------------------------------------------------------------------------------------------ reminders
def _claim(kind: str, object_id: int, due_on: datetime.date) -> bool:
    try:
        with transaction.atomic():
            AllianceReminder.objects.create(kind=kind, object_id=object_id, due_on=due_on)
        return True
    except IntegrityError:
        return False


@transaction.atomic
def action_item_remind(*, item_id: int, due_on: datetime.date) -> bool:
    """Remind the owner party of an action item due soon, once per item and due date."""
    item = ActionItem.objects.select_related("alliance__agreement", "owner_company").filter(pk=item_id).first()
    if item is None or item.status != ItemStatus.OPEN or item.due_on != due_on:
        return False
    if item.alliance.agreement.status not in IN_FORCE or not _claim("action_item_due", item.pk, due_on):
        return False
    people = party_users(item.alliance.agreement).filter(memberships__company=item.owner_company)
    notify(kind="alliance.action_item_due", recipients=people, target=item,
           context=_ctx(item.alliance, item=item.title, due_on=due_on.isoformat()))
    return True


@transaction.atomic
def obligation_remind(*, obligation_id: int, due_on: datetime.date) -> bool:
    """Remind both parties of an obligation due soon, once per obligation and due date."""
    obligation = Obligation.objects.select_related("alliance__agreement").filter(pk=obligation_id).first()
    if obligation is None or obligation.status != ObligationStatus.OPEN or obligation.due_on != due_on:
        return False
    if obligation.alliance.agreement.status not in IN_FORCE or not _claim("obligation_due", obligation.pk, due_on):
        return False
    _notify("alliance.obligation_due", obligation.alliance, target=obligation, obligation=obligation.title,
            due_on=due_on.isoformat())
    return True


@transaction.atomic
def obligation_mark_overdue(*, obligation_id: int, today: datetime.date) -> bool:
    """An open obligation past its date becomes overdue (a conditional update: once), goes on the steering
    committee's next agenda (the meetings show it as open business) and both parties' admins are told."""
    changed = Obligation.objects.filter(pk=obligation_id, status=ObligationStatus.OPEN, due_on__lt=today,
                                        alliance__agreement__status__in=IN_FORCE).update(
        status=ObligationStatus.OVERDUE)
    if not changed:
        return False
    obligation = Obligation.objects.select_related("alliance__agreement", "owner_company").get(pk=obligation_id)
    audit_record(action=acts.OBLIGATION_MARKED_OVERDUE, target=obligation,
                 details={"due_on": obligation.due_on.isoformat()})
    _notify("alliance.obligation_overdue", obligation.alliance, target=obligation, roles=MANAGING_ROLES,
            obligation=obligation.title, due_on=obligation.due_on.isoformat(),
            **company_context("company", obligation.owner_company))
    return True
