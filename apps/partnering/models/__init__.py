"""Partnering: calls for assets and their submissions, private evaluations, meetings across time zones and
partnering events.

Visibility (each model's `access_q`):
* a call: its own company; members of verified biotechs while it is open; staff (moderation). Other partners
  never read a competitor's scouting focus.
* a submission: the calling company and the answering biotech only, plus staff. A biotech never sees another
  biotech's submission, nor learns who else answered (bidder isolation).
* evaluations, criteria and scores: the evaluating company alone. Staff too are refused (they get aggregate
  counts through `evaluation_counts`).
* a meeting: members of its two companies; a person's calendar feed only that person.

By subject: calls.py (calls for assets, submissions, private evaluations), meetings.py (meetings, calendar
feeds, partnering events). Import from here: `from apps.partnering.models import ...`.
"""

from .calls import (
    DEFAULT_CRITERIA,
    CallForAssets,
    CallStatus,
    DeclineReason,
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    Submission,
    SubmissionStatus,
)
from .meetings import (
    Booking,
    CalendarFeed,
    EventAvailability,
    EventRegistration,
    Meeting,
    MeetingInvitationSent,
    MeetingMessageKind,
    MeetingParticipant,
    MeetingReminderSent,
    MeetingSlot,
    MeetingStatus,
    PartneringEvent,
    SlotStatus,
    new_feed_token,
)

__all__ = [
    "DEFAULT_CRITERIA",
    "Booking",
    "CalendarFeed",
    "CallForAssets",
    "CallStatus",
    "DeclineReason",
    "Evaluation",
    "EvaluationCriterion",
    "EvaluationScore",
    "EventAvailability",
    "EventRegistration",
    "Meeting",
    "MeetingInvitationSent",
    "MeetingMessageKind",
    "MeetingParticipant",
    "MeetingReminderSent",
    "MeetingSlot",
    "MeetingStatus",
    "PartneringEvent",
    "SlotStatus",
    "Submission",
    "SubmissionStatus",
    "new_feed_token",
]
