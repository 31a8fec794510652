"""Writes of the provider marketplace, by subject: profiles, requests, proposals, questions, engagements, reviews
(shared checks in common). Each service re-checks the actor's right inside its transaction (locking the row it
changes), records an audit event with the act, and queues its notifications in the same transaction.

Lock order, everywhere: the request first, then the proposal. The deadline is compared after the request's row
is locked, so a proposal and a deadline change cannot pass each other. Reads live in apps/providers/selectors.py.
"""

from apps.providers.services.engagements import (
    MILESTONE_STEPS,
    engagement_complete,
    engagement_grant,
    engagement_revoke_grant,
    milestone_accept,
    milestone_deliver,
    milestone_invoice,
    milestone_pay,
)
from apps.providers.services.profiles import (
    profile_create,
    profile_update,
    provider_match_open_requests,
    provider_suspend,
    provider_verify,
)
from apps.providers.services.proposals import (
    proposal_award,
    proposal_decline,
    proposal_revise,
    proposal_submit,
    proposal_withdraw,
)
from apps.providers.services.questions import (
    question_answer,
    question_ask,
)
from apps.providers.services.requests import (
    REQUESTER_KINDS,
    request_cancel,
    request_create,
    request_invite,
    request_update,
    terms_accept,
)
from apps.providers.services.reviews import (
    review_create,
    review_hide,
)

__all__ = [
    "MILESTONE_STEPS",
    "REQUESTER_KINDS",
    "engagement_complete",
    "engagement_grant",
    "engagement_revoke_grant",
    "milestone_accept",
    "milestone_deliver",
    "milestone_invoice",
    "milestone_pay",
    "profile_create",
    "profile_update",
    "proposal_award",
    "proposal_decline",
    "proposal_revise",
    "proposal_submit",
    "proposal_withdraw",
    "provider_match_open_requests",
    "provider_suspend",
    "provider_verify",
    "question_answer",
    "question_ask",
    "request_cancel",
    "request_create",
    "request_invite",
    "request_update",
    "review_create",
    "review_hide",
    "terms_accept",
]
