"""Delivery scenarios of the provider-marketplace kinds (runner: tests/notifications/test_every_kind_is_delivered.py).

The world is tests/providers/helpers.py's: Lumina requests a US Agent, Harborline (invited_provider) and Keystone
(competitor_provider) are invited, Matchwell (matching_provider) matches, Sakura (nonmatching_provider) does not.
"""

from __future__ import annotations

from apps.providers import services
from tests.notifications.scenarios import Told, scenario
from tests.providers import helpers

TITLE = "US Agent for LMN-2201 IND"


@scenario("provider.request_matched")
def _request_matched(world):
    helpers.rfp(world, visibility="open")
    return Told(world.people["matching_provider"], says="New request for Regulatory agent / US Agent for the FDA",
                says_zh="新的法规代理人 / FDA 美国代理人需求", not_told=[world.people["nonmatching_provider"]])


@scenario("provider.invited")
def _invited(world):
    helpers.rfp(world)
    return Told(world.people["invited_provider"], says=f"invites you to propose: {TITLE}",
                says_zh=f"邀请您提交方案：{TITLE}", not_told=[world.people["matching_provider"]])


@scenario("provider.proposal_received")
def _proposal_received(world):
    helpers.proposal(world)
    return Told(world.member, says="Harborline Regulatory sent a proposal", says_zh="港线法规 为",
                not_told=[world.viewer, world.people["competitor_provider"]])


@scenario("provider.proposal_revised")
def _proposal_revised(world):
    proposal = helpers.proposal(world)
    services.proposal_revise(actor=world.people["invited_provider"], proposal=proposal,
                             **helpers.terms(amount="58000.00", milestones=[]))
    return Told(world.admin, says="revised its proposal", says_zh="修改了其为",
                not_told=[world.people["competitor_provider"]])


@scenario("provider.question_asked")
def _question_asked(world):
    request = helpers.rfp(world)
    services.question_ask(actor=world.people["invited_provider"], request=request, text="Start date?")
    return Told(world.member, says="Harborline Regulatory asked: Start date?", says_zh="港线法规 提问：Start date?",
                not_told=[world.people["competitor_provider"]])


@scenario("provider.question_answered")
def _question_answered(world):
    request = helpers.rfp(world)
    question = services.question_ask(actor=world.people["invited_provider"], request=request, text="Start date?")
    services.question_answer(actor=world.member, question=question, answer="March.")
    return Told(world.people["invited_provider"], says="was answered", says_zh="已获回答",
                not_told=[world.people["competitor_provider"]])


@scenario("provider.answer_published")
def _answer_published(world):
    request = helpers.rfp(world)
    question = services.question_ask(actor=world.people["invited_provider"], request=request, text="Start date?")
    services.question_answer(actor=world.member, question=question, answer="March.", publish=True)
    return Told(world.people["competitor_provider"], says="Q: Start date?", says_zh="问：Start date?",
                not_told=[world.people["invited_provider"], world.people["matching_provider"]])


@scenario("provider.proposal_awarded")
def _proposal_awarded(world):
    helpers.engagement(world)
    return Told(world.people["invited_provider"], says="was awarded", says_zh="已获授予",
                not_told=[world.people["competitor_provider"]])


@scenario("provider.proposal_declined")
def _proposal_declined(world):
    proposal = helpers.competitor_proposal(world)
    services.proposal_decline(actor=world.admin, proposal=proposal, reason="price")
    return Told(world.people["competitor_provider"], says="Reason: Price", says_zh="原因：价格",
                not_told=[world.people["invited_provider"]])


@scenario("provider.milestone_changed")
def _milestone_changed(world):
    milestone = helpers.engagement(world).milestones.order_by("position").first()
    services.milestone_deliver(actor=world.people["invited_provider"], milestone=milestone)
    return Told(world.member, says="IND filed: Delivered", says_zh="IND filed：已交付",
                not_told=[world.people["competitor_provider"]])


@scenario("provider.review_received")
def _review_received(world):
    engagement = helpers.completed(world)
    services.review_create(actor=world.admin, engagement=engagement, rating=5, text="Excellent")
    return Told(world.people["invited_provider"], says="reviewed your work: 5/5", says_zh="评价了您的工作：5/5",
                not_told=[world.people["competitor_provider"]])


@scenario("provider.review_hidden")
def _review_hidden(world):
    engagement = helpers.completed(world)
    review = services.review_create(actor=world.member, engagement=engagement, rating=1, text="Rude words")
    world.staff.is_superuser = True
    world.staff.save()
    services.review_hide(actor=world.staff, review=review, reason="Personal attack")
    return Told(world.member, says="Reason: Personal attack", says_zh="原因：Personal attack",
                not_told=[world.people["invited_provider"], world.admin])
