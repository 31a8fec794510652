"""Only the parties see an alliance; viewers read; staff see counts unless a party shares."""

import pytest

from apps.agreements import services as agreement_services
from apps.alliance import services
from apps.alliance.models import Alliance
from tests.agreements.helpers import partner_admin
from tests.alliance.helpers import co_development, third_company_member

pytestmark = pytest.mark.django_db


def test_staff_see_an_alliance_only_while_a_party_shares_it(world):
    alliance = co_development(world)
    staff = world.client("staff")
    assert staff.get(f"/api/v1/alliances/{alliance.pk}/").status_code == 404
    assert staff.get("/api/v1/alliances/").json()["count"] == 0
    shared = world.client("owner").post(f"/api/v1/alliances/{alliance.pk}/share/", {"shared": True}, format="json")
    assert shared.status_code == 200
    assert staff.get(f"/api/v1/alliances/{alliance.pk}/").status_code == 200
    world.people["partner_admin"] = partner_admin(world)
    world.client("partner_admin").post(f"/api/v1/alliances/{alliance.pk}/share/", {"shared": False}, format="json")
    assert staff.get(f"/api/v1/alliances/{alliance.pk}/").status_code == 404


def test_a_hidden_alliance_answers_exactly_like_a_missing_one(world):
    alliance = co_development(world)
    world.people["third"] = third_company_member(world)
    body = {"title": "Probe", "description": "Is it there?", "severity": "low"}
    hidden = world.client("third").post("/api/v1/alliance-issues/", {**body, "alliance": alliance.pk}, format="json")
    missing = world.client("third").post("/api/v1/alliance-issues/", {**body, "alliance": alliance.pk + 999},
                                         format="json")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_a_company_that_is_not_a_party_answers_like_a_missing_one(world):
    alliance = co_development(world)
    other = third_company_member(world).memberships.first().company
    body = {"alliance": alliance.pk, "title": "Send data", "due_on": "2027-01-01"}
    client = world.client("admin")
    stranger = client.post("/api/v1/alliance-action-items/", {**body, "owner_company": other.pk}, format="json")
    missing = client.post("/api/v1/alliance-action-items/", {**body, "owner_company": other.pk + 999},
                          format="json")
    assert stranger.status_code == missing.status_code == 400
    assert stranger.json() == missing.json()


def test_viewers_read_but_do_not_write(world):
    alliance = co_development(world)
    client = world.client("viewer")
    assert client.get(f"/api/v1/alliances/{alliance.pk}/").status_code == 200
    answer = client.post("/api/v1/alliance-issues/", {"alliance": alliance.pk, "title": "x", "description": "y",
                                                      "severity": "low"}, format="json")
    assert answer.status_code == 403


def test_a_terminated_agreement_leaves_its_alliance_readable_but_closed(world):
    alliance = co_development(world)
    agreement_services.agreement_terminate(actor=world.owner, agreement=alliance.agreement, reason="Portfolio")
    client = world.client("member")
    assert client.get(f"/api/v1/alliances/{alliance.pk}/").status_code == 200
    answer = client.post("/api/v1/alliance-issues/", {"alliance": alliance.pk, "title": "x", "description": "y",
                                                      "severity": "low"}, format="json")
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "alliance_read_only"


def test_an_issue_climbs_the_escalation_path_once_per_step(world):
    issue = services.issue_raise(actor=world.admin, alliance=co_development(world), title="Supply",
                                 description="Short", severity="critical")
    client = world.client("other_member")
    levels = [client.post(f"/api/v1/alliance-issues/{issue.pk}/escalate/", {}, format="json").json().get("level")
              for _ in range(2)]
    assert levels == ["executives", "dispute_resolution"]
    third = client.post(f"/api/v1/alliance-issues/{issue.pk}/escalate/", {}, format="json")
    assert third.status_code == 409 and third.json()["error"]["code"] == "escalation_exhausted"
    steps = client.get(f"/api/v1/alliance-issues/{issue.pk}/").json()["steps"]
    assert [step["event"] for step in steps] == ["raised", "escalated", "escalated"]
    assert Alliance.objects.count() == 1
