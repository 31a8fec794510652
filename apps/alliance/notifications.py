"""Notification kinds of the alliance (see apps/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from apps.alliance.models import DecisionOutcome, EscalationLevel, Severity
from apps.notifications.kinds import Delivery, choice_labels, register

URL = "{site_url}/alliances/{alliance_id}"

register(
    "alliance.meeting_scheduled",
    label=_("Committee meeting scheduled"),
    title=_("{committee} meets on {starts_at}"),
    body=_("A meeting of the {committee} of {agreement} was scheduled for {starts_at}."),
    default_delivery=Delivery.EMAIL,
    required_context=("agreement", "committee", "starts_at"),
    url=URL,
)
register(
    "alliance.minutes_to_approve",
    label=_("Minutes awaiting your approval"),
    title=_("Minutes of the {committee} to approve"),
    body=_("Version {version} of the minutes of the {committee} of {agreement} awaits your party's approval."),
    required_context=("agreement", "committee", "version"),
    url=URL,
)
register(
    "alliance.minutes_approved",
    label=_("Minutes approved"),
    title=_("Minutes of the {committee} approved"),
    body=_("Every party approved version {version} of the minutes of the {committee} of {agreement}: they are "
           "final."),
    required_context=("agreement", "committee", "version"),
    url=URL,
)
register(
    "alliance.vote_requested",
    label=_("Committee vote requested"),
    title=_("Your party's vote is needed in the {committee}"),
    body=_("A motion was put to the {committee} of {agreement}: \"{motion}\". Record your party's vote."),
    required_context=("agreement", "committee", "motion"),
    url=URL,
)
register(
    "alliance.decision_taken",
    label=_("Committee decision taken"),
    title=_("Decision of the {committee}: {outcome}"),
    body=_("Every party voted on \"{motion}\" in the {committee} of {agreement}. Outcome: {outcome}."),
    required_context=("agreement", "committee", "motion", "outcome_code"),
    url=URL,
    prepare=choice_labels(outcome=("outcome_code", DecisionOutcome)),
)
register(
    "alliance.action_item_due",
    label=_("Action item due soon"),
    title=_("Action item due on {due_on}"),
    body=_("The action item \"{item}\" of {agreement} is due on {due_on}."),
    default_delivery=Delivery.EMAIL,
    required_context=("agreement", "item", "due_on"),
    url=URL,
)
register(
    "alliance.obligation_due",
    label=_("Obligation due soon"),
    title=_("Obligation due on {due_on}: {obligation}"),
    body=_("The obligation \"{obligation}\" under {agreement} is due on {due_on}."),
    default_delivery=Delivery.EMAIL,
    required_context=("agreement", "obligation", "due_on"),
    url=URL,
)
register(
    "alliance.obligation_overdue",
    label=_("Obligation overdue"),
    title=_("Overdue obligation: {obligation}"),
    body=_("{company} has not met the obligation \"{obligation}\" under {agreement}, due on {due_on}. It is on "
           "the steering committee's agenda."),
    default_delivery=Delivery.EMAIL,
    required_context=("agreement", "obligation", "due_on", "company"),
    url=URL,
)
register(
    "alliance.obligation_fulfilled",
    label=_("Obligation fulfilled"),
    title=_("Obligation fulfilled: {obligation}"),
    body=_("The obligation \"{obligation}\" under {agreement} was recorded as fulfilled ({company})."),
    required_context=("agreement", "obligation"),
    url=URL,
)
register(
    "alliance.issue_raised",
    label=_("Alliance issue raised"),
    title=_("{company} raised an issue: {issue}"),
    body=_("{company} raised an issue of {severity} severity in the alliance of {agreement}: \"{issue}\"."),
    default_delivery=Delivery.EMAIL,
    required_context=("agreement", "issue", "company", "severity_code"),
    url=URL,
    prepare=choice_labels(severity=("severity_code", Severity)),
)
register(
    "alliance.issue_escalated",
    label=_("Alliance issue escalated"),
    title=_("Issue escalated to: {level}"),
    body=_("The issue \"{issue}\" in the alliance of {agreement} was escalated to: {level}."),
    default_delivery=Delivery.EMAIL,
    required_context=("agreement", "issue", "level_code"),
    url=URL,
    prepare=choice_labels(level=("level_code", EscalationLevel)),
)
register(
    "alliance.issue_resolved",
    label=_("Alliance issue resolved"),
    title=_("Issue resolved: {issue}"),
    body=_("The issue \"{issue}\" in the alliance of {agreement} was resolved."),
    required_context=("agreement", "issue"),
    url=URL,
)
