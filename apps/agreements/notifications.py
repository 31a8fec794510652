"""Notification kinds of agreements (see apps/notifications/kinds.py). Imported at start-up by autodiscover."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Delivery, register

URL = "{site_url}/agreements/{agreement_id}"

KINDS: dict[str, dict] = {
    "agreement.opened": dict(
        title=_("Negotiation opened: {agreement}"),
        body=_("{company} opened the negotiation of {agreement} and proposed version {version}."),
        required_context=("agreement", "company", "version")),
    "agreement.updated": dict(
        title=_("{agreement} updated"),
        body=_("{company} changed {agreement}: {changed}."),
        required_context=("agreement", "company", "changed")),
    "agreement.version_proposed": dict(
        title=_("New version {version} of {agreement}"),
        body=_("{company} proposed version {version} of the terms of {agreement}. Earlier approvals no longer "
               "count."),
        required_context=("agreement", "company", "version")),
    "agreement.version_approved": dict(
        title=_("{company} approved version {version} of {agreement}"),
        body=_("{company} approved version {version} of {agreement}."),
        required_context=("agreement", "company", "version")),
    "agreement.executed": dict(
        title=_("{agreement} executed"),
        body=_("Every party approved version {version}: {agreement} is executed."),
        required_context=("agreement", "version"), email=True),
    "agreement.amendment_executed": dict(
        title=_("Amendment to {agreement} executed"),
        body=_("Every party approved version {version}: the amendment to {agreement} is in force."),
        required_context=("agreement", "version"), email=True),
    "agreement.activated": dict(
        title=_("{agreement} is active"),
        body=_("{agreement} reached its effective date and is now active."),
        required_context=("agreement",)),
    "agreement.terminated": dict(
        title=_("{agreement} terminated"),
        body=_("{company} terminated {agreement}. Reason: {reason}"),
        required_context=("agreement", "company", "reason"), email=True),
    "agreement.expired": dict(
        title=_("{agreement} expired"),
        body=_("The term of {agreement} ended."),
        required_context=("agreement",)),
    "agreement.milestone_achieved": dict(
        title=_("Milestone achieved: {milestone}"),
        body=_("{company} marked the milestone \"{milestone}\" of {agreement} ({amount} {currency}) as achieved. "
               "Please confirm or dispute it."),
        required_context=("agreement", "company", "milestone", "amount", "currency"), email=True),
    "agreement.milestone_event": dict(
        title=_("Milestone reached by a regulatory event: {milestone}"),
        body=_("A regulatory event ({event}) was recorded on {asset}: the milestone \"{milestone}\" of {agreement} "
               "({amount} {currency}) awaits confirmation."),
        required_context=("agreement", "milestone", "amount", "currency", "event"), email=True),
    "agreement.milestone_confirmed": dict(
        title=_("Milestone confirmed: {milestone}"),
        body=_("{company} confirmed the milestone \"{milestone}\" of {agreement}."),
        required_context=("agreement", "company", "milestone")),
    "agreement.milestone_disputed": dict(
        title=_("Milestone disputed: {milestone}"),
        body=_("{company} disputed the milestone \"{milestone}\" of {agreement}. Reason: {reason}"),
        required_context=("agreement", "company", "milestone", "reason"), email=True),
    "agreement.milestone_invoiced": dict(
        title=_("Milestone invoiced: {milestone}"),
        body=_("{company} invoiced the milestone \"{milestone}\" of {agreement}: {amount} {currency}."),
        required_context=("agreement", "company", "milestone", "amount", "currency")),
    "agreement.milestone_paid": dict(
        title=_("Milestone paid: {milestone}"),
        body=_("{company} recorded the payment of the milestone \"{milestone}\" of {agreement}: "
               "{amount} {currency}."),
        required_context=("agreement", "company", "milestone", "amount", "currency")),
    "agreement.milestone_due_soon": dict(
        title=_("Milestone due on {due_on}: {milestone}"),
        body=_("The milestone \"{milestone}\" of {agreement} ({amount} {currency}) is due on {due_on}."),
        required_context=("agreement", "milestone", "due_on", "amount", "currency"), digest=True),
    "agreement.jsc_meeting_soon": dict(
        title=_("JSC meeting on {meeting_on}: {agreement}"),
        body=_("The joint steering committee of {agreement} meets on {meeting_on}."),
        required_context=("agreement", "meeting_on"), digest=True),
}


def _register() -> None:
    for code, options in KINDS.items():
        options = dict(options)
        delivery = Delivery.IN_APP
        if options.pop("email", False):
            delivery = Delivery.EMAIL
        if options.pop("digest", False):
            delivery = Delivery.DIGEST
        register(code, default_delivery=delivery, url=URL, **options)


_register()
