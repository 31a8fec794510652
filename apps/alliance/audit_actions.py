"""Audit action codes the alliance emits (stored in AuditEvent.action), each with its label.

A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

OPENED = action("alliance.opened", _("Alliance opened"))
STAFF_ACCESS_SHARED = action("alliance.staff_access_shared", _("Alliance shared with platform staff"))
STAFF_ACCESS_WITHDRAWN = action("alliance.staff_access_withdrawn", _("Alliance no longer shared with staff"))
COMMITTEE_CREATED = action("alliance.committee_created", _("Committee created"))
MEETING_SCHEDULED = action("alliance.meeting_scheduled", _("Committee meeting scheduled"))
MEETING_UPDATED = action("alliance.meeting_updated", _("Committee meeting updated"))
MINUTES_WRITTEN = action("alliance.minutes_written", _("Minutes written"))
MINUTES_UPDATED = action("alliance.minutes_updated", _("Draft minutes changed"))
MINUTES_APPROVED = action("alliance.minutes_approved", _("Minutes approved by a party"))
MINUTES_FINALISED = action("alliance.minutes_finalised", _("Minutes final (approved by every party)"))
DECISION_PROPOSED = action("alliance.decision_proposed", _("Motion put to a committee"))
VOTE_CAST = action("alliance.vote_cast", _("Committee vote cast"))
DECISION_TAKEN = action("alliance.decision_taken", _("Committee decision taken"))
ACTION_ITEM_CREATED = action("alliance.action_item_created", _("Action item created"))
ACTION_ITEM_UPDATED = action("alliance.action_item_updated", _("Action item updated"))
WORK_PACKAGE_CREATED = action("alliance.work_package_created", _("Work package created"))
BUDGET_SET = action("alliance.budget_set", _("Work package budget set"))
COST_RECORDED = action("alliance.cost_recorded", _("Shared cost recorded"))
OBLIGATION_CREATED = action("alliance.obligation_created", _("Obligation added"))
OBLIGATION_FULFILLED = action("alliance.obligation_fulfilled", _("Obligation fulfilled"))
OBLIGATION_FULFILLED_BY_EVENT = action("alliance.obligation_fulfilled_by_event",
                                       _("Obligation fulfilled by a regulatory event"))
OBLIGATION_MARKED_OVERDUE = action("alliance.obligation_marked_overdue", _("Obligation overdue"))
ISSUE_RAISED = action("alliance.issue_raised", _("Alliance issue raised"))
ISSUE_ESCALATED = action("alliance.issue_escalated", _("Alliance issue escalated"))
ISSUE_RESOLVED = action("alliance.issue_resolved", _("Alliance issue resolved"))
