"""Who sees and does what, in the personas' words: licensor owner/admin/member/viewer, the partner, an outsider,
staff. (The authorization matrix covers every operation for every persona; these tell the story.)"""

import pytest

from apps.agreements import services
from apps.agreements.models import Agreement
from tests.agreements import helpers

pytestmark = pytest.mark.django_db


def test_outsider_cannot_tell_an_agreement_exists(world):
    agreement = helpers.negotiation(world)
    client = world.client("outsider")
    assert client.get(f"/api/v1/agreements/{agreement.pk}/").status_code == 404
    assert client.get(f"/api/v1/agreements/{agreement.pk}/versions/").status_code == 404
    assert client.get("/api/v1/agreement-milestones/").json()["count"] == 0


def test_viewer_reads_but_cannot_change_anything(world):
    agreement = helpers.negotiation(world)
    client = world.client("viewer")
    assert client.get(f"/api/v1/agreements/{agreement.pk}/").status_code == 200
    assert client.patch(f"/api/v1/agreements/{agreement.pk}/", {"title": "x"}, format="json").status_code == 403
    assert client.post(f"/api/v1/agreements/{agreement.pk}/terminate/", {"reason": "x"},
                       format="json").status_code == 403


def test_member_negotiates_but_does_not_sign(world):
    agreement = helpers.negotiation(world)
    client = world.client("member")
    proposed = client.post(f"/api/v1/agreements/{agreement.pk}/versions/",
                           {"terms": helpers.terms(upfront="70000000"), "note": "Ask"}, format="json")
    assert proposed.status_code == 201 and proposed.json()["number"] == 2
    version = proposed.json()
    signed = client.post(f"/api/v1/agreements/{agreement.pk}/approve/",
                         {"version": 2, "terms_hash": version["terms_hash"]}, format="json")
    assert signed.status_code == 403 and signed.json()["error"]["code"] == "not_signatory"


def test_partner_member_sees_the_deal_once_opened_and_counter_proposes(world):
    agreement = helpers.negotiation(world)
    client = world.client("other_member")
    assert client.get(f"/api/v1/agreements/{agreement.pk}/").json()["status"] == "negotiation"
    response = client.post(f"/api/v1/agreements/{agreement.pk}/versions/",
                           {"terms": helpers.terms(upfront="50000000")}, format="json")
    assert response.status_code == 201
    assert response.json()["proposed_by_company"]["name_en"] == "Northbridge Pharma"


def test_partner_signatory_executes_with_the_last_approval(world):
    agreement = helpers.negotiation(world)
    helpers.approve(world, agreement, world.admin)
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(helpers.partner_admin(world))
    version = agreement.current_version
    response = client.post(f"/api/v1/agreements/{agreement.pk}/approve/",
                           {"version": 1, "terms_hash": version.terms_hash}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "executed"
    assert response.json()["executed_version"] == 1


def test_staff_read_everything_but_act_for_no_party(world):
    agreement = helpers.draft(world)
    client = world.client("staff")
    assert client.get(f"/api/v1/agreements/{agreement.pk}/").status_code == 200
    assert client.post(f"/api/v1/agreements/{agreement.pk}/open/").status_code == 403


def test_removed_member_loses_access_at_once(world):
    from apps.companies.models import Membership

    agreement = helpers.negotiation(world)
    Membership.objects.filter(user=world.other_member).delete()
    assert world.client("other_member").get(f"/api/v1/agreements/{agreement.pk}/").status_code == 404


def test_the_partner_may_prepare_a_deal_too(world):
    response = world.client("other_member").post("/api/v1/agreements/", {
        "title": "Northbridge proposal", "deal_type": "option", "licensor": world.licensor.pk,
        "partners": [world.partner.pk], "assets": [helpers.asset(world).pk],
        "terms": helpers.terms(exclusivity="exclusive")}, format="json")
    assert response.status_code == 201
    agreement_id = response.json()["id"]
    # Its draft belongs to Northbridge until opened: Lumina does not see it yet.
    assert world.client("owner").get(f"/api/v1/agreements/{agreement_id}/").status_code == 404
    services.agreement_open(actor=world.other_member, agreement=Agreement.objects.get(pk=agreement_id))
    assert world.client("owner").get(f"/api/v1/agreements/{agreement_id}/").status_code == 200


def test_unpublished_assets_of_the_licensor_are_unknown_to_the_partner(world):
    from apps.catalog.models import AssetStatus

    hidden = helpers.asset(world, code="LMN-9999", status=AssetStatus.DRAFT)
    response = world.client("other_member").post("/api/v1/agreements/", {
        "title": "x", "deal_type": "option", "licensor": world.licensor.pk, "partners": [world.partner.pk],
        "assets": [hidden.pk], "terms": helpers.terms()}, format="json")
    # Word for word what a non-existent id gets: the partner cannot probe the licensor's unpublished assets.
    assert response.status_code == 404 and response.json()["error"]["fields"] == {"assets": [
        f"Unknown object: [{hidden.pk}]."]}
