"""A partner who hits the view/download limit may be scraping the room: the room's owners and admins are told
(once per throttle window) and the event is audited."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from apps.audit.models import AuditEvent
from apps.notifications.models import OutboxEvent

pytestmark = pytest.mark.django_db


def test_owner_admins_hear_once_when_a_partner_hits_the_download_limit(world, room, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "download", "2/min")
    client = world.client("other_member")
    statuses = [client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/").status_code for _ in range(2)]
    statuses += [client.get(f"/api/v1/dataroom-documents/{room.listings.pk}/view/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429, 429, 429]

    events = OutboxEvent.objects.filter(kind="dataroom.download_limit_reached")
    assert events.count() == 1
    event = events.get()
    assert set(event.recipient_ids) == {world.owner.pk, world.admin.pk}
    assert event.context["document"] == room.listings.name
    assert event.context["company"] == world.partner.name_en
    audit = AuditEvent.objects.filter(action="dataroom.download_limit_reached")
    assert audit.count() == 1
    assert audit.get().details["document"] == room.listings.pk


def test_an_invisible_document_tells_nobody(world, room, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "download", "1/min")
    client = world.client("outsider")
    statuses = [client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/").status_code for _ in range(3)]
    # Not found, then throttled like any caller over the rate; never a report about a room it cannot see.
    assert statuses == [404, 429, 429]
    assert not OutboxEvent.objects.filter(kind="dataroom.download_limit_reached").exists()
    assert not AuditEvent.objects.filter(action="dataroom.download_limit_reached").exists()


def test_the_owners_own_team_is_audited_but_not_reported(world, room, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "download", "1/min")
    client = world.client("member")
    statuses = [client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/view/").status_code for _ in range(2)]
    assert statuses == [200, 429]
    assert not OutboxEvent.objects.filter(kind="dataroom.download_limit_reached").exists()
    assert AuditEvent.objects.filter(action="dataroom.download_limit_reached").count() == 1


def test_releasing_another_rooms_folder_reads_as_not_found(world, room):
    from apps.datarooms import services
    from tests.datarooms.rooms import make_asset

    other_room = services.room_create(actor=world.admin, asset=make_asset(world, code_name="LMN-9900"), name="Other")
    foreign = services.folder_create(actor=world.admin, room=other_room, name="Elsewhere")
    client = world.client("admin")
    url = f"/api/v1/dataroom-grants/{room.grant.pk}/release-folders/"
    response = client.post(url, {"folders": [foreign.pk]}, format="json")
    assert response.status_code == 404, response.content
    assert response.json()["error"]["fields"] == {"folders": [f"Unknown folder: [{foreign.pk}]."]}
    assert client.post(url, {"folders": [999999]}, format="json").status_code == 404
    assert client.post(url, {"folders": []}, format="json").status_code == 400
    assert client.post(url, {"folders": [room.cmc.pk]}, format="json").status_code == 200
