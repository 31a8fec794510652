"""Committees, meetings, minutes and decisions as the parties live them."""

import pytest

from apps.alliance import governance, services
from apps.alliance.models import Alliance, CommitteeMember, DecisionOutcome, Minutes, MinutesStatus, VotingRule
from tests.agreements.helpers import partner_admin
from tests.alliance.helpers import co_development, jsc, meeting, tie_break_committee

pytestmark = pytest.mark.django_db

L, N = 1, 2


@pytest.mark.parametrize(("votes", "outcome"), [
    ({L: "for", N: "for"}, DecisionOutcome.CARRIED),
    ({L: "against", N: "against"}, DecisionOutcome.REJECTED),
    ({L: "abstain", N: "against"}, DecisionOutcome.REJECTED),
    ({L: "for", N: "against"}, DecisionOutcome.DEADLOCKED),
    ({L: "for", N: "abstain"}, DecisionOutcome.DEADLOCKED),
    ({L: "for"}, DecisionOutcome.PENDING),
])
def test_unanimity_carries_only_with_every_party(votes, outcome):
    assert governance.decide(rule=VotingRule.UNANIMOUS, votes=votes, parties=[L, N]) == (outcome, None)


@pytest.mark.parametrize(("votes", "outcome"), [
    ({L: "for", N: "against"}, DecisionOutcome.CARRIED),
    ({L: "against", N: "for"}, DecisionOutcome.REJECTED),
])
def test_a_split_follows_the_tie_breaking_party_and_says_so(votes, outcome):
    assert governance.decide(rule=VotingRule.TIE_BREAK, votes=votes, parties=[L, N], tie_breaker=L) == (outcome, L)


def test_a_tie_break_rule_without_a_party_for_the_area_deadlocks():
    assert governance.decide(rule=VotingRule.TIE_BREAK, votes={L: "for", N: "against"}, parties=[L, N],
                             tie_breaker=None) == (DecisionOutcome.DEADLOCKED, None)


def test_the_chair_rotates_each_year_from_the_first_chair():
    chairs = [governance.chair_for_year(rule="rotating", first_chair=N, since_year=2026, parties=[L, N], year=year)
              for year in (2026, 2027, 2028)]
    assert chairs == [N, L, N]
    assert governance.chair_for_year(rule="fixed", first_chair=N, since_year=2026, parties=[L, N], year=2030) == N


def test_executing_the_agreement_opens_its_alliance_with_the_terms_steering_committee(world):
    alliance = co_development(world)
    committee = jsc(world)
    assert Alliance.objects.filter(agreement=alliance.agreement).count() == 1
    members = set(CommitteeMember.objects.filter(committee=committee).values_list("company_id", "name"))
    assert members == {(world.licensor.pk, "Lin Wei"), (world.partner.pk, "Nora Northbridge")}


def test_a_split_vote_in_a_tie_break_committee_is_decided_and_recorded_through_the_api(world):
    committee = tie_break_committee(world, tie_breaker=world.partner)
    decision = services.decision_propose(actor=world.admin, meeting=meeting(world, committee), area="development",
                                         motion="Move the phase 3 start to Q4")
    lumina = world.client("admin").post(f"/api/v1/alliance-decisions/{decision.pk}/vote/", {"vote": "for"},
                                        format="json")
    assert lumina.status_code == 200 and lumina.json()["outcome"] == "pending"
    world.people["partner_admin"] = partner_admin(world)
    answer = world.client("partner_admin").post(f"/api/v1/alliance-decisions/{decision.pk}/vote/",
                                                {"vote": "against"}, format="json")
    assert answer.status_code == 200
    assert answer.json()["outcome"] == "rejected"
    assert answer.json()["tie_broken_by"] == world.partner.pk
    again = world.client("member").post(f"/api/v1/alliance-decisions/{decision.pk}/vote/", {"vote": "for"},
                                        format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "vote_closed"


def test_approved_minutes_never_change_and_a_correction_supersedes_them(world):
    the_meeting = meeting(world)
    first = services.minutes_write(actor=world.admin, meeting=the_meeting, text_en="Budget approved at 12M.")
    approved = world.client("other_member").post(f"/api/v1/alliance-minutes/{first.pk}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    change = world.client("admin").patch(f"/api/v1/alliance-minutes/{first.pk}/", {"text_en": "Budget 15M."},
                                         format="json")
    assert change.status_code == 409 and change.json()["error"]["code"] == "minutes_final"
    assert Minutes.objects.get(pk=first.pk).text_en == "Budget approved at 12M."

    correction = world.client("other_member").post("/api/v1/alliance-minutes/", {
        "meeting": the_meeting.pk, "text_en": "Budget approved at 12.5M.", "text_zh": "批准预算 1250 万。"},
        format="json")
    assert correction.status_code == 201 and correction.json()["number"] == 2
    assert Minutes.objects.get(pk=first.pk).status == MinutesStatus.APPROVED  # until the correction is approved
    world.client("admin").post(f"/api/v1/alliance-minutes/{correction.json()['id']}/approve/", {}, format="json")
    assert Minutes.objects.get(pk=first.pk).status == MinutesStatus.SUPERSEDED
    assert Minutes.objects.get(pk=correction.json()["id"]).status == MinutesStatus.APPROVED


def test_editing_a_draft_asks_the_other_party_again(world):
    minutes = services.minutes_write(actor=world.admin, meeting=meeting(world), text_en="Draft")
    services.minutes_update(actor=world.other_member, minutes=minutes, text_en="Draft, corrected by Northbridge")
    assert set(minutes.approvals.values_list("company_id", flat=True)) == {world.partner.pk}


def test_the_next_meeting_lists_overdue_action_items_and_obligations(world):
    import datetime

    alliance = co_development(world)
    past = datetime.date(2020, 1, 1)
    item = services.action_item_create(actor=world.admin, alliance=alliance, title="Send the CMC plan",
                                       owner_company=world.partner, due_on=past)
    obligation = services.obligation_create(actor=world.admin, alliance=alliance, kind="diligence",
                                            title="Start phase 3", owner_company=world.licensor, due_on=past)
    services.obligation_mark_overdue(obligation_id=obligation.pk, today=datetime.date(2020, 2, 1))
    answer = world.client("viewer").get(f"/api/v1/alliance-meetings/{meeting(world).pk}/")
    business = answer.json()["open_business"]
    assert [row["id"] for row in business["overdue_action_items"]] == [item.pk]
    assert [row["id"] for row in business["overdue_obligations"]] == [obligation.pk]
