"""Writes for financing, by subject (rounds: investor profiles, rounds and their moderation; book: the investors'
entries in a round's book; common: shared checks). Each service re-checks permission inside its transaction,
guards its state transition explicitly (Conflict, 409), audits the change and tells the people concerned through
notify(). Import from here: `from apps.financing import services`."""

from .book import (
    MOVED_BY,
    NEXT_STAGE,
    SOFT_CIRCLE_STAGES,
    entry_advance,
    entry_pass,
    entry_soft_circle,
    interest_express,
)
from .common import MAX_LIST_ITEMS
from .rounds import (
    EDITABLE_STATUSES,
    ROUND_FIELDS,
    ROUND_TEXT_FIELDS,
    investor_profile_save,
    round_core_viewed,
    round_create,
    round_name_lead,
    round_publish,
    round_request_changes,
    round_submit,
    round_update,
)

__all__ = [
    "EDITABLE_STATUSES",
    "MAX_LIST_ITEMS",
    "MOVED_BY",
    "NEXT_STAGE",
    "ROUND_FIELDS",
    "ROUND_TEXT_FIELDS",
    "SOFT_CIRCLE_STAGES",
    "entry_advance",
    "entry_pass",
    "entry_soft_circle",
    "interest_express",
    "investor_profile_save",
    "round_core_viewed",
    "round_create",
    "round_name_lead",
    "round_publish",
    "round_request_changes",
    "round_submit",
    "round_update",
]
