"""Diligence through the existing data rooms: an investor admitted to a round may ask for the room of an asset the
round funds, even one the catalog does not list; from there it is a partner like any other (approval, CDA,
watermarked hand-outs, export gate, revocation), and it never sees another investor's request or grant."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.catalog.models import Asset, AssetStatus
from apps.datarooms import services as rooms
from apps.datarooms.models import AccessRequest, DocumentAccess
from apps.financing import services
from apps.financing.models import EntryStage
from tests.datarooms.rooms import build_room
from tests.financing.helpers import financing_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world):
    extra = financing_world(world)
    room = build_room(world, cda=True)
    # The funded asset is not in the catalog: only the round's admission lets an investor ask for its room.
    Asset.objects.filter(pk=room.asset.pk).update(status=AssetStatus.DRAFT)
    extra["round"].assets.add(room.asset)
    return world


def _ask(world, persona):
    return world.client(persona).post("/api/v1/dataroom-access-requests/",
                                      {"asset": world.extra["room"].asset.pk, "message": "Diligence for the B."},
                                      format="json")


def test_only_admitted_investors_may_ask_for_a_funded_assets_room(fw):
    assert _ask(fw, "investor").status_code == 404  # matching, but not admitted
    assert _ask(fw, "other_biotech").status_code == 404
    assert _ask(fw, "other_member").status_code == 404
    assert _ask(fw, "book_investor").status_code == 201  # Cedar, at diligence
    assert AccessRequest.objects.get().company == fw.extra["cedar"]


def test_an_investor_that_passed_can_no_longer_ask(fw):
    services.entry_pass(actor=fw.book_investor, entry=fw.extra["cedar_entry"], reason="timing")
    assert _ask(fw, "book_investor").status_code == 404


def test_admission_covers_only_the_assets_the_round_funds(fw):
    fw.extra["round"].assets.clear()
    assert _ask(fw, "book_investor").status_code == 404


def test_an_admitted_investor_is_a_partner_like_any_other(fw):
    room = fw.extra["room"]
    assert _ask(fw, "book_investor").status_code == 201
    request = AccessRequest.objects.get(company=fw.extra["cedar"])
    grant = rooms.access_request_approve(actor=fw.admin, request=request, level="view", scope="room",
                                         expires_at=timezone.now() + timedelta(days=14))
    client = fw.client("book_investor")
    # The CDA first, as for any partner.
    before = client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/view/")
    assert before.status_code == 403 and before.json()["error"]["code"] == "cda_required"
    rooms.cda_accept(actor=fw.book_investor, room=room.room, version=room.room.current_cda.version)
    view = client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/view/")
    assert view.status_code == 200 and view["Content-Disposition"].startswith("inline")
    handed = DocumentAccess.objects.get(user=fw.book_investor, document=room.csr)
    assert handed.watermarked and handed.company == fw.extra["cedar"]
    # View only means view only; the HGR genome panel stays behind the export gate for a US investor.
    assert client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/").status_code == 403
    assert client.get(f"/api/v1/dataroom-documents/{room.genome.pk}/view/").status_code == 403
    # Revocation bites on the very next request.
    rooms.grant_revoke(actor=fw.admin, grant=grant)
    assert client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/view/").status_code == 404


def test_investors_never_see_each_others_requests(fw):
    jadeite = fw.extra["jadeite_entry"]
    assert jadeite.stage == EntryStage.COMMITTED
    assert _ask(fw, "book_investor").status_code == 201
    assert _ask(fw, "other_book_investor").status_code == 201
    cedar_view = fw.client("book_investor").get("/api/v1/dataroom-access-requests/").json()["results"]
    assert len(cedar_view) == 1 and "Jadeite" not in json.dumps(cedar_view, ensure_ascii=False)
    assert len(fw.client("admin").get("/api/v1/dataroom-access-requests/").json()["results"]) == 2
