"""Obligations: fulfilled by evidence or by a regulatory event, reminded and raised when overdue by a real worker."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from apps.alliance import services
from apps.alliance.models import AllianceReminder, Obligation, ObligationStatus
from apps.catalog import services as catalog_services
from apps.notifications.models import OutboxEvent
from tests.alliance.helpers import co_development
from tests.conftest import build_world
from tests.polling import wait_for


@pytest.mark.django_db
def test_a_regulatory_event_on_the_asset_fulfils_the_obligation_waiting_for_it(world):
    alliance = co_development(world)
    obligation = services.obligation_create(actor=world.admin, alliance=alliance, kind="regulatory_filing",
                                            title="US IND cleared", owner_company=world.licensor,
                                            due_on=datetime.date(2027, 3, 31), regulatory_event="fda:ind_cleared")
    asset = alliance.agreement.assets.get()
    catalog_services.regulatory_event_record(actor=world.admin, asset=asset, agency="FDA", event_type="ind_cleared",
                                             date=datetime.date(2026, 11, 2))
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.FULFILLED
    assert "FDA" in obligation.evidence


@pytest.mark.django_db
def test_fulfilling_a_recurring_obligation_opens_the_next_one(world):
    obligation = services.obligation_create(actor=world.admin, alliance=co_development(world), kind="reporting",
                                            title="Annual development report", owner_company=world.licensor,
                                            due_on=datetime.date(2027, 2, 28), recurrence="annual")
    answer = world.client("member").post(f"/api/v1/alliance-obligations/{obligation.pk}/fulfil/",
                                         {"evidence": "Sent on 20 February"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "fulfilled"
    nxt = Obligation.objects.exclude(pk=obligation.pk).get()
    assert (nxt.due_on, nxt.status) == (datetime.date(2028, 2, 28), ObligationStatus.OPEN)


@pytest.mark.django_db
def test_the_other_party_cannot_declare_an_obligation_it_does_not_owe_fulfilled(world):
    obligation = services.obligation_create(actor=world.admin, alliance=co_development(world), kind="diligence",
                                            title="Start phase 3", owner_company=world.licensor,
                                            due_on=datetime.date(2027, 6, 30))
    answer = world.client("other_member").post(f"/api/v1/alliance-obligations/{obligation.pk}/fulfil/",
                                               {"evidence": "Looks done"}, format="json")
    assert answer.status_code == 403
    assert Obligation.objects.get(pk=obligation.pk).status == ObligationStatus.OPEN


@pytest.mark.worker
@pytest.mark.xdist_group("worker")
@pytest.mark.django_db(transaction=True)
def test_the_daily_sweep_reminds_and_raises_overdue_obligations_through_a_real_worker(start_worker):
    world = build_world()
    alliance = co_development(world)
    today = timezone.localdate()
    soon = services.obligation_create(actor=world.admin, alliance=alliance, kind="reporting", title="Report",
                                      owner_company=world.licensor, due_on=today + datetime.timedelta(days=10))
    late = services.obligation_create(actor=world.admin, alliance=alliance, kind="diligence", title="Phase 3",
                                      owner_company=world.licensor, due_on=today - datetime.timedelta(days=1))
    start_worker()
    from apps.alliance.tasks import sweep

    for _ in range(2):  # the sweep runs twice (beat fired twice): still one reminder, one overdue notice
        with transaction.atomic():
            assert sweep(today.isoformat()) >= 1

    wait_for(lambda: Obligation.objects.get(pk=late.pk).status == ObligationStatus.OVERDUE, timeout=60,
             what="the overdue obligation to be raised")
    wait_for(lambda: AllianceReminder.objects.filter(kind="obligation_due", object_id=soon.pk).exists(),
             timeout=60, what="the reminder")
    assert OutboxEvent.objects.filter(kind="alliance.obligation_due").count() == 1
    assert OutboxEvent.objects.filter(kind="alliance.obligation_overdue").count() == 1


@pytest.mark.django_db
def test_evidence_can_be_a_data_room_document_the_party_may_open_and_only_that(world):
    from tests.datarooms.rooms import build_room

    room = build_room(world)  # Lumina's room, no grant to Northbridge
    alliance = co_development(world)
    ours = services.obligation_create(actor=world.admin, alliance=alliance, kind="reporting", title="Annual report",
                                      owner_company=world.licensor, due_on=datetime.date(2027, 1, 31))
    answer = world.client("member").post(f"/api/v1/alliance-obligations/{ours.pk}/fulfil/",
                                         {"evidence_document": room.csr.pk}, format="json")
    assert answer.status_code == 200 and answer.json()["evidence_document"] == room.csr.pk

    theirs = services.obligation_create(actor=world.admin, alliance=alliance, kind="supply", title="Supply plan",
                                        owner_company=world.partner, due_on=datetime.date(2027, 1, 31))
    client = world.client("other_member")
    hidden = client.post(f"/api/v1/alliance-obligations/{theirs.pk}/fulfil/", {"evidence_document": room.csr.pk},
                         format="json")
    missing = client.post(f"/api/v1/alliance-obligations/{theirs.pk}/fulfil/",
                          {"evidence_document": room.csr.pk + 10_000}, format="json")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert Obligation.objects.get(pk=theirs.pk).status == ObligationStatus.OPEN
