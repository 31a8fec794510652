"""Authorization matrix rows for the provider marketplace (tests/authz/test_matrix.py runs them per persona).

Setting (tests/providers/helpers.py): Lumina (owner, admin, member, viewer) is the requester; Harborline is the
invited provider, Keystone the competitor (invited, with its own proposal), Matchwell matches but is not invited,
Sakura matches nothing; Jade Peak is another biotech; Northbridge (other_member) is a pharma partner.
Every row adds those extra personas to the world and gives each a status.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone

from apps.companies.models import CompanyKind, Role
from apps.datarooms import services as room_services
from apps.providers import attachments, services
from apps.providers.models import RequestQuestion
from tests.authz.matrix import Row, expect
from tests.datarooms.hostile import good_pdf
from tests.datarooms.rooms import make_asset
from tests.factories import CompanyFactory, add_member
from tests.providers import helpers

EXTRAS = helpers.EXTRA_PERSONAS
LUMINA = ("viewer", "member", "admin", "owner")
CONTRIBUTORS = ("member", "admin", "owner")
MANAGERS = ("admin", "owner")


def statuses(default: int, *groups: dict[str, int], **named: int) -> dict[str, int]:
    """expect() for the standard personas plus every extra persona: the default, then each group, then `named`."""
    table = expect(default, **{p: default for p in EXTRAS})
    for group in groups:
        table.update(group)
    table.update(named)
    return table


def each(personas: tuple[str, ...], status: int) -> dict[str, int]:
    return {persona: status for persona in personas}


# --- params ------------------------------------------------------------------------------------------------------


def _world(world):
    helpers.providers(world)
    return {}


def _profile(world):
    return {"id": helpers.providers(world)["invited_provider"].pk}


def _new_provider_company(world):
    helpers.providers(world)
    company = CompanyFactory(name_en="Harborline Europe", kind=CompanyKind.SERVICE_PROVIDER, country="IE")
    add_member(company, world.people["invited_provider"], Role.ADMIN)
    world.extra["new_company"] = company
    return {}


def _rfp(world):
    return {"id": helpers.rfp(world).pk}


def _open_rfp(world):
    return {"id": helpers.rfp(world, visibility="open").pk}


def _rfp_with_terms(world):
    return {"id": helpers.rfp(world, terms=True).pk}


def _attachment(world):
    request = helpers.rfp(world, terms=True)
    attachment = attachments.attachment_upload(actor=world.member, request=request, f=io.BytesIO(good_pdf(1)),
                                               filename="scope.pdf")
    services.terms_accept(actor=world.people["invited_provider"], request=request, version=1)
    return {"id": attachment.pk}


def _proposal(world):
    helpers.competitor_proposal(world)
    return {"id": helpers.proposal(world).pk}


def _private_question(world):
    request = helpers.rfp(world)
    question = services.question_ask(actor=world.people["competitor_provider"], request=request,
                                     text="Does the scope include annual reports?")
    return {"id": question.pk}


def _published_question(world):
    params = _private_question(world)
    question = RequestQuestion.objects.get(pk=params["id"])
    services.question_answer(actor=world.member, question=question, answer="Yes.", publish=True)
    return params


def _rfp_with_proposals(world):
    _proposal(world)
    return {"id": helpers.rfp(world).pk}


def _engagement(world):
    return {"id": helpers.engagement(world).pk}


def _room(world):
    asset = make_asset(world)
    return room_services.room_create(actor=world.admin, asset=asset, name="LMN-2201 CMC")


def _engagement_and_room(world):
    params = _engagement(world)
    world.extra["room"] = _room(world)
    return params


def _engagement_with_grant(world):
    engagement = helpers.engagement(world)
    services.engagement_grant(actor=world.admin, engagement=engagement, room=_room(world), level="view",
                              scope="room", expires_at=timezone.now() + timedelta(days=30))
    return {"id": engagement.pk}


def _milestone(world, steps=()):
    milestone = helpers.engagement(world).milestones.order_by("position").first()
    actors = {"deliver": "invited_provider", "accept": "member", "invoice": "invited_provider"}
    for step in steps:
        milestone = getattr(services, f"milestone_{step}")(actor=world.people[actors[step]], milestone=milestone)
    return {"id": milestone.pk}


def _completed(world):
    return {"_": helpers.completed(world).pk}


def _review(world):
    engagement = helpers.completed(world)
    review = services.review_create(actor=world.admin, engagement=engagement, rating=5, text="Fast and precise.")
    return {"id": review.pk}


# --- bodies ------------------------------------------------------------------------------------------------------


def _profile_body(world, persona):
    return {"company": world.extra["new_company"].pk, "headline_en": "EU legal representative",
            "categories": ["eu_legal_representative"], "jurisdictions": ["eu"]}


def _request_body(world, persona):
    return {"title": "EU legal representative", "category": "eu_legal_representative", "jurisdictions": ["eu"],
            "scope_en": "Act as our EU legal representative for a CTA.", "visibility": "open",
            "deadline": (timezone.now() + timedelta(days=10)).isoformat()}


def _invite_body(world, persona):
    return {"providers": [helpers.company(world, "matching_provider").pk]}


def _terms_body(world, persona):
    return {"pricing_model": "fixed", "amount": "55000.00", "currency": "USD", "timeline": "10 months"}


def _grant_body(world, persona):
    return {"room": world.extra["room"].pk, "level": "view", "scope": "room",
            "expires_at": (timezone.now() + timedelta(days=30)).isoformat()}


def _review_body(world, persona):
    return {"engagement": world.extra["engagement"].pk, "rating": 4, "text": "Good work."}


def _named_pdf():
    f = io.BytesIO(good_pdf(1))
    f.name = "background.pdf"
    return f


# --- expectations ----------------------------------------------------------------------------------------------

EVERYONE = statuses(200)
VERIFIED_READ = statuses(200, outsider=404)
# The invited-only request: the requester, staff, and the two invited providers.
REQUEST_READ = statuses(404, each(LUMINA, 200), staff=200, invited_provider=200, competitor_provider=200)
REQUEST_MANAGE = statuses(404, each(LUMINA, 403), each(CONTRIBUTORS, 200), staff=403, invited_provider=403,
                          competitor_provider=403)
REQUEST_PROPOSE = statuses(404, each(LUMINA, 403), staff=403, invited_provider=201, competitor_provider=201)
# Harborline's proposal (Keystone has its own): Harborline, the requester, staff.
PROPOSAL_READ = statuses(404, each(LUMINA, 200), staff=200, invited_provider=200)
PROPOSAL_REVISE = statuses(404, each(LUMINA, 403), staff=403, invited_provider=200)
PROPOSAL_DECIDE = statuses(404, each(LUMINA, 403), staff=403, invited_provider=403)
# The engagement with Harborline.
ENGAGEMENT_READ = statuses(404, each(LUMINA, 200), staff=200, invited_provider=200)
ENGAGEMENT_MANAGE = statuses(404, each(LUMINA, 403), each(MANAGERS, 200), staff=403, invited_provider=403)
PROVIDER_STEP = statuses(404, each(LUMINA, 403), staff=403, invited_provider=200)
REQUESTER_STEP = statuses(404, each(LUMINA, 403), each(CONTRIBUTORS, 200), staff=403, invited_provider=403)

ROWS = [
    # providers
    Row("GET /api/v1/providers/", EVERYONE, params=_world),
    Row("GET /api/v1/providers/categories/", EVERYONE, params=_world),
    Row("POST /api/v1/providers/", statuses(403, outsider=404, invited_provider=201), params=_new_provider_company,
        body=_profile_body),
    Row("GET /api/v1/providers/{id}/", VERIFIED_READ, params=_profile),
    Row("PATCH /api/v1/providers/{id}/", statuses(403, outsider=404, invited_provider=200), params=_profile,
        body=lambda w, p: {"headline_zh": "美国代理人服务"}),
    # service requests
    Row("GET /api/v1/service-requests/", EVERYONE, params=_rfp),
    Row("POST /api/v1/service-requests/", statuses(403, each(CONTRIBUTORS, 201), other_biotech=201),
        params=_world, body=_request_body),
    Row("GET /api/v1/service-requests/{id}/", REQUEST_READ, params=_rfp, variant="invited providers only"),
    Row("GET /api/v1/service-requests/{id}/", {**REQUEST_READ, "matching_provider": 200}, params=_open_rfp,
        variant="open to matching providers"),
    Row("PATCH /api/v1/service-requests/{id}/", REQUEST_MANAGE, params=_rfp,
        body=lambda w, p: {"timeline": "Start in January"}),
    Row("POST /api/v1/service-requests/{id}/invite/", REQUEST_MANAGE, params=_rfp, body=_invite_body),
    Row("POST /api/v1/service-requests/{id}/cancel/", REQUEST_MANAGE, params=_rfp),
    Row("POST /api/v1/service-requests/{id}/accept-terms/",
        statuses(404, each(LUMINA, 403), staff=403, invited_provider=204, competitor_provider=204),
        params=_rfp_with_terms, body=lambda w, p: {"version": 1}),
    Row("GET /api/v1/service-requests/{id}/compare/",
        statuses(404, each(LUMINA, 200), staff=200, invited_provider=403, competitor_provider=403),
        params=_rfp_with_proposals),
    Row("GET /api/v1/service-requests/{id}/proposals/", REQUEST_READ, params=_rfp),
    Row("POST /api/v1/service-requests/{id}/proposals/", REQUEST_PROPOSE, params=_rfp, body=_terms_body),
    Row("GET /api/v1/service-requests/{id}/questions/", REQUEST_READ, params=_rfp),
    Row("POST /api/v1/service-requests/{id}/questions/", REQUEST_PROPOSE, params=_rfp,
        body=lambda w, p: {"text": "Is the IND already filed?"}),
    Row("GET /api/v1/service-requests/{id}/attachments/", REQUEST_READ, params=_rfp_with_terms),
    Row("POST /api/v1/service-requests/{id}/attachments/",
        {**REQUEST_MANAGE, **each(CONTRIBUTORS, 201)}, params=_rfp_with_terms,
        body=lambda w, p: {"file": _named_pdf()}, multipart=True),
    # attachments: the requester, staff, and invited providers who accepted the terms (Harborline did)
    Row("GET /api/v1/request-attachments/{id}/", statuses(404, each(LUMINA, 200), staff=200, invited_provider=200),
        params=_attachment),
    Row("GET /api/v1/request-attachments/{id}/download/",
        statuses(404, each(LUMINA, 200), staff=200, invited_provider=200), params=_attachment),
    Row("DELETE /api/v1/request-attachments/{id}/",
        statuses(404, each(LUMINA, 403), each(CONTRIBUTORS, 204), staff=403, invited_provider=403),
        params=_attachment),
    # proposals
    Row("GET /api/v1/proposals/", EVERYONE, params=_proposal),
    Row("GET /api/v1/proposals/{id}/", PROPOSAL_READ, params=_proposal),
    Row("GET /api/v1/proposals/{id}/versions/", PROPOSAL_READ, params=_proposal),
    Row("POST /api/v1/proposals/{id}/revise/", PROPOSAL_REVISE, params=_proposal, body=_terms_body),
    Row("POST /api/v1/proposals/{id}/withdraw/", PROPOSAL_REVISE, params=_proposal),
    Row("POST /api/v1/proposals/{id}/award/", {**PROPOSAL_DECIDE, **each(MANAGERS, 201)}, params=_proposal,
        body=lambda w, p: {}),
    Row("POST /api/v1/proposals/{id}/decline/", {**PROPOSAL_DECIDE, **each(MANAGERS, 200)}, params=_proposal,
        body=lambda w, p: {"reason": "price", "note": "Above our budget."}),
    # questions
    Row("GET /api/v1/request-questions/", EVERYONE, params=_private_question),
    Row("GET /api/v1/request-questions/{id}/", statuses(404, each(LUMINA, 200), staff=200, competitor_provider=200),
        params=_private_question, variant="private"),
    Row("GET /api/v1/request-questions/{id}/",
        statuses(404, each(LUMINA, 200), staff=200, competitor_provider=200, invited_provider=200),
        params=_published_question, variant="published to all bidders"),
    Row("POST /api/v1/request-questions/{id}/answer/",
        statuses(404, each(LUMINA, 403), each(CONTRIBUTORS, 200), staff=403, competitor_provider=403),
        params=_private_question, body=lambda w, p: {"answer": "Yes, both.", "publish": False}),
    # engagements
    Row("GET /api/v1/engagements/", EVERYONE, params=_engagement),
    Row("GET /api/v1/engagements/{id}/", ENGAGEMENT_READ, params=_engagement),
    Row("POST /api/v1/engagements/{id}/complete/", ENGAGEMENT_MANAGE, params=_engagement),
    Row("POST /api/v1/engagements/{id}/grant/", ENGAGEMENT_MANAGE, params=_engagement_and_room, body=_grant_body),
    Row("POST /api/v1/engagements/{id}/revoke-grant/", ENGAGEMENT_MANAGE, params=_engagement_with_grant),
    Row("GET /api/v1/engagement-milestones/", EVERYONE, params=_engagement),
    Row("GET /api/v1/engagement-milestones/{id}/", ENGAGEMENT_READ, params=_milestone),
    Row("POST /api/v1/engagement-milestones/{id}/deliver/", PROVIDER_STEP, params=_milestone),
    Row("POST /api/v1/engagement-milestones/{id}/accept/", REQUESTER_STEP,
        params=lambda w: _milestone(w, ("deliver",))),
    Row("POST /api/v1/engagement-milestones/{id}/invoice/", PROVIDER_STEP,
        params=lambda w: _milestone(w, ("deliver", "accept"))),
    Row("POST /api/v1/engagement-milestones/{id}/pay/", REQUESTER_STEP,
        params=lambda w: _milestone(w, ("deliver", "accept", "invoice"))),
    # reviews (an engagement id the caller may not see is refused like a missing one: 404 not_found)
    Row("GET /api/v1/provider-reviews/", EVERYONE, params=_review),
    Row("GET /api/v1/provider-reviews/{id}/", VERIFIED_READ, params=_review),
    Row("POST /api/v1/provider-reviews/",
        statuses(404, each(CONTRIBUTORS, 201), anonymous=401, viewer=403, staff=403, invited_provider=201),
        params=_completed, body=_review_body),
]
