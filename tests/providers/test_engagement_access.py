"""An engagement's data-room grant is an ordinary grant: watermark, export gate, audit and revocation apply to
the provider exactly as to a licensing partner."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.datarooms.models import DocumentAccess
from tests.datarooms.rooms import build_room
from tests.providers import helpers

pytestmark = pytest.mark.django_db


def _award_with_grant(world, level="download"):
    room = build_room(world)
    helpers.competitor_proposal(world)
    proposal = helpers.proposal(world)
    response = world.client("admin").post(f"/api/v1/proposals/{proposal.pk}/award/", {
        "scope": "US Agent services",
        "grant": {"room": room.room.pk, "level": level, "scope": "folders", "folders": [room.clinical.pk],
                  "expires_at": (timezone.now() + timedelta(days=30)).isoformat()},
    }, format="json")
    assert response.status_code == 201, response.content
    return room, response.json()


def test_awarded_provider_downloads_a_watermarked_document_in_its_grant(world):
    room, engagement = _award_with_grant(world)
    assert engagement["grant"]["level"] == "download" and engagement["grant"]["revoked_at"] is None
    client = world.client("invited_provider")
    response = client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/")
    assert response.status_code == 200
    access = DocumentAccess.objects.get(download_id=response["X-Download-Id"])
    assert access.company.name_en == "Harborline Regulatory" and access.watermarked
    # Outside the chosen folders: nothing.
    assert client.get(f"/api/v1/dataroom-documents/{room.stability.pk}/download/").status_code == 404


def test_revoked_engagement_grant_refuses_the_very_next_request(world):
    room, engagement = _award_with_grant(world)
    client = world.client("invited_provider")
    assert client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/").status_code == 200
    revoked = world.client("admin").post(f"/api/v1/engagements/{engagement['id']}/revoke-grant/")
    assert revoked.status_code == 200 and revoked.json()["grant"]["revoked_at"] is not None
    assert client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/").status_code == 404
    assert client.get(f"/api/v1/datarooms/{room.room.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="provider.engagement_grant_revoked").exists()
    assert AuditEvent.objects.filter(action="dataroom.grant_revoked").exists()


def test_export_gate_applies_to_providers(world):
    room, _engagement = _award_with_grant(world)
    response = world.client("invited_provider").get(f"/api/v1/dataroom-documents/{room.genome.pk}/download/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "export_clearance_required"


def test_a_room_of_another_company_is_refused_like_a_missing_one(world):
    helpers.competitor_proposal(world)
    proposal = helpers.proposal(world)
    body = {"grant": {"room": 987654, "level": "view", "scope": "room",
                      "expires_at": (timezone.now() + timedelta(days=3)).isoformat()}}
    response = world.client("admin").post(f"/api/v1/proposals/{proposal.pk}/award/", body, format="json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    proposal.refresh_from_db()
    assert proposal.status == "submitted"  # nothing written


def test_one_active_grant_per_engagement(world):
    room, engagement = _award_with_grant(world, level="view")
    response = world.client("admin").post(f"/api/v1/engagements/{engagement['id']}/grant/", {
        "room": room.room.pk, "level": "view", "scope": "room",
        "expires_at": (timezone.now() + timedelta(days=3)).isoformat()}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "grant_exists"


def test_hidden_and_missing_ids_in_a_body_answer_byte_for_byte_alike(world):
    """A company, engagement or room the caller may not see is refused exactly like one that does not exist."""
    helpers.providers(world)
    engagement = helpers.completed(world)
    outsider = world.client("outsider")
    for path, field, hidden, extra in [
        ("/api/v1/providers/", "company", helpers.company(world, "invited_provider").pk,
         {"headline_en": "EU legal representative", "categories": ["eu_legal_representative"],
          "jurisdictions": ["eu"]}),
        ("/api/v1/provider-reviews/", "engagement", engagement.pk,
         {"rating": 4, "text": "Clear and on time."}),
    ]:
        answers = [outsider.post(path, {field: pk, **extra}, format="json") for pk in (hidden, 987654321)]
        assert [a.status_code for a in answers] == [404, 404], (path, answers[0].content)
        assert answers[0].json()["error"]["code"] == "not_found"
        assert answers[0].content == answers[1].content, path
