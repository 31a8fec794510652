"""A partner whose access was granted but who has not accepted the room's current CDA is told so: 403
`cda_required` with the CDA to accept, on the documents they will see once they accept. Documents they would not
see either way, and rooms they cannot see at all, stay a plain 404 (the same rule decides: Document.access_q read
with room_scope(..., cda_accepted_everywhere=True))."""

import pytest

from tests.datarooms.rooms import build_room, second_partner

pytestmark = pytest.mark.django_db

MISSING = 2_000_000_001


@pytest.fixture
def cda_room(world):
    return build_room(world, grant="download", cda=True)


def _cda_refusal(response, room):
    assert response.status_code == 403, response.content
    error = response.json()["error"]
    assert error["code"] == "cda_required"
    assert error["cda"] == {"id": room.room.current_cda_id, "version": 1, "room": room.room.pk}
    return error


@pytest.mark.parametrize("action", ["", "view/", "download/"])
def test_a_granted_partner_without_the_cda_is_asked_to_accept_it(world, cda_room, action):
    response = world.client("other_member").get(f"/api/v1/dataroom-documents/{cda_room.csr.pk}/{action}")
    _cda_refusal(response, cda_room)


def test_once_accepted_the_document_opens(world, cda_room):
    client = world.client("other_member")
    accepted = client.post(f"/api/v1/datarooms/{cda_room.room.pk}/accept-cda/", {"version": 1}, format="json")
    assert accepted.status_code == 201
    assert client.get(f"/api/v1/dataroom-documents/{cda_room.csr.pk}/").status_code == 200


def test_listing_the_room_s_documents_asks_for_the_cda(world, cda_room):
    response = world.client("other_member").get(f"/api/v1/dataroom-documents/?room={cda_room.room.pk}")
    _cda_refusal(response, cda_room)


def test_a_held_back_document_stays_a_plain_404(world, cda_room):
    client = world.client("other_member")
    held_back = client.get(f"/api/v1/dataroom-documents/{cda_room.stability.pk}/")
    missing = client.get(f"/api/v1/dataroom-documents/{MISSING}/")
    assert held_back.status_code == missing.status_code == 404
    assert held_back.content == missing.content


def test_a_partner_without_a_grant_gets_a_plain_404(world, cda_room):
    _company, rival = second_partner(world)
    world.people["rival"] = rival
    client = world.client("rival")
    hidden = client.get(f"/api/v1/dataroom-documents/{cda_room.csr.pk}/")
    missing = client.get(f"/api/v1/dataroom-documents/{MISSING}/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert client.get(f"/api/v1/datarooms/{cda_room.room.pk}/").status_code == 404


def test_the_room_says_whether_the_reader_accepted_its_current_cda(world, cda_room):
    client = world.client("other_member")
    assert client.get(f"/api/v1/datarooms/{cda_room.room.pk}/").json()["current_cda_accepted"] is False
    client.post(f"/api/v1/datarooms/{cda_room.room.pk}/accept-cda/", {"version": 1}, format="json")
    assert client.get(f"/api/v1/datarooms/{cda_room.room.pk}/").json()["current_cda_accepted"] is True
    listed = client.get("/api/v1/datarooms/").json()["results"]
    assert [row["current_cda_accepted"] for row in listed] == [True]


def test_a_room_without_a_cda_says_so(world):
    room = build_room(world, grant="download")
    assert world.client("other_member").get(f"/api/v1/datarooms/{room.room.pk}/").json()["current_cda_accepted"] \
        is None
