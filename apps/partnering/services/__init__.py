"""Writes for partnering, by subject: calls, submissions, evaluations, meetings, events (shared checks in common).
Each service re-checks permission inside its transaction, guards its state transition (Conflict, 409), audits the
change and tells people through notify() (transactional outbox). Reads live in apps/partnering/selectors.py."""

from apps.partnering.services.calls import (
    call_close,
    call_create,
    call_publish,
    call_request_changes,
    call_submit,
    call_update,
)
from apps.partnering.services.evaluations import (
    criteria_ensure_defaults,
    criterion_save,
    evaluation_create,
    evaluation_score,
)
from apps.partnering.services.events import (
    event_availability_set,
    event_create,
    event_meeting_schedule,
    event_register,
    event_slots,
)
from apps.partnering.services.meetings import (
    book_people,
    calendar_feed_of,
    calendar_feed_rotate,
    meeting_accept,
    meeting_cancel,
    meeting_decline,
    meeting_propose,
    meeting_request,
    meeting_update,
)
from apps.partnering.services.submissions import (
    submission_create,
    submission_triage,
    submission_withdraw,
)

__all__ = [
    "book_people",
    "calendar_feed_of",
    "calendar_feed_rotate",
    "call_close",
    "call_create",
    "call_publish",
    "call_request_changes",
    "call_submit",
    "call_update",
    "criteria_ensure_defaults",
    "criterion_save",
    "evaluation_create",
    "evaluation_score",
    "event_availability_set",
    "event_create",
    "event_meeting_schedule",
    "event_register",
    "event_slots",
    "meeting_accept",
    "meeting_cancel",
    "meeting_decline",
    "meeting_propose",
    "meeting_request",
    "meeting_update",
    "submission_create",
    "submission_triage",
    "submission_withdraw",
]
