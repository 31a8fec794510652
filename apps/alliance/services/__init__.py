"""Writes of the alliance, by subject. Each re-checks the actor's standing on the alliance inside its transaction
(the alliance row locked), guards its state transition with a domain error, audits the act and tells the other party."""

from apps.alliance.services.budget import (
    budget_set,
    cost_record,
    work_package_create,
)
from apps.alliance.services.governance import (
    action_item_create,
    action_item_update,
    alliance_open,
    alliance_share_with_staff,
    committee_create,
    decision_propose,
    decision_vote,
    meeting_schedule,
    meeting_update,
    minutes_approve,
    minutes_update,
    minutes_write,
)
from apps.alliance.services.issues import (
    issue_escalate,
    issue_raise,
    issue_resolve,
)
from apps.alliance.services.obligations import (
    action_item_remind,
    obligation_create,
    obligation_fulfil,
    obligation_mark_overdue,
    obligation_remind,
    obligations_on_regulatory_event,
)

__all__ = [
    "action_item_create",
    "action_item_remind",
    "action_item_update",
    "alliance_open",
    "alliance_share_with_staff",
    "budget_set",
    "committee_create",
    "cost_record",
    "decision_propose",
    "decision_vote",
    "issue_escalate",
    "issue_raise",
    "issue_resolve",
    "meeting_schedule",
    "meeting_update",
    "minutes_approve",
    "minutes_update",
    "minutes_write",
    "obligation_create",
    "obligation_fulfil",
    "obligation_mark_overdue",
    "obligation_remind",
    "obligations_on_regulatory_event",
    "work_package_create",
]
