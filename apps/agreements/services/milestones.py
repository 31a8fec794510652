"""Milestones: achieved (by a party or a regulatory event), confirmed or disputed by the counterparty, invoiced by
the licensor, paid by a partner."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.agreements import audit_actions as acts
from apps.agreements.models import (
    IN_FORCE,
    MANAGE_MONEY,
    Agreement,
    Milestone,
    MilestoneStatus,
    PartyRole,
)
from apps.agreements.selectors import acting_party, party_ids
from apps.agreements.services.common import (
    company_context,
    milestone_context,
    notify_parties,
)
from apps.audit.services import audit_record
from apps.companies.models import CONTRIBUTING_ROLES, MANAGING_ROLES, Company, Membership
from apps.companies.selectors import acting_company
from apps.core.authz import CHANGE, user_can
from apps.core.errors import Conflict, PermissionRefused, ValidationFailed
from apps.core.validation import required_reason


def _lock_milestone(milestone: Milestone) -> tuple[Milestone, Agreement]:
    milestone = Milestone.objects.select_for_update().select_related("agreement").get(pk=milestone.pk)
    agreement = milestone.agreement
    if agreement.status not in IN_FORCE:
        raise Conflict(_("Milestones move only while the agreement is in force."), code="agreement_not_in_force")
    return milestone, agreement


def _require_status(milestone: Milestone, *allowed: str) -> None:
    if milestone.status not in allowed:
        raise Conflict(_("The milestone is %(status)s: this step is not possible now.")
                       % {"status": milestone.get_status_display()}, code="milestone_wrong_status")


@transaction.atomic
def milestone_achieve(*, actor: Any, milestone: Milestone, evidence: str, evidence_url: str = "",
                      company_id: int | None = None) -> Milestone:
    """A party marks a milestone achieved, with evidence; the counterparty then confirms or disputes it."""
    milestone, agreement = _lock_milestone(milestone)
    if not user_can(actor, CHANGE, agreement):
        raise PermissionRefused()
    company = acting_party(actor, agreement, CONTRIBUTING_ROLES, company_id)
    _require_status(milestone, MilestoneStatus.PENDING, MilestoneStatus.DISPUTED)
    if not evidence.strip():
        raise ValidationFailed(_("Describe the evidence."), fields={"evidence": [_("This field is required.")]})
    milestone.status = MilestoneStatus.ACHIEVED
    milestone.achieved_at = timezone.now()
    milestone.achieved_by = actor
    milestone.achieved_by_company = company
    milestone.evidence = evidence.strip()
    milestone.evidence_url = evidence_url
    milestone.dispute_reason = ""
    milestone.save()
    audit_record(action=acts.MILESTONE_ACHIEVED, actor=actor, target=milestone, company=company,
                 details={"agreement": agreement.pk, "key": milestone.key, "amount": str(milestone.amount)})
    notify_parties("agreement.milestone_achieved", agreement, actor=actor, exclude_company=company,
                    target=milestone, **milestone_context(milestone), **company_context(company))
    return milestone


def _counterparty(actor: Any, milestone: Milestone, agreement: Agreement, company_id: int | None) -> Company:
    """Confirm and dispute belong to a signatory of a party other than the one that claimed the milestone (for a
    milestone a regulatory event triggered: a party other than the licensor, who would be paid)."""
    refusal = _("Only an owner or admin of the other party can confirm or dispute this milestone.")
    claimant = milestone.achieved_by_company_id or agreement.licensor_id
    others = [pk for pk in party_ids(agreement) if pk != claimant]
    return acting_company(actor, others, MANAGING_ROLES, company_id, refusal=refusal, refusal_code="not_counterparty")


@transaction.atomic
def milestone_confirm(*, actor: Any, milestone: Milestone, company_id: int | None = None) -> Milestone:
    """The counterparty confirms an achieved milestone: it becomes payable."""
    milestone, agreement = _lock_milestone(milestone)
    if not user_can(actor, MANAGE_MONEY, agreement):
        raise PermissionRefused()
    _require_status(milestone, MilestoneStatus.ACHIEVED)
    company = _counterparty(actor, milestone, agreement, company_id)
    milestone.status = MilestoneStatus.CONFIRMED
    milestone.confirmed_at = timezone.now()
    milestone.confirmed_by = actor
    milestone.save()
    audit_record(action=acts.MILESTONE_CONFIRMED, actor=actor, target=milestone, company=company,
                 details={"agreement": agreement.pk, "key": milestone.key})
    notify_parties("agreement.milestone_confirmed", agreement, actor=actor, exclude_company=company,
                    target=milestone, **milestone_context(milestone), **company_context(company))
    return milestone


@transaction.atomic
def milestone_dispute(*, actor: Any, milestone: Milestone, reason: str, company_id: int | None = None
                      ) -> Milestone:
    """The counterparty disputes an achieved milestone, with a reason; the claimant may mark it again."""
    milestone, agreement = _lock_milestone(milestone)
    if not user_can(actor, MANAGE_MONEY, agreement):
        raise PermissionRefused()
    _require_status(milestone, MilestoneStatus.ACHIEVED)
    company = _counterparty(actor, milestone, agreement, company_id)
    required_reason(reason, code="invalid", field_message=_("This field is required."))
    milestone.status = MilestoneStatus.DISPUTED
    milestone.dispute_reason = reason.strip()
    milestone.save()
    audit_record(action=acts.MILESTONE_DISPUTED, actor=actor, target=milestone, company=company,
                 details={"agreement": agreement.pk, "key": milestone.key, "reason": milestone.dispute_reason})
    notify_parties("agreement.milestone_disputed", agreement, actor=actor, exclude_company=company,
                    target=milestone, reason=milestone.dispute_reason, **milestone_context(milestone),
                    **company_context(company))
    return milestone


@transaction.atomic
def milestone_invoice(*, actor: Any, milestone: Milestone, reference: str = "") -> Milestone:
    """The licensor (who is paid) invoices a confirmed milestone."""
    milestone, agreement = _lock_milestone(milestone)
    if not user_can(actor, MANAGE_MONEY, agreement):
        raise PermissionRefused()
    if not Membership.objects.filter(user=actor, company_id=agreement.licensor_id, role__in=MANAGING_ROLES).exists():
        raise PermissionRefused(_("Only an owner or admin of the licensor can invoice a milestone."),
                                code="not_payee")
    _require_status(milestone, MilestoneStatus.CONFIRMED)
    milestone.status = MilestoneStatus.INVOICED
    milestone.invoiced_at = timezone.now()
    milestone.invoice_reference = reference
    milestone.save()
    audit_record(action=acts.MILESTONE_INVOICED, actor=actor, target=milestone,
                 company=agreement.licensor, details={"agreement": agreement.pk, "key": milestone.key,
                                                      "reference": reference, "amount": str(milestone.amount)})
    notify_parties("agreement.milestone_invoiced", agreement, actor=actor, exclude_company=agreement.licensor,
                    target=milestone, **milestone_context(milestone), **company_context(agreement.licensor))
    return milestone


@transaction.atomic
def milestone_pay(*, actor: Any, milestone: Milestone, reference: str = "", company_id: int | None = None
                  ) -> Milestone:
    """A partner (who pays) records the payment of an invoiced milestone."""
    milestone, agreement = _lock_milestone(milestone)
    if not user_can(actor, MANAGE_MONEY, agreement):
        raise PermissionRefused()
    partner_ids = list(agreement.parties.filter(role=PartyRole.PARTNER).values_list("company_id", flat=True))
    memberships = Membership.objects.filter(user=actor, company_id__in=partner_ids, role__in=MANAGING_ROLES)
    if company_id is not None:
        memberships = memberships.filter(company_id=company_id)
    membership = memberships.select_related("company").first()
    if membership is None:
        raise PermissionRefused(_("Only an owner or admin of a partner can record a payment."), code="not_payer")
    _require_status(milestone, MilestoneStatus.INVOICED)
    milestone.status = MilestoneStatus.PAID
    milestone.paid_at = timezone.now()
    milestone.payment_reference = reference
    milestone.save()
    audit_record(action=acts.MILESTONE_PAID, actor=actor, target=milestone, company=membership.company,
                 details={"agreement": agreement.pk, "key": milestone.key, "reference": reference,
                          "amount": str(milestone.amount)})
    notify_parties("agreement.milestone_paid", agreement, actor=actor, exclude_company=membership.company,
                    target=milestone, **milestone_context(milestone), **company_context(membership.company))
    return milestone


@transaction.atomic
def milestones_on_regulatory_event(*, asset_id: int, event_kind: str, event_ref: str = "",
                                   event_label: str = "", asset_label: str = "") -> list[int]:
    """A regulatory event recorded on an asset: pending (or disputed) milestones linked to that event kind, in
    agreements in force over the asset, become achieved-pending-confirmation; both parties are notified."""
    milestones = list(Milestone.objects.select_for_update().select_related("agreement").filter(
        agreement__assets=asset_id, agreement__status__in=IN_FORCE, regulatory_event=event_kind,
        status=MilestoneStatus.PENDING))
    for milestone in milestones:
        agreement = milestone.agreement
        milestone.status = MilestoneStatus.ACHIEVED
        milestone.achieved_at = timezone.now()
        milestone.achieved_by = None
        milestone.achieved_by_company = None
        milestone.regulatory_event_ref = event_ref[:64]
        milestone.evidence = str(_("Regulatory event recorded in the catalog: %(event)s")
                                 % {"event": event_label or event_kind})
        milestone.save()
        audit_record(action=acts.MILESTONE_ACHIEVED_BY_EVENT, target=milestone,
                     details={"agreement": agreement.pk, "key": milestone.key, "event": event_kind,
                              "event_ref": event_ref})
        notify_parties("agreement.milestone_event", agreement, target=milestone, event=event_label or event_kind,
                        asset=asset_label, **milestone_context(milestone))
    return [m.pk for m in milestones]
