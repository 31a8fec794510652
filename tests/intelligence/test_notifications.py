"""Contribution consent: the other party's signatories are asked, in their language; consent of every party
contributes the deal; only signatories consent."""

import pytest

from apps.audit.models import AuditEvent
from apps.intelligence.models import ContributionConsent, DealRecord
from apps.notifications.delivery import event_deliver
from apps.notifications.models import Notification, OutboxEvent
from tests.agreements import helpers as agreement_helpers

pytestmark = pytest.mark.django_db


def _executed(world):
    agreement = agreement_helpers.executed(world)
    partner_admin = agreement_helpers.partner_admin(world)
    partner_admin.preferred_language = "zh-hans"
    partner_admin.save()
    return agreement, partner_admin


def test_the_other_partys_signatory_is_asked_in_chinese(world):
    agreement, partner_admin = _executed(world)
    response = world.client("owner").post(f"/api/v1/intelligence/agreements/{agreement.pk}/contribution/")
    assert response.status_code == 201 and response.json()["contributed"] is False
    event = OutboxEvent.objects.get(kind="intelligence.contribution_requested")
    assert set(event.recipient_ids) == {partner_admin.pk}  # Northbridge's signatory; not Lumina, not a member
    event_deliver(event_id=event.pk)
    notification = Notification.objects.get(recipient=partner_admin, event=event)
    assert notification.language == "zh-hans"
    assert "上海流明生物" in notification.title and "统计" in notification.title
    assert AuditEvent.objects.filter(action="intelligence.contribution_consented").count() == 1


def test_every_partys_consent_contributes_the_deal(world):
    agreement, partner_admin = _executed(world)
    world.client("owner").post(f"/api/v1/intelligence/agreements/{agreement.pk}/contribution/")
    client = world.client("anonymous")
    client.force_authenticate(partner_admin)
    response = client.post(f"/api/v1/intelligence/agreements/{agreement.pk}/contribution/")
    assert response.status_code == 201 and response.json()["contributed"] is True
    deal = DealRecord.objects.get(agreement=agreement)
    assert deal.source_kind == "platform" and deal.upfront == 60_000_000 and deal.released_at is None
    assert deal.territory == "worldwide_ex_greater_china" and deal.licensee_country == "US"
    # Withdrawing before release removes it again, and is audited.
    assert client.delete(f"/api/v1/intelligence/agreements/{agreement.pk}/contribution/").status_code == 204
    assert not DealRecord.objects.filter(agreement=agreement).exists()
    assert AuditEvent.objects.filter(action="intelligence.contribution_withdrawn").exists()


def test_members_do_not_consent_and_negotiations_cannot_be_contributed(world):
    agreement, _ = _executed(world)
    member = world.client("member").post(f"/api/v1/intelligence/agreements/{agreement.pk}/contribution/")
    assert member.status_code == 403 and member.json()["error"]["code"] == "not_signatory"
    open_deal = agreement_helpers.negotiation(world, title="Another licence",
                                              the_asset=agreement_helpers.asset(world, code="LMN-9"))
    refused = world.client("owner").post(f"/api/v1/intelligence/agreements/{open_deal.pk}/contribution/")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_executed"
    assert not ContributionConsent.objects.exists()


def test_consenting_twice_is_a_conflict(world):
    agreement, _ = _executed(world)
    world.client("owner").post(f"/api/v1/intelligence/agreements/{agreement.pk}/contribution/")
    again = world.client("admin").post(f"/api/v1/intelligence/agreements/{agreement.pk}/contribution/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_consented"
