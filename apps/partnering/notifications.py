"""Partnering's notification kinds (contract: apps/notifications/kinds.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Delivery, choice_labels, company_context, register
from apps.partnering.models import DeclineReason, SubmissionStatus

# The new state and the decline reason in the reader's language.
_submission_labels = choice_labels(status_label=("status", SubmissionStatus),
                                   reason_label=("decline_reason", DeclineReason), unknown_as_code=("status_label",))


def _lead_label(context: dict[str, Any], language: str) -> dict[str, Any]:
    return {"lead_label": str(_("in 24 hours") if context.get("lead") == "24h" else _("in 1 hour"))}


register(
    "partnering.call_submitted",
    label=_("Call for assets submitted for review"),
    title=_("Call for assets submitted: {call}"),
    body=_("{company} submitted the call for assets “{call}” for moderation."),
    required_context=("call", "company"),
)
register(
    "partnering.call_published",
    label=_("Call for assets published"),
    title=_("Your call for assets is open: {call}"),
    body=_("The call “{call}” is now open to verified biotechs. {note}"),
    default_delivery=Delivery.EMAIL,
    required_context=("call",),
)
register(
    "partnering.call_changes_requested",
    label=_("Changes requested on a call for assets"),
    title=_("Changes requested on {call}"),
    body=_("The moderators sent the call “{call}” back for changes: {reason}"),
    default_delivery=Delivery.EMAIL,
    required_context=("call", "reason"),
)
register(
    "partnering.call_matched",
    label=_("A call for assets matches your listings"),
    title=_("A partner is looking for assets like yours: {call}"),
    body=_("{company} opened the call for assets “{call}”, which matches at least one of your published "
           "listings. Submissions close on {deadline}."),
    default_delivery=Delivery.EMAIL,
    required_context=("call", "company", "deadline"),
)
register(
    "partnering.submission_received",
    label=_("Submission to your call received"),
    title=_("New submission to {call}: {asset}"),
    body=_("{biotech} answered your call “{call}” with {asset}."),
    default_delivery=Delivery.EMAIL,
    required_context=("call", "asset", "biotech"),
)
register(
    "partnering.submission_status_changed",
    label=_("Your submission moved on"),
    title=_("{asset} in “{call}”: {status_label}"),
    body=_("{company} updated your submission of {asset}: {status_label}. {reason_label} {note}"),
    default_delivery=Delivery.EMAIL,
    required_context=("call", "asset", "status"),
    prepare=_submission_labels,
)
register(
    "partnering.meeting_requested",
    label=_("Meeting requested"),
    title=_("{requester} would like to meet: {subject}"),
    body=_("{requester} proposed {slots} time slot(s) for “{subject}”. Accept one, propose others or decline."),
    default_delivery=Delivery.EMAIL,
    required_context=("subject", "requester"),
)
register(
    "partnering.meeting_slots_proposed",
    label=_("Other meeting times proposed"),
    title=_("New times proposed for {subject}"),
    body=_("{slots} new time slot(s) were proposed for “{subject}”."),
    required_context=("subject",),
)
register(
    "partnering.meeting_confirmed",
    label=_("Meeting confirmed"),
    title=_("Meeting confirmed: {subject}"),
    body=_("“{subject}” between {requester} and {invitee} is confirmed. The calendar invitation follows by e-mail."),
    required_context=("subject",),
)
register(
    "partnering.meeting_declined",
    label=_("Meeting declined"),
    title=_("Meeting declined: {subject}"),
    body=_("{invitee} declined “{subject}”: {reason}"),
    default_delivery=Delivery.EMAIL,
    required_context=("subject", "reason"),
)
register(
    "partnering.meeting_cancelled",
    label=_("Meeting cancelled"),
    title=_("Meeting cancelled: {subject}"),
    body=_("“{subject}” was cancelled. {reason}"),
    required_context=("subject",),
)
register(
    "partnering.meeting_reminder",
    label=_("Meeting reminder"),
    title=_("Reminder: {subject} {lead_label}"),
    body=_("“{subject}” between {requester} and {invitee} starts {lead_label}."),
    default_delivery=Delivery.EMAIL,
    required_context=("subject", "lead"),
    prepare=_lead_label,
    skip_actor=False,
)
register(
    "partnering.event_meeting_scheduled",
    label=_("Event meeting scheduled"),
    title=_("{requester} meets you at {event}"),
    body=_("“{subject}” with {requester} is booked at {event}, {room}. The calendar invitation follows by e-mail."),
    default_delivery=Delivery.EMAIL,
    required_context=("subject", "requester", "event"),
)


# --- what the partnering kinds' texts are filled with ---------------------------------------------------------
# Here, beside the kinds, rather than in the services: the services and the reminder mailer (which the services'
# tasks call) both fill meeting texts, and neither may import the other.
# (company_context, the rule every app names a company by, lives in apps/notifications/kinds.py; partnering's
# services still import it from here.)


def meeting_context(meeting: Any, **extra: Any) -> dict[str, Any]:
    """What every meeting notification says about its meeting: subject, id, start and both companies."""
    return {"subject": meeting.subject, "meeting_id": str(meeting.uid),
            "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else "",
            **company_context("requester", meeting.requester_company),
            **company_context("invitee", meeting.invitee_company), **extra}
