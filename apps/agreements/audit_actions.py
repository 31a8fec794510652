"""Audit action codes of agreements (stored in AuditEvent.action, area "agreement"), each with its label.

A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

CREATED = action("agreement.created", _("Agreement created"))
UPDATED = action("agreement.updated", _("Agreement updated"))
DRAFT_DELETED = action("agreement.draft_deleted", _("Draft agreement deleted"))
OPENED = action("agreement.opened", _("Agreement negotiation opened"))
VERSION_PROPOSED = action("agreement.version_proposed", _("Agreement version proposed"))
VERSION_APPROVED = action("agreement.version_approved", _("Agreement version approved"))
APPROVALS_INVALIDATED = action("agreement.approvals_invalidated", _("Agreement approvals invalidated"))
EXECUTED = action("agreement.executed", _("Agreement executed"))
AMENDMENT_EXECUTED = action("agreement.amendment_executed", _("Agreement amendment executed"))
EXECUTION_REFUSED = action("agreement.execution_refused", _("Agreement execution refused"))
ACTIVATED = action("agreement.activated", _("Agreement took effect"))
TERMINATED = action("agreement.terminated", _("Agreement terminated"))
EXPIRED = action("agreement.expired", _("Agreement expired"))
DATA_ROOM_LINKED = action("agreement.data_room_linked", _("Data room linked to an agreement"))
MILESTONE_ACHIEVED = action("agreement.milestone_achieved", _("Milestone reported achieved"))
MILESTONE_ACHIEVED_BY_EVENT = action(
    "agreement.milestone_achieved_by_event", _("Milestone achieved by a regulatory event"),
)
MILESTONE_CONFIRMED = action("agreement.milestone_confirmed", _("Milestone confirmed"))
MILESTONE_DISPUTED = action("agreement.milestone_disputed", _("Milestone disputed"))
MILESTONE_INVOICED = action("agreement.milestone_invoiced", _("Milestone invoiced"))
MILESTONE_PAID = action("agreement.milestone_paid", _("Milestone paid"))
MILESTONE_CANCELLED = action("agreement.milestone_cancelled", _("Milestone cancelled"))
