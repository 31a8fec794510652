"""The marketplace from request to review: deadline, versions, award, decline, engagement, milestones, reviews."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.agreements.models import ExchangeRate
from apps.audit.models import AuditEvent
from apps.core.errors import Conflict, PermissionRefused, ValidationFailed
from apps.providers import services
from apps.providers.models import ServiceRequest
from tests.providers import helpers

pytestmark = pytest.mark.django_db


def _expire(request: ServiceRequest) -> None:
    ServiceRequest.objects.filter(pk=request.pk).update(deadline=timezone.now() - timedelta(seconds=1))


def test_no_proposal_after_the_deadline(world):
    request = helpers.rfp(world)
    _expire(request)
    response = world.client("invited_provider").post(f"/api/v1/service-requests/{request.pk}/proposals/",
                                                     helpers.terms(), format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "deadline_passed"
    assert not request.proposals.exists()


def test_no_revision_after_the_deadline_and_the_last_version_stands(world):
    proposal = helpers.proposal(world)
    _expire(helpers.rfp(world))
    response = world.client("invited_provider").post(f"/api/v1/proposals/{proposal.pk}/revise/",
                                                     helpers.terms(amount="50000.00", milestones=[]), format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "deadline_passed"
    proposal.refresh_from_db()
    assert proposal.current_version.number == 1 and proposal.current_version.amount == Decimal("60000.00")


def test_revisions_keep_every_version(world):
    proposal = helpers.proposal(world)
    client = world.client("invited_provider")
    response = client.post(f"/api/v1/proposals/{proposal.pk}/revise/",
                           helpers.terms(amount="55000.00", milestones=[], note="Sharper price"), format="json")
    assert response.status_code == 200
    assert response.json()["current_version"]["amount"] == "55000.00"
    versions = client.get(f"/api/v1/proposals/{proposal.pk}/versions/").json()
    assert [(v["number"], v["amount"]) for v in versions] == [(1, "60000.00"), (2, "55000.00")]


def test_fixed_price_milestones_must_add_up(world):
    request = helpers.rfp(world)
    response = world.client("invited_provider").post(
        f"/api/v1/service-requests/{request.pk}/proposals/",
        helpers.terms(milestones=[{"title": "Only half", "amount": "30000.00"}]), format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "milestones_total"
    assert not request.proposals.exists()


def test_float_amounts_are_refused(world):
    request = helpers.rfp(world)
    response = world.client("invited_provider").post(f"/api/v1/service-requests/{request.pk}/proposals/",
                                                     {**helpers.terms(), "amount": 60000.5}, format="json")
    assert response.status_code == 400
    assert not request.proposals.exists()


def test_a_provider_sends_one_proposal(world):
    helpers.proposal(world)
    with pytest.raises(Conflict):
        services.proposal_submit(actor=world.people["invited_provider"], request=helpers.rfp(world),
                                 **helpers.terms())


def test_compare_shows_usd_at_the_dated_rate(world):
    ExchangeRate.objects.create(currency="CNY", usd_per_unit=Decimal("0.13800000"),
                                valid_on=timezone.now().date() - timedelta(days=40))
    ExchangeRate.objects.create(currency="CNY", usd_per_unit=Decimal("0.14000000"),
                                valid_on=timezone.now().date() - timedelta(days=2))
    helpers.proposal(world)
    helpers.competitor_proposal(world)
    request = helpers.rfp(world)
    data = world.client("member").get(f"/api/v1/service-requests/{request.pk}/compare/").json()
    rows = {row["provider"]["name_en"]: row for row in data["proposals"]}
    assert rows["Harborline Regulatory"]["amount_usd"] == "60000.00"
    assert rows["Keystone Regulatory"]["amount"] == "450000.00"
    assert rows["Keystone Regulatory"]["amount_usd"] == "63000.00"  # 450,000 CNY x 0.14
    old = (timezone.now().date() - timedelta(days=10)).isoformat()
    earlier = world.client("member").get(f"/api/v1/service-requests/{request.pk}/compare/?on={old}").json()
    assert {r["provider"]["name_en"]: r["amount_usd"] for r in earlier["proposals"]}["Keystone Regulatory"] == (
        "62100.00")  # the rate valid then: 0.138
    assert data["missing_rates"] == []


def test_compare_without_a_rate_says_so_instead_of_guessing(world):
    helpers.competitor_proposal(world)
    data = world.client("member").get(f"/api/v1/service-requests/{helpers.rfp(world).pk}/compare/").json()
    assert data["proposals"][0]["amount_usd"] is None
    assert data["missing_rates"] == ["CNY"]


def test_compare_runs_the_same_queries_for_two_or_twelve_proposals(world):
    from tests.factories import CompanyFactory, UserFactory, add_member

    helpers.proposal(world)
    helpers.competitor_proposal(world)
    request = helpers.rfp(world)
    client = world.client("member")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/service-requests/{request.pk}/compare/").status_code == 200
        return len(queries)

    few = count()
    for index in range(10):
        company = CompanyFactory(kind="service_provider", name_en=f"Bidder {index}")
        person = UserFactory()
        add_member(company, person, "admin")
        services.request_invite(actor=world.admin, request=request, providers=[company])
        services.proposal_submit(actor=person, request=request, **helpers.terms(currency="EUR", milestones=[]))
    assert count() == few


def test_award_starts_an_engagement_with_the_proposals_milestones(world):
    helpers.competitor_proposal(world)
    proposal = helpers.proposal(world)
    response = world.client("admin").post(f"/api/v1/proposals/{proposal.pk}/award/", {}, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["amount"] == "60000.00" and data["provider"]["name_en"] == "Harborline Regulatory"
    assert [(m["title"], m["amount"], m["status"]) for m in data["milestones"]] == [
        ("IND filed", "20000.00", "planned"), ("First FDA meeting", "40000.00", "planned")]
    proposal.refresh_from_db()
    assert proposal.status == "awarded"
    assert AuditEvent.objects.filter(action="provider.proposal_awarded", target_id=str(proposal.pk)).exists()


def test_member_cannot_award(world):
    proposal = helpers.proposal(world)
    with pytest.raises(PermissionRefused):
        services.proposal_award(actor=world.member, proposal=proposal)


def test_decline_needs_a_structured_reason(world):
    proposal = helpers.competitor_proposal(world)
    with pytest.raises(ValidationFailed):
        services.proposal_decline(actor=world.admin, proposal=proposal, reason="too expensive")
    declined = services.proposal_decline(actor=world.admin, proposal=proposal, reason="price", note="Over budget")
    assert declined.status == "declined" and declined.decline_reason == "price"


def test_decline_reason_reads_in_the_providers_language(world):
    proposal = helpers.competitor_proposal(world)
    services.proposal_decline(actor=world.admin, proposal=proposal, reason="timeline")
    zh = world.client("competitor_provider", language="zh-hans").get(f"/api/v1/proposals/{proposal.pk}/").json()
    en = world.client("competitor_provider", language="en").get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert en["decline_reason_label"] == "Timeline"
    assert zh["decline_reason_label"] == "时间安排"


def test_milestones_move_in_order_by_the_right_side(world):
    engagement = helpers.engagement(world)
    milestone = engagement.milestones.order_by("position").first()
    with pytest.raises(PermissionRefused):
        services.milestone_deliver(actor=world.member, milestone=milestone)
    with pytest.raises(Conflict):
        services.milestone_accept(actor=world.member, milestone=milestone)
    provider = world.people["invited_provider"]
    services.milestone_deliver(actor=provider, milestone=milestone)
    services.milestone_accept(actor=world.member, milestone=milestone)
    services.milestone_invoice(actor=provider, milestone=milestone)
    paid = services.milestone_pay(actor=world.member, milestone=milestone)
    assert paid.status == "paid" and paid.paid_at is not None
    assert AuditEvent.objects.filter(action="provider.milestone_changed").count() == 4


def test_reviews_only_after_completion_once_per_side_and_the_profile_shows_them(world):
    engagement = helpers.engagement(world)
    with pytest.raises(Conflict):
        services.review_create(actor=world.admin, engagement=engagement, rating=5)
    engagement = helpers.completed(world)
    services.review_create(actor=world.admin, engagement=engagement, rating=4, text="Solid")
    with pytest.raises(Conflict):
        services.review_create(actor=world.member, engagement=engagement, rating=1)
    services.review_create(actor=world.people["invited_provider"], engagement=engagement, rating=5)
    profile = world.client("other_member").get(
        f"/api/v1/providers/{helpers.providers(world)['invited_provider'].pk}/").json()
    assert profile["rating_average"] == 4.0 and profile["rating_count"] == 1


def test_hidden_review_leaves_the_average_and_the_public(world):
    engagement = helpers.completed(world)
    review = services.review_create(actor=world.admin, engagement=engagement, rating=1, text="Abusive words")
    _hide_as_superuser(world, review)
    profile = helpers.providers(world)["invited_provider"]
    profile.refresh_from_db()
    assert profile.rating_count == 0
    assert world.client("other_member").get(f"/api/v1/provider-reviews/{review.pk}/").status_code == 404
    own = world.client("admin").get(f"/api/v1/provider-reviews/{review.pk}/").json()
    assert own["hidden"] is True and own["hidden_reason"] == "Abusive language"


def _hide_as_superuser(world, review):
    world.staff.is_superuser = True
    world.staff.save()
    services.review_hide(actor=world.staff, review=review, reason="Abusive language")


def test_request_needs_a_verified_biotech(world):
    helpers.providers(world)
    with pytest.raises(PermissionRefused):
        services.request_create(actor=world.people["invited_provider"], title="x", category="us_agent",
                                jurisdictions=["us"], scope_en="x", deadline=timezone.now() + timedelta(days=1),
                                visibility="open")


def test_open_request_notices_a_provider_that_later_matches(world):
    request = helpers.rfp(world, visibility="open")
    sakura = helpers.providers(world)["nonmatching_provider"]
    client = world.client("nonmatching_provider")
    assert client.get(f"/api/v1/service-requests/{request.pk}/").status_code == 404
    services.profile_update(actor=world.people["nonmatching_provider"], profile=sakura,
                            categories=["clinical_cro", "us_agent"], jurisdictions=["japan", "us"])
    assert client.get(f"/api/v1/service-requests/{request.pk}/").status_code == 200


def test_suspended_provider_loses_the_request_at_once(world):
    request = helpers.rfp(world)
    company = helpers.company(world, "invited_provider")
    company.verification_status = "suspended"
    company.save()
    assert world.client("invited_provider").get(f"/api/v1/service-requests/{request.pk}/").status_code == 404


def test_every_write_is_audited(world):
    helpers.engagement(world)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"provider.profile_created", "provider.request_created", "provider.proposal_submitted",
            "provider.proposal_awarded", "provider.engagement_created"} <= actions
