"""Writes for agreements, by subject: drafts, negotiation (versions, execution), lifecycle (termination, activation,
expiry), milestones and schedules (JSC cadence, reminders). Each service re-checks permission inside its
transaction (rows locked), guards its state transition with a domain error (→ clear 4xx), audits the act and
notifies the parties. Reads (exclusivity conflicts, the acting party) live in apps/agreements/selectors.py."""

from apps.agreements.services.drafts import agreement_create, agreement_delete, agreement_open, agreement_update
from apps.agreements.services.lifecycle import agreement_terminate, agreements_activate_due, agreements_expire_due
from apps.agreements.services.milestones import (
    milestone_achieve,
    milestone_confirm,
    milestone_dispute,
    milestone_invoice,
    milestone_pay,
    milestones_on_regulatory_event,
)
from apps.agreements.services.negotiation import version_approve, version_propose
from apps.agreements.services.schedules import (
    agreement_remind_jsc,
    agreements_advance_jsc_meetings,
    milestone_remind_due,
)

__all__ = [
    "agreement_create",
    "agreement_delete",
    "agreement_open",
    "agreement_remind_jsc",
    "agreement_terminate",
    "agreement_update",
    "agreements_activate_due",
    "agreements_advance_jsc_meetings",
    "agreements_expire_due",
    "milestone_achieve",
    "milestone_confirm",
    "milestone_dispute",
    "milestone_invoice",
    "milestone_pay",
    "milestone_remind_due",
    "milestones_on_regulatory_event",
    "version_approve",
    "version_propose",
]
