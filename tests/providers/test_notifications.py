"""Every notification kind of the marketplace reaches its real recipient (a real person who may see the target),
in their language; nobody else is told."""

import datetime
from datetime import timedelta

import pytest
from django.core import mail

from apps.notifications.delivery import event_deliver
from apps.notifications.models import Notification, OutboxEvent
from apps.providers import services
from tests.providers import helpers

pytestmark = pytest.mark.django_db


def _deliver(kind: str) -> list[Notification]:
    events = list(OutboxEvent.objects.filter(kind=kind))
    assert events, f"no {kind} event"
    for event in events:
        event_deliver(event_id=event.pk)
    return list(Notification.objects.filter(kind=kind).select_related("recipient"))


def _recipients(kind: str) -> set[str]:
    return {n.recipient.email for n in _deliver(kind)}


def test_matching_request_published_reaches_matching_providers_only(world):
    helpers.rfp(world, visibility="open")
    assert _recipients("provider.request_matched") == {"matching_provider@providers.test",
                                                       "invited_provider@providers.test",
                                                       "competitor_provider@providers.test"}


def test_invitation_reaches_the_invited_in_their_language(world):
    helpers.rfp(world)
    notes = {n.recipient.email: n for n in _deliver("provider.invited")}
    assert set(notes) == {"invited_provider@providers.test", "competitor_provider@providers.test"}
    assert "US Agent for LMN-2201 IND" in notes["invited_provider@providers.test"].title
    chinese = notes["competitor_provider@providers.test"]  # Keystone's admin reads Chinese
    assert chinese.language == "zh-hans" and "美国" in chinese.body
    assert any(m.to == ["invited_provider@providers.test"] for m in mail.outbox)  # e-mailed at once


def test_proposal_received_and_revised_reach_the_requesters_contributors(world):
    proposal = helpers.proposal(world)
    expected = {world.member.email, world.admin.email, world.owner.email}
    assert _recipients("provider.proposal_received") == expected
    services.proposal_revise(actor=world.people["invited_provider"], proposal=proposal,
                             **helpers.terms(amount="58000.00", milestones=[]))
    notes = _deliver("provider.proposal_revised")
    assert {n.recipient.email for n in notes} == expected
    assert "58000.00" in notes[0].body


def test_question_reaches_the_requester_and_the_answer_the_asker(world):
    request = helpers.rfp(world)
    question = services.question_ask(actor=world.people["invited_provider"], request=request, text="Start date?")
    assert _recipients("provider.question_asked") == {world.member.email, world.admin.email, world.owner.email}
    services.question_answer(actor=world.member, question=question, answer="March.")
    assert _recipients("provider.question_answered") == {"invited_provider@providers.test"}
    assert not OutboxEvent.objects.filter(kind="provider.answer_published").exists()


def test_published_answer_reaches_the_other_bidders_without_the_asker(world):
    request = helpers.rfp(world)
    question = services.question_ask(actor=world.people["invited_provider"], request=request, text="Start date?")
    services.question_answer(actor=world.member, question=question, answer="March.", publish=True)
    notes = _deliver("provider.answer_published")
    assert {n.recipient.email for n in notes} == {"competitor_provider@providers.test"}
    assert "Harborline" not in notes[0].body and "港线" not in notes[0].body


def test_award_reaches_the_winner(world):
    helpers.engagement(world)
    assert _recipients("provider.proposal_awarded") == {"invited_provider@providers.test"}


def test_decline_reaches_the_provider_with_the_reason_in_its_language(world):
    proposal = helpers.competitor_proposal(world)
    services.proposal_decline(actor=world.admin, proposal=proposal, reason="price", note="")
    notes = _deliver("provider.proposal_declined")
    assert [n.recipient.email for n in notes] == ["competitor_provider@providers.test"]
    assert notes[0].language == "zh-hans" and "价格" in notes[0].body


def test_milestone_changes_reach_the_other_side(world):
    milestone = helpers.engagement(world).milestones.order_by("position").first()
    services.milestone_deliver(actor=world.people["invited_provider"], milestone=milestone)
    assert _recipients("provider.milestone_changed") == {world.owner.email, world.admin.email, world.member.email,
                                                         world.viewer.email}
    Notification.objects.all().delete()
    OutboxEvent.objects.all().delete()
    services.milestone_accept(actor=world.member, milestone=milestone)
    notes = _deliver("provider.milestone_changed")
    assert {n.recipient.email for n in notes} == {"invited_provider@providers.test"}
    assert "Accepted" in notes[0].title


def test_review_reaches_the_reviewed_company(world):
    engagement = helpers.completed(world)
    services.review_create(actor=world.admin, engagement=engagement, rating=5, text="Excellent")
    assert _recipients("provider.review_received") == {"invited_provider@providers.test"}


def test_hidden_review_tells_its_author(world):
    engagement = helpers.completed(world)
    review = services.review_create(actor=world.member, engagement=engagement, rating=1, text="Rude words")
    world.staff.is_superuser = True
    world.staff.save()
    services.review_hide(actor=world.staff, review=review, reason="Personal attack")
    notes = _deliver("provider.review_hidden")
    assert [n.recipient.email for n in notes] == [world.member.email]
    assert "Personal attack" in notes[0].body


def test_a_provider_suspended_before_delivery_is_not_told(world):
    helpers.rfp(world)
    company = helpers.company(world, "invited_provider")
    company.verification_status = "suspended"
    company.save()
    assert _recipients("provider.invited") == {"competitor_provider@providers.test"}


def test_deadline_in_invitation_is_utc(world):
    request = helpers.rfp(world, deadline_in=timedelta(days=3))
    note = _deliver("provider.invited")[0]
    assert request.deadline.astimezone(datetime.UTC).strftime("%Y-%m-%d") in note.body
