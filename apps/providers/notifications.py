"""Notification kinds of the provider marketplace (see apps/notifications/kinds.py). Imported at start-up.

Codes (a decline reason, a milestone status, a category) travel in the context as codes; `prepare` turns them
into the reader's language, so a Chinese provider reads 价格 where the requester chose "price".
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Delivery, choice_labels, register

from .models import DeclineReason, MilestoneStatus
from .taxonomy import ServiceCategory

REQUEST_URL = "{site_url}/service-requests/{request_id}"
ENGAGEMENT_URL = "{site_url}/engagements/{engagement_id}"

_labels = choice_labels(category=("category_code", ServiceCategory), reason=("reason_code", DeclineReason),
                        status=("status_code", MilestoneStatus), unknown_as_code=("category", "reason", "status"))


KINDS: dict[str, dict[str, Any]] = {
    "provider.request_matched": dict(
        label=_("A service request matches your services"),
        title=_("New request for {category}: {request}"),
        body=_("{company} is looking for {category} in {jurisdictions}. Proposals are due by {deadline} (UTC)."),
        required_context=("request", "company", "category_code", "jurisdictions", "deadline"),
        url=REQUEST_URL, default_delivery=Delivery.EMAIL),
    "provider.invited": dict(
        label=_("Invitation to propose"),
        title=_("{company} invites you to propose: {request}"),
        body=_("{company} invited your company to send a proposal for {category} in {jurisdictions}. "
               "Proposals are due by {deadline} (UTC)."),
        required_context=("request", "company", "category_code", "jurisdictions", "deadline"),
        url=REQUEST_URL, default_delivery=Delivery.EMAIL),
    "provider.proposal_received": dict(
        label=_("Proposal received"),
        title=_("New proposal for {request}"),
        body=_("{provider} sent a proposal for {request}: {amount} {currency}."),
        required_context=("request", "provider", "amount", "currency"), url=REQUEST_URL),
    "provider.proposal_revised": dict(
        label=_("Proposal revised"),
        title=_("Proposal revised for {request}"),
        body=_("{provider} revised its proposal for {request} (version {version}): {amount} {currency}."),
        required_context=("request", "provider", "version", "amount", "currency"), url=REQUEST_URL),
    "provider.question_asked": dict(
        label=_("Clarification question on your request"),
        title=_("Question on {request}"),
        body=_("{provider} asked: {question}"),
        required_context=("request", "provider", "question"), url=REQUEST_URL),
    "provider.question_answered": dict(
        label=_("Your clarification question answered"),
        title=_("Your question on {request} was answered"),
        body=_("{answer}"),
        required_context=("request", "answer"), url=REQUEST_URL),
    "provider.answer_published": dict(
        label=_("Clarification published to all bidders"),
        title=_("Clarification on {request}"),
        body=_("Q: {question}\nA: {answer}"),
        required_context=("request", "question", "answer"), url=REQUEST_URL),
    "provider.proposal_awarded": dict(
        label=_("Proposal awarded"),
        title=_("Your proposal for {request} was awarded"),
        body=_("{company} awarded your proposal for {request}: the engagement ({amount} {currency}) has started."),
        required_context=("request", "company", "amount", "currency"), url=REQUEST_URL,
        default_delivery=Delivery.EMAIL),
    "provider.proposal_declined": dict(
        label=_("Proposal declined"),
        title=_("Your proposal for {request} was declined"),
        body=_("{company} declined your proposal for {request}. Reason: {reason}. {note}"),
        required_context=("request", "company", "reason_code"), url=REQUEST_URL, prepare=_labels),
    "provider.milestone_changed": dict(
        label=_("Engagement milestone changed"),
        title=_("{milestone}: {status}"),
        body=_("{company} marked the milestone \"{milestone}\" ({amount} {currency}) of the engagement for "
               "{request} as {status}."),
        required_context=("request", "company", "milestone", "status_code", "amount", "currency"),
        url=ENGAGEMENT_URL, prepare=_labels),
    "provider.review_received": dict(
        label=_("Review received"),
        title=_("{company} reviewed your work: {rating}/5"),
        body=_("{company} reviewed the engagement for {request}: {rating}/5. {text}"),
        required_context=("request", "company", "rating"), url=ENGAGEMENT_URL),
    "provider.review_hidden": dict(
        label=_("Your review hidden by staff"),
        title=_("Your review on {request} was hidden"),
        body=_("GPC staff hid your review of the engagement for {request}. Reason: {reason}"),
        required_context=("request", "reason"), url=ENGAGEMENT_URL, default_delivery=Delivery.EMAIL),
}

# `category` in the first two kinds is translated too.
for _code in ("provider.request_matched", "provider.invited"):
    KINDS[_code]["prepare"] = _labels


def _register() -> None:
    for code, options in KINDS.items():
        register(code, **options)


_register()
