"""A related id the caller may not see answers exactly like an id that does not exist: same status, same bytes.

Every write that names another object by id (asset, room, folder, parent, document, company, person) looks it
up among what the caller may see (apps/core/api/fields.py VisibleRelatedField). Each case sends the same
request twice, once naming a hidden object and once an id no row has, as an outsider, a rival partner
(Rheinwald, no grant), a second bidder (Rheinwald with a Clinical-only grant) or the granted partner.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.catalog.models import AssetStatus
from apps.companies.models import VerificationStatus
from apps.datarooms import services
from tests.conftest import build_world
from tests.datarooms.hostile import good_pdf, zip_bytes
from tests.datarooms.rooms import build_room, make_asset, second_partner
from tests.factories import CompanyFactory

MISSING = 2_000_000_001  # an id no row of any table reaches in a test database

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES,
                         "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": str(tmp_path / "private")}}}


def _world(persona: str) -> tuple[Any, Any]:
    """The world with the data room, Northbridge granted room-wide; `rival` and `bidder` are Rheinwald's member,
    the bidder holding a grant to the Clinical folder only."""
    world = build_world()
    room = build_room(world, grant="download")
    company, user = second_partner(world)
    world.people["rival"] = world.people["bidder"] = user
    if persona == "bidder":
        services.grant_create(actor=world.admin, room=room.room, company=company, level="view", scope="folders",
                              folders=[room.clinical], expires_at=timezone.now() + timedelta(days=30))
    return world, room


def _draft_asset(world: Any) -> Any:
    asset = make_asset(world, "LMN-0404")
    asset.status = AssetStatus.DRAFT
    asset.published_at = None
    asset.save()
    services.room_create(actor=world.admin, asset=asset, name="LMN-0404 room")
    return asset


def _file() -> SimpleUploadedFile:
    return SimpleUploadedFile("note.pdf", good_pdf(1, "A note"), content_type="application/pdf")


def _zip() -> SimpleUploadedFile:
    return SimpleUploadedFile("tree.zip", zip_bytes([("a/b.csv", b"x,y\n1,2\n")]), content_type="application/zip")


# (case id, persona, path, body builder (world, room, id) -> body, multipart, hidden-object builder (world, room))
CASES: list[tuple[str, str, str, Any, bool, Any]] = []


def case(name: str, personas: tuple[str, ...], path: str, body: Any, hidden: Any, multipart: bool = False) -> None:
    for persona in personas:
        CASES.append((f"{name}-{persona}", persona, path, body, multipart, hidden))


case("access-request-asset", ("outsider", "other_member", "rival"), "/api/v1/dataroom-access-requests/",
     lambda w, r, pk: {"asset": pk, "message": "May we look?"}, lambda w, r: _draft_asset(w).pk)
case("room-create-asset", ("outsider", "other_member", "rival"), "/api/v1/datarooms/",
     lambda w, r, pk: {"asset": pk, "name": "Ours now"}, lambda w, r: _draft_asset(w).pk)
case("folder-create-room", ("outsider", "rival"), "/api/v1/dataroom-folders/",
     lambda w, r, pk: {"room": pk, "name": "Probe"}, lambda w, r: r.room.pk)
case("folder-create-parent", ("other_member", "bidder"), "/api/v1/dataroom-folders/",
     lambda w, r, pk: {"room": r.room.pk, "parent": pk, "name": "Probe"}, lambda w, r: r.cmc.pk)
case("document-upload-folder", ("outsider", "other_member", "rival", "bidder"), "/api/v1/dataroom-documents/",
     lambda w, r, pk: {"folder": pk, "file": _file()}, lambda w, r: r.cmc.pk, multipart=True)
case("import-room", ("outsider", "rival"), "/api/v1/dataroom-imports/",
     lambda w, r, pk: {"room": pk, "file": _zip()}, lambda w, r: r.room.pk, multipart=True)
case("import-parent", ("other_member", "bidder"), "/api/v1/dataroom-imports/",
     lambda w, r, pk: {"room": r.room.pk, "parent": pk, "file": _zip()}, lambda w, r: r.cmc.pk, multipart=True)
case("question-room", ("outsider", "rival"), "/api/v1/dataroom-questions/",
     lambda w, r, pk: {"room": pk, "text": "Is the CSR final?"}, lambda w, r: r.room.pk)
case("question-document", ("other_member", "bidder"), "/api/v1/dataroom-questions/",
     lambda w, r, pk: {"room": r.room.pk, "document": pk, "text": "Is it final?"}, lambda w, r: r.stability.pk)
case("interest-company", ("other_member", "rival"), "/api/v1/assets/{asset}/interest/",
     lambda w, r, pk: {"message": "We are interested.", "company": pk},
     lambda w, r: (w.partner if w.extra["as"] == "rival" else second_partner(w)[0]).pk)


def _unverified_company(world: Any, room: Any) -> int:
    return CompanyFactory(name_en="Unverified Labs", verification_status=VerificationStatus.PENDING).pk


def _grant_body(world: Any, room: Any, pk: int, field: str) -> dict[str, Any]:
    body = {"room": room.room.pk, "company": second_partner(world)[0].pk, "level": "view",
            "expires_at": (timezone.now() + timedelta(days=10)).isoformat()}
    body[field] = pk
    return body


case("grant-company", ("admin", "owner"), "/api/v1/dataroom-grants/",
     lambda w, r, pk: _grant_body(w, r, pk, "company"), _unverified_company)
case("grant-person", ("admin", "owner"), "/api/v1/dataroom-grants/",
     lambda w, r, pk: _grant_body(w, r, pk, "user"), lambda w, r: w.outsider.pk)


@pytest.mark.parametrize(("persona", "path", "body", "multipart", "hidden"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hidden_id_answers_byte_for_byte_like_a_missing_id(persona, path, body, multipart, hidden):
    world, room = _world(persona)
    world.extra["as"] = persona
    hidden_id = hidden(world, room)
    path = path.format(asset=room.asset.pk)
    client = world.client(persona)
    fmt = "multipart" if multipart else "json"
    to_hidden = client.post(path, body(world, room, hidden_id), format=fmt)
    to_missing = client.post(path, body(world, room, MISSING), format=fmt)
    assert to_hidden.status_code == to_missing.status_code == 404, (to_hidden.content, to_missing.content)
    assert to_hidden.content == to_missing.content
    assert to_hidden.json()["error"]["code"] == "not_found"


def test_a_visible_object_still_gets_its_own_refusal():
    """The restriction hides what the caller may not see, nothing more: a visible room the partner may not
    manage still answers 403, and a visible asset the partner does not own still cannot get a room."""
    world, room = _world("other_member")
    client = world.client("other_member")
    response = client.post("/api/v1/dataroom-folders/", {"room": room.room.pk, "name": "Mine"}, format="json")
    assert response.status_code == 403
    response = client.post("/api/v1/datarooms/", {"asset": room.asset.pk, "name": "Mine"}, format="json")
    assert response.status_code == 403
