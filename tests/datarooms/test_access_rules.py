"""apps/datarooms/access.py renders two rules twice, side by side: what a grant opens (`Reach`, as a filter for
lists and for one folder in a hand-out) and the document rule (`document_q` for the querysets, `hand_out_right`
for one document). Here each pair must agree on every folder and document of a tree, for every kind of grant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.authz import VIEW
from apps.datarooms import access, services
from apps.datarooms.models import Document, Folder, FolderClosure
from tests.datarooms.rooms import build_room


def _ancestors(folder: Folder) -> set[int]:
    return set(FolderClosure.objects.filter(descendant=folder).values_list("ancestor_id", flat=True))


@pytest.mark.parametrize("rooms,roots", [
    (True, ()),  # room-wide: everything but the held-back CMC
    (False, ("clinical",)),  # a chosen subtree
    (True, ("cmc",)),  # room-wide with the held-back folder released
    (False, ("genomics", "cmc")),
    (False, ()),  # nothing
])
def test_a_reach_opens_the_same_folders_as_a_filter_and_one_by_one(world, rooms, roots):
    room = build_room(world)
    services.folder_create(actor=world.admin, room=room.room, name="Batch records", parent=room.cmc)
    reach = access.Reach(rooms=frozenset({room.room.pk}) if rooms else frozenset(),
                         roots=frozenset(getattr(room, name).pk for name in roots))
    folders = list(Folder.objects.filter(room=room.room))
    filtered = set(Folder.objects.filter(room=room.room).filter(reach.folders_q()).values_list("pk", flat=True))
    one_by_one = {folder.pk for folder in folders if reach.covers(folder, lambda f=folder: _ancestors(f))}
    assert filtered == one_by_one
    assert bool(filtered) == bool(rooms or roots)


@pytest.mark.parametrize("level,scope", [("view", "room"), ("download", "room"), ("download", "folders"),
                                         ("view", "folders")])
def test_the_hand_out_right_is_the_document_rule_for_one_document(world, level, scope):
    room = build_room(world, grant=level, scope=scope)
    partner = world.other_member
    scope_read = access.room_scope(partner)
    visible = set(Document.objects.for_user(partner, VIEW).values_list("pk", flat=True))
    downloadable = set(Document.objects.for_user(partner, access.DOWNLOAD).values_list("pk", flat=True))
    assert visible, "the grant opens something"
    for document in Document.objects.filter(room=room.room).select_related("room", "folder"):
        right = access.hand_out_right(document, scope_read)
        assert (right.company_id is not None) == (document.pk in visible), document
        assert (right.company_id is not None and right.may_download) == (document.pk in downloadable), document
        if right.company_id is not None:
            assert right.company_id == world.partner.pk and not right.insider


def test_an_unaccepted_cda_opens_nothing_to_the_hand_out_either(world):
    room = build_room(world, grant="download", cda=True)
    right = access.hand_out_right(room.csr, access.room_scope(world.other_member))
    assert right.company_id is None
    assert access.cda_to_accept_for_document(world.other_member, str(room.csr.pk)) == room.room.current_cda


def test_insiders_take_documents_for_the_owner_company(world):
    room = build_room(world)
    right = access.hand_out_right(room.stability, access.room_scope(world.viewer))
    assert right.insider and right.may_download and right.company_id == world.licensor.pk


def test_an_expired_grant_reaches_nothing(world):
    room = build_room(world, grant="download", expires_in=timedelta(days=1))
    room.grant.expires_at = timezone.now() - timedelta(seconds=1)
    room.grant.save(update_fields=["expires_at"])
    scope = access.room_scope(world.other_member)
    assert scope.grants == [] and scope.reach(access.ANY) == access.Reach()
    assert access.hand_out_right(room.csr, scope).company_id is None
