"""From draft to executed, through negotiation rounds and approvals, then amendments; each step audited."""

import pytest

from apps.agreements import services
from apps.agreements.models import AgreementApproval, AgreementStatus, Milestone, MilestoneStatus
from apps.audit.models import AuditEvent
from apps.core.errors import Conflict
from apps.notifications.models import OutboxEvent
from tests.agreements import helpers

pytestmark = pytest.mark.django_db


def _audited(agreement, action):
    return AuditEvent.objects.filter(action=action, target_id=str(agreement.pk)).exists()


def test_draft_is_visible_only_to_the_preparing_company(world):
    agreement = helpers.draft(world)
    assert world.client("viewer").get(f"/api/v1/agreements/{agreement.pk}/").status_code == 200
    assert world.client("other_member").get(f"/api/v1/agreements/{agreement.pk}/").status_code == 404
    services.agreement_open(actor=world.member, agreement=agreement)
    assert world.client("other_member").get(f"/api/v1/agreements/{agreement.pk}/").status_code == 200


def test_opening_notifies_the_partner_and_is_audited(world):
    agreement = helpers.negotiation(world)
    assert agreement.status == AgreementStatus.NEGOTIATION
    event = OutboxEvent.objects.get(kind="agreement.opened")
    assert world.other_member.pk in event.recipient_ids and world.owner.pk not in event.recipient_ids
    assert _audited(agreement, "agreement.opened")


def test_each_party_proposes_versions_kept_with_who_and_when(world):
    agreement = helpers.negotiation(world)
    services.version_propose(actor=world.other_member, agreement=agreement, terms=helpers.terms(upfront="55000000"),
                             note="Counter-offer")
    services.version_propose(actor=world.admin, agreement=agreement, terms=helpers.terms(upfront="58000000"))
    response = world.client("viewer").get(f"/api/v1/agreements/{agreement.pk}/versions/")
    assert response.status_code == 200
    versions = response.json()
    assert [v["number"] for v in versions] == [1, 2, 3]
    assert versions[1]["proposed_by_company"]["id"] == world.partner.pk
    assert versions[1]["proposed_by"]["full_name"] == "Nora Northbridge" and versions[1]["note"] == "Counter-offer"
    assert versions[2]["terms"]["upfront"] == "58000000.00" and versions[2]["created_at"]
    assert OutboxEvent.objects.filter(kind="agreement.version_proposed").count() == 2


def test_same_terms_again_is_not_a_new_version(world):
    agreement = helpers.negotiation(world)
    with pytest.raises(Conflict):
        services.version_propose(actor=world.other_member, agreement=agreement, terms=helpers.terms())


def test_viewer_cannot_propose(world):
    agreement = helpers.negotiation(world)
    response = world.client("viewer").post(f"/api/v1/agreements/{agreement.pk}/versions/",
                                           {"terms": helpers.terms(upfront="1")}, format="json")
    assert response.status_code == 403


def test_diff_is_field_by_field_with_english_and_chinese_labels(world):
    agreement = helpers.negotiation(world)
    services.version_propose(actor=world.other_member, agreement=agreement, terms=helpers.terms(
        upfront="55000000", territory={"include": ["us", "eu", "japan"]},
        milestones=[*helpers.BASE_TERMS["milestones"][:2],
                    {"key": "ema_approval", "kind": "regulatory", "description": "EMA approval", "amount": "80000000",
                     "regulatory_event": "ema:approved"}]))
    response = world.client("member").get(f"/api/v1/agreements/{agreement.pk}/diff/?from=1&to=2")
    assert response.status_code == 200
    body = response.json()
    changes = {c["field"]: c for c in body["changes"]}
    assert (body["from_version"], body["to_version"]) == (1, 2)
    assert changes["upfront"]["before"] == "60000000.00" and changes["upfront"]["after"] == "55000000.00"
    assert changes["upfront"]["label_en"] == "Upfront payment"
    assert changes["territory"]["before"] == "Worldwide excluding Greater China"
    assert changes["milestones[ema_approval]"]["change"] == "added"
    assert changes["milestones[sales_1b]"]["change"] == "removed"
    assert set(changes) == {"upfront", "territory", "milestones[ema_approval]", "milestones[sales_1b]"}


def test_diff_labels_in_chinese(world):
    # Needs the compiled catalogs (`make messages`, which `make test` runs first).
    agreement = helpers.negotiation(world)
    services.version_propose(actor=world.other_member, agreement=agreement, terms=helpers.terms(upfront="1"))
    response = world.client("member", language="zh-hans").get(f"/api/v1/agreements/{agreement.pk}/diff/")
    change = response.json()["changes"][0]
    assert change["label_en"] == "Upfront payment" and change["label_zh"] == "首付款" and change["label"] == "首付款"


def test_diff_of_unknown_version_is_404(world):
    agreement = helpers.negotiation(world)
    assert world.client("member").get(f"/api/v1/agreements/{agreement.pk}/diff/?from=1&to=9").status_code == 404


def test_every_party_approves_the_exact_version_and_the_last_executes(world):
    agreement = helpers.negotiation(world)
    helpers.approve(world, agreement, world.admin)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.NEGOTIATION
    approval = AgreementApproval.objects.get(agreement=agreement)
    assert approval.terms_hash == agreement.current_version.terms_hash and len(approval.terms_hash) == 64
    response = world.client("owner").post(f"/api/v1/agreements/{agreement.pk}/approve/",
                                          {"version": 1, "terms_hash": approval.terms_hash}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "already_approved"
    helpers.approve(world, agreement, helpers.partner_admin(world))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXECUTED and agreement.executed_version.number == 1
    assert agreement.exclusive and "US" in agreement.territory_countries and "CN" not in agreement.territory_countries
    assert Milestone.objects.filter(agreement=agreement, status=MilestoneStatus.PENDING).count() == 3
    assert _audited(agreement, "agreement.executed")
    assert OutboxEvent.objects.filter(kind="agreement.executed").exists()


def test_a_new_version_invalidates_earlier_approvals(world):
    agreement = helpers.negotiation(world)
    helpers.approve(world, agreement, world.owner)
    services.version_propose(actor=world.other_member, agreement=agreement, terms=helpers.terms(upfront="55000000"))
    assert AgreementApproval.objects.get(agreement=agreement).invalidated_at is not None
    helpers.approve(world, agreement, helpers.partner_admin(world))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.NEGOTIATION  # Lumina must approve version 2 again
    helpers.approve(world, agreement, world.admin)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXECUTED and agreement.executed_version.number == 2


def test_amendment_follows_the_same_path_and_keeps_history(world):
    agreement = helpers.executed(world)
    phase3 = helpers.milestone(agreement)
    services.milestone_achieve(actor=world.member, milestone=phase3, evidence="Dosed")
    amended = helpers.terms(upfront="60000000", milestones=[
        {**helpers.BASE_TERMS["milestones"][0], "amount": "55000000"},
        {**helpers.BASE_TERMS["milestones"][1], "amount": "175000000"}])
    version = services.version_propose(actor=world.other_member, agreement=agreement, terms=amended)
    assert version.is_amendment
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXECUTED and agreement.executed_version.number == 1
    helpers.approve(world, agreement, world.owner)
    helpers.approve(world, agreement, helpers.partner_admin(world))
    agreement.refresh_from_db()
    assert agreement.executed_version.number == 2 and agreement.status == AgreementStatus.EXECUTED
    milestones = {m.key: m for m in agreement.milestones.all()}
    assert milestones["phase3_start"].amount == 50000000  # achieved before the amendment: kept as it was
    assert milestones["fda_approval"].amount == 175000000
    assert milestones["sales_1b"].status == MilestoneStatus.CANCELLED
    assert _audited(agreement, "agreement.amendment_executed")
    assert [v.number for v in agreement.versions.all()] == [1, 2]


def test_terminate_needs_a_signatory_and_a_reason(world):
    agreement = helpers.executed(world)
    assert world.client("member").post(f"/api/v1/agreements/{agreement.pk}/terminate/",
                                       {"reason": "x"}, format="json").status_code == 403
    assert world.client("owner").post(f"/api/v1/agreements/{agreement.pk}/terminate/",
                                      {"reason": ""}, format="json").status_code == 400
    response = world.client("owner").post(f"/api/v1/agreements/{agreement.pk}/terminate/",
                                          {"reason": "Material breach"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "terminated"
    assert _audited(agreement, "agreement.terminated")
    again = world.client("owner").post(f"/api/v1/agreements/{agreement.pk}/terminate/", {"reason": "x"},
                                       format="json")
    assert again.status_code == 409


def test_terms_change_only_by_new_versions_once_open(world):
    agreement = helpers.negotiation(world)
    response = world.client("owner").patch(f"/api/v1/agreements/{agreement.pk}/",
                                           {"terms": helpers.terms(upfront="1")}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_draft"


def test_draft_terms_are_edited_in_place(world):
    agreement = helpers.draft(world)
    response = world.client("member").patch(f"/api/v1/agreements/{agreement.pk}/",
                                            {"terms": helpers.terms(upfront="61000000")}, format="json")
    assert response.status_code == 200
    assert response.json()["terms"]["upfront"] == "61000000.00" and response.json()["current_version"] == 1


def test_only_drafts_are_deleted(world):
    agreement = helpers.negotiation(world)
    response = world.client("owner").delete(f"/api/v1/agreements/{agreement.pk}/")
    assert response.status_code == 409


def test_effective_date_activates_and_term_expires(world):
    import datetime

    agreement = helpers.executed(world, effective_date="2026-01-01")
    assert agreement.expires_on == datetime.date(2038, 1, 1)
    assert services.agreements_activate_due(today=datetime.date(2025, 12, 31)) == 0
    assert services.agreements_activate_due(today=datetime.date(2026, 1, 1)) == 1
    assert services.agreements_activate_due(today=datetime.date(2026, 1, 1)) == 0  # idempotent
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert services.agreements_expire_due(today=datetime.date(2038, 1, 1)) == 1
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXPIRED
    assert _audited(agreement, "agreement.activated") and _audited(agreement, "agreement.expired")


def test_retrieve_shows_figures_and_parties(world):
    agreement = helpers.negotiation(world)
    body = world.client("other_member").get(f"/api/v1/agreements/{agreement.pk}/").json()
    assert body["figures"]["figures"]["total_deal_value"]["amount"] == "460000000.00"
    assert body["figures"]["usd"]["total_deal_value"]["amount"] == "460000000.00"
    assert {p["role"] for p in body["parties"]} == {"licensor", "partner"}
    assert body["assets"] == [{"id": agreement.assets.get().pk, "code_name": "LMN-2201"}]


def test_list_shows_only_your_agreements(world):
    helpers.negotiation(world)
    assert world.client("outsider").get("/api/v1/agreements/").json()["count"] == 0
    assert world.client("other_member").get("/api/v1/agreements/").json()["count"] == 1
    assert world.client("staff").get("/api/v1/agreements/").json()["count"] == 1


def test_an_amendment_cannot_change_the_currency(world):
    agreement = helpers.executed(world)
    response = world.client("member").post(f"/api/v1/agreements/{agreement.pk}/versions/",
                                           {"terms": helpers.terms(currency="EUR")}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "currency_locked"
    assert agreement.versions.count() == 1


def test_a_draft_cannot_be_approved(world):
    agreement = helpers.draft(world)
    version = agreement.current_version
    response = world.client("owner").post(f"/api/v1/agreements/{agreement.pk}/approve/",
                                          {"version": 1, "terms_hash": version.terms_hash}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "nothing_to_approve"
