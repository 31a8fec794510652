"""A moderator revokes a partner's data-room grant from the console, with a reason; it bites at once."""

import pytest
from django.contrib import admin

from apps.audit.models import AuditEvent
from apps.datarooms.models import AccessGrant, Document
from tests.datarooms.rooms import build_room

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/datarooms/accessgrant/"


def _revoke(client, grant, reason):
    return client.post(CHANGELIST, {"action": "revoke_grants", admin.helpers.ACTION_CHECKBOX_NAME: [grant.pk],
                                    "apply": "1", "reason": reason})


def test_a_moderator_revokes_a_grant_with_a_reason_and_the_partner_loses_access(world, moderator, console):
    room = build_room(world, grant="download")
    assert Document.objects.for_user(world.other_member, "view").exists()
    response = _revoke(console(moderator), room.grant, "Partner under sanctions review")
    assert response.status_code == 302
    room.grant.refresh_from_db()
    assert room.grant.revoked_by == moderator
    assert not Document.objects.for_user(world.other_member, "view").exists()
    event = AuditEvent.objects.filter(action="dataroom.grant_revoked", target_id=str(room.grant.pk)).get()
    assert event.details["reason"] == "Partner under sanctions review"
    assert event.details["by_staff"] is True


def test_a_revocation_without_a_reason_changes_nothing(world, moderator, console):
    room = build_room(world, grant="view")
    response = _revoke(console(moderator), room.grant, "")
    assert response.status_code == 200  # the reason form again, with its error
    assert AccessGrant.objects.get(pk=room.grant.pk).revoked_at is None


def test_a_compliance_officer_cannot_revoke_grants(world, compliance_officer, console):
    room = build_room(world, grant="view")
    _revoke(console(compliance_officer), room.grant, "No")
    assert AccessGrant.objects.get(pk=room.grant.pk).revoked_at is None
