"""Audit action codes partnering emits (stored in AuditEvent.action), each with its label.

A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

CALL_CREATED = action("partnering.call_created", _("Call for assets created"))
CALL_UPDATED = action("partnering.call_updated", _("Call for assets updated"))
CALL_SUBMITTED = action("partnering.call_submitted", _("Call for assets submitted for review"))
CALL_PUBLISHED = action("partnering.call_published", _("Call for assets published"))
CALL_CHANGES_REQUESTED = action("partnering.call_changes_requested", _("Changes requested on a call for assets"))
CALL_CLOSED = action("partnering.call_closed", _("Call for assets closed"))
SUBMISSION_CREATED = action("partnering.submission_created", _("Submission to a call created"))
SUBMISSION_TRIAGED = action("partnering.submission_triaged", _("Submission triaged"))
SUBMISSION_WITHDRAWN = action("partnering.submission_withdrawn", _("Submission withdrawn"))
CRITERION_SAVED = action("partnering.criterion_saved", _("Evaluation criterion saved"))
EVALUATION_CREATED = action("partnering.evaluation_created", _("Evaluation opened"))
EVALUATION_SCORED = action("partnering.evaluation_scored", _("Evaluation scored"))
MEETING_REQUESTED = action("partnering.meeting_requested", _("Meeting requested"))
MEETING_SLOTS_PROPOSED = action("partnering.meeting_slots_proposed", _("Other meeting times proposed"))
MEETING_CONFIRMED = action("partnering.meeting_confirmed", _("Meeting confirmed"))
MEETING_DECLINED = action("partnering.meeting_declined", _("Meeting declined"))
MEETING_CANCELLED = action("partnering.meeting_cancelled", _("Meeting cancelled"))
MEETING_UPDATED = action("partnering.meeting_updated", _("Meeting updated"))
CALENDAR_FEED_ROTATED = action("partnering.calendar_feed_rotated", _("Calendar feed address rotated"))
EVENT_CREATED = action("partnering.event_created", _("Partnering event created"))
EVENT_REGISTERED = action("partnering.event_registered", _("Company registered for a partnering event"))
EVENT_AVAILABILITY_SET = action("partnering.event_availability_set", _("Event availability published"))
EVENT_MEETING_SCHEDULED = action("partnering.event_meeting_scheduled", _("Event meeting scheduled"))
