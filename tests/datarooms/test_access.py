"""Getting in and staying out: grants, expiry and revocation at the second they bite, the CDA gate,
staged disclosure, the cross-border export gate, and bidder isolation between two partners."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core.authz import user_can
from apps.datarooms import services
from apps.datarooms.models import AccessGrant, AccessRequest, Document, ExportClearance, Folder, Question
from tests.datarooms.rooms import build_room, second_partner

pytestmark = pytest.mark.django_db


def _docs(user):
    return set(Document.objects.for_user(user, "view").values_list("name", flat=True))


def test_partner_without_grant_sees_nothing(world):
    build_room(world)
    assert _docs(world.other_member) == set()
    assert world.client("other_member").get("/api/v1/dataroom-documents/").json()["count"] == 0


def test_room_wide_grant_opens_everything_but_held_back_folders(world):
    build_room(world, grant="view")
    assert _docs(world.other_member) == {"csr.pdf", "listings.csv", "genome-panel.pdf"}


def test_folder_scope_grant_opens_only_that_subtree(world):
    room = build_room(world, grant="view", scope="folders")
    services.folder_create(actor=world.admin, room=room.room, name="Regulatory")
    assert _docs(world.other_member) == {"csr.pdf", "listings.csv", "genome-panel.pdf"}
    folders = set(Folder.objects.for_user(world.other_member, "view").values_list("name", flat=True))
    assert folders == {"Clinical", "Genomics"}


def test_staged_disclosure_releases_a_held_back_folder_to_one_partner(world):
    room = build_room(world, grant="view")
    rival_company, rival = second_partner(world)
    services.grant_create(actor=world.admin, room=room.room, company=rival_company, level="view", scope="room",
                          expires_at=timezone.now() + timedelta(days=5))
    services.grant_release_folders(actor=world.admin, grant=room.grant, folders=[room.cmc])
    assert "stability.pdf" in _docs(world.other_member)
    assert "stability.pdf" not in _docs(rival)
    assert AuditEvent.objects.filter(action="dataroom.phase_changed").count() == 1


def test_expired_grant_refuses_download_the_second_it_expires(world, monkeypatch):
    room = build_room(world, grant="download")
    # Valid for a while yet (a margin a loaded machine cannot eat up), then expired as of this very moment.
    AccessGrant.objects.filter(pk=room.grant.pk).update(expires_at=timezone.now() + timedelta(seconds=30))
    client = world.client("other_member")
    assert client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/").status_code == 200
    AccessGrant.objects.filter(pk=room.grant.pk).update(expires_at=timezone.now())
    # No sweeper has run: the very next request is refused.
    response = client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/")
    assert response.status_code == 404
    assert client.get(f"/api/v1/datarooms/{room.room.pk}/").status_code == 404


def test_revoked_grant_refuses_the_very_next_request(world):
    room = build_room(world, grant="download")
    client = world.client("other_member")
    assert client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/").status_code == 200
    response = world.client("admin").post(f"/api/v1/dataroom-grants/{room.grant.pk}/revoke/")
    assert response.status_code == 200
    assert client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/").status_code == 404
    assert client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/view/").status_code == 404


def test_removed_member_loses_company_grant_at_once(world):
    room = build_room(world, grant="download")
    from apps.companies.models import Membership

    Membership.objects.filter(user=world.other_member, company=world.partner).delete()
    assert _docs(world.other_member) == set()
    assert not AccessGrant.objects.filter(pk=room.grant.pk, revoked_at__isnull=False).exists()


def test_grant_to_a_named_person_excludes_colleagues(world):
    from apps.companies.models import Role
    from tests.factories import UserFactory, add_member

    room = build_room(world)
    colleague = UserFactory(email="colleague@northbridge.test")
    add_member(world.partner, colleague, Role.MEMBER)
    services.grant_create(actor=world.admin, room=room.room, company=world.partner, user=world.other_member,
                          level="view", scope="room", expires_at=timezone.now() + timedelta(days=3))
    assert "csr.pdf" in _docs(world.other_member)
    assert _docs(colleague) == set()


def test_cda_required_before_anything_is_shown_and_again_for_a_new_version(world):
    room = build_room(world, grant="view", cda=True)
    client = world.client("other_member")
    assert client.get(f"/api/v1/datarooms/{room.room.pk}/").status_code == 200  # the CDA itself is readable
    assert client.get("/api/v1/dataroom-documents/").json()["count"] == 0
    assert client.post(f"/api/v1/datarooms/{room.room.pk}/accept-cda/", {"version": 1}, format="json",
                       REMOTE_ADDR="203.0.113.9").status_code == 201
    assert client.get("/api/v1/dataroom-documents/").json()["count"] == 3
    services.cda_publish(actor=world.admin, room=room.room, text_en="v2", text_zh="第二版")
    assert client.get("/api/v1/dataroom-documents/").json()["count"] == 0
    assert client.post(f"/api/v1/datarooms/{room.room.pk}/accept-cda/", {"version": 1}, format="json").json()[
        "error"]["code"] == "cda_outdated"


def test_cda_acceptance_records_person_company_version_time_and_ip(world):
    room = build_room(world, grant="view", cda=True)
    world.client("other_member").post(f"/api/v1/datarooms/{room.room.pk}/accept-cda/", {"version": 1},
                                      format="json", REMOTE_ADDR="203.0.113.9")
    acceptance = room.room.current_cda.acceptances.get()
    assert (acceptance.user, acceptance.company, acceptance.ip_address) == (
        world.other_member, world.partner, "203.0.113.9")
    assert acceptance.accepted_at is not None


def test_export_gate_locks_hgr_documents_until_a_clearance_is_recorded(world):
    room = build_room(world, grant="download")
    client = world.client("other_member")
    response = client.get(f"/api/v1/dataroom-documents/{room.genome.pk}/download/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "export_clearance_required"
    assert response.json()["error"]["fields"]["missing"] == ["hgr"]
    assert AuditEvent.objects.filter(action="dataroom.document_refused", details__code="export_clearance_required"
                                     ).exists()
    # A clearance of the wrong kind does not help; the right one does.
    ExportClearance.objects.create(room=room.room, company=world.partner, clearance_type="standard_contract",
                                   reference="SC-2026-001", valid_until=timezone.now().date() + timedelta(days=90))
    assert client.get(f"/api/v1/dataroom-documents/{room.genome.pk}/download/").status_code == 403
    ExportClearance.objects.create(room=room.room, company=world.partner, clearance_type="hgr_filing",
                                   reference="HGR-2026-0042", valid_until=timezone.now().date() + timedelta(days=90))
    assert client.get(f"/api/v1/dataroom-documents/{room.genome.pk}/download/").status_code == 200


def test_expired_clearance_locks_again(world):
    room = build_room(world, grant="download")
    ExportClearance.objects.create(room=room.room, company=world.partner, clearance_type="hgr_approval",
                                   reference="HGR-1", valid_until=timezone.now().date() - timedelta(days=1))
    assert world.client("other_member").get(f"/api/v1/dataroom-documents/{room.genome.pk}/view/").status_code == 403


def test_export_gate_does_not_apply_to_a_partner_in_mainland_china(world):
    room = build_room(world, grant="download")
    world.partner.country = "CN"
    world.partner.save()
    assert world.client("other_member").get(f"/api/v1/dataroom-documents/{room.genome.pk}/view/").status_code == 200


def test_view_only_grant_gets_inline_pdf_and_no_download(world):
    room = build_room(world, grant="view")
    client = world.client("other_member")
    view = client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/view/")
    assert view.status_code == 200
    assert view["Content-Disposition"].startswith("inline")
    refused = client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "view_only"
    csv = client.get(f"/api/v1/dataroom-documents/{room.listings.pk}/view/")
    assert csv.status_code == 403 and csv.json()["error"]["code"] == "view_only_pdf"



def test_a_person_in_two_partner_companies_downloads_under_the_grant_that_allows_it(world):
    """Nora belongs to Northbridge (view-only, whole room) and to Rheinwald (download, Clinical subtree only):
    she may take Clinical files away, recorded for Rheinwald; elsewhere she may only view them."""
    from apps.companies.models import Role
    from apps.datarooms.models import DocumentAccess
    from tests.factories import add_member

    room = build_room(world, grant="view")
    rival_company, _rival = second_partner(world)
    add_member(rival_company, world.other_member, Role.MEMBER)
    regulatory = services.folder_create(actor=world.admin, room=room.room, name="Regulatory")
    letter = services.document_upload(actor=world.admin, folder=regulatory, filename="ind-letter.csv",
                                      f=io.BytesIO(b"agency,date\nFDA,2026-01-05\n"))
    services.grant_create(actor=world.admin, room=room.room, company=rival_company, level="download",
                          scope="folders", folders=[room.clinical], expires_at=timezone.now() + timedelta(days=5))
    client = world.client("other_member")

    response = client.get(f"/api/v1/dataroom-documents/{room.listings.pk}/download/")
    assert response.status_code == 200
    access = DocumentAccess.objects.get(download_id=response["X-Download-Id"])
    assert access.company == rival_company
    refused = client.get(f"/api/v1/dataroom-documents/{letter.pk}/download/")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "view_only"


# --- bidder isolation -----------------------------------------------------------------------------------------


def test_partners_never_see_each_others_requests_grants_questions_or_activity(world):
    room = build_room(world, grant="download")
    rival_company, rival = second_partner(world)
    services.grant_create(actor=world.admin, room=room.room, company=rival_company, level="download", scope="room",
                          expires_at=timezone.now() + timedelta(days=5))
    services.question_ask(actor=rival, room=room.room, text="Rival question about CMC")
    services.document_hand_out(actor=rival, document=room.csr, kind="download")
    client = world.client("other_member")
    grants = client.get("/api/v1/dataroom-grants/").json()["results"]
    assert {g["company"] for g in grants} == {world.partner.pk}
    assert client.get("/api/v1/dataroom-questions/").json()["count"] == 0
    assert client.get("/api/v1/dataroom-downloads/").json()["count"] == 0
    assert client.get("/api/v1/dataroom-access-requests/").json()["count"] == 0
    body = client.get(f"/api/v1/datarooms/{room.room.pk}/").content.decode()
    assert "Rheinwald" not in body


def test_faq_entry_is_shared_without_the_askers_identity(world):
    room = build_room(world, grant="view")
    rival_company, rival = second_partner(world)
    services.grant_create(actor=world.admin, room=room.room, company=rival_company, level="view", scope="room",
                          expires_at=timezone.now() + timedelta(days=5))
    question = services.question_ask(actor=rival, room=room.room, text="What is the dosing schedule?")
    services.question_answer(actor=world.member, question=question, answer="Q3W IV.")
    assert world.client("other_member").get("/api/v1/dataroom-questions/").json()["count"] == 0
    services.question_publish(actor=world.admin, question=question)
    faq = world.client("other_member").get("/api/v1/dataroom-questions/").json()["results"]
    assert [(q["text"], q["answer"], q["company"], q["asked_by"]) for q in faq] == [
        ("What is the dosing schedule?", "Q3W IV.", None, None)]
    own = world.client("admin").get(f"/api/v1/dataroom-questions/{question.pk}/").json()
    assert own["company"] == rival_company.pk


def test_partner_learns_nothing_of_held_back_flags(world):
    room = build_room(world, grant="view")
    services.grant_release_folders(actor=world.admin, grant=room.grant, folders=[room.cmc])
    data = world.client("other_member").get(f"/api/v1/dataroom-folders/{room.cmc.pk}/").json()
    assert "held_back" not in data


def test_access_request_flow_approve_creates_a_grant(world):
    room = build_room(world)
    client = world.client("other_member")
    created = client.post("/api/v1/dataroom-access-requests/", {"asset": room.asset.pk, "message": "Diligence"},
                          format="json")
    assert created.status_code == 201
    again = client.post("/api/v1/dataroom-access-requests/", {"asset": room.asset.pk, "message": "Again"},
                        format="json")
    assert again.status_code == 409
    approved = world.client("admin").post(
        f"/api/v1/dataroom-access-requests/{created.json()['id']}/approve/",
        {"level": "download", "scope": "folders", "folders": [room.clinical.pk],
         "expires_at": (timezone.now() + timedelta(days=10)).isoformat()}, format="json")
    assert approved.status_code == 201
    assert "csr.pdf" in _docs(world.other_member)
    assert AuditEvent.objects.filter(action__in=["dataroom.access_requested", "dataroom.access_approved",
                                                 "dataroom.grant_created"]).count() == 3


def test_deny_needs_a_reason_and_withdrawn_requests_cannot_be_decided(world):
    room = build_room(world)
    request = services.access_request_create(actor=world.other_member, asset=room.asset, message="Please")
    admin = world.client("admin")
    assert admin.post(f"/api/v1/dataroom-access-requests/{request.pk}/deny/", {"reason": ""},
                      format="json").status_code == 400
    services.access_request_withdraw(actor=world.other_member, request=request)
    assert admin.post(f"/api/v1/dataroom-access-requests/{request.pk}/deny/", {"reason": "No"},
                      format="json").status_code == 409


def test_unverified_company_cannot_request_access(world):
    room = build_room(world)
    world.partner.verification_status = "suspended"
    world.partner.save()
    response = world.client("other_member").post("/api/v1/dataroom-access-requests/",
                                                 {"asset": room.asset.pk, "message": "Hi"}, format="json")
    # A suspended company's members no longer see the listing at all: the asset answers as a missing one.
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert not AccessRequest.objects.exists()


def test_questions_are_visible_only_to_the_askers_company_and_the_owner(world):
    room = build_room(world, grant="view")
    question = services.question_ask(actor=world.other_member, room=room.room, text="ORR?")
    assert Question.objects.for_user(world.viewer, "view").filter(pk=question.pk).exists()
    assert not Question.objects.for_user(world.outsider, "view").filter(pk=question.pk).exists()


def test_manage_delegated_to_a_plain_member_through_guardian(world):
    from guardian.shortcuts import assign_perm

    room = build_room(world, grant="view")
    assert not user_can(world.viewer, "manage", room.room)
    assign_perm("datarooms.manage_dataroom", world.viewer, room.room)
    response = world.client("viewer").post(f"/api/v1/dataroom-grants/{room.grant.pk}/revoke/")
    assert response.status_code == 200
    assert _docs(world.other_member) == set()


def test_manage_delegated_to_a_person_outside_the_owner_company(world):
    from guardian.shortcuts import assign_perm

    room = build_room(world)
    assign_perm("datarooms.manage_dataroom", world.outsider, room.room)
    client = world.client("outsider")
    assert client.get(f"/api/v1/datarooms/{room.room.pk}/").status_code == 200
    assert client.get(f"/api/v1/datarooms/{room.room.pk}/engagement/").status_code == 200
    assert "csr.pdf" in _docs(world.outsider)


def test_manage_delegated_to_a_group_holds_while_the_person_is_in_it(world):
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm

    room = build_room(world)
    advisers = Group.objects.create(name="LMN-2201 deal advisers")
    assign_perm("datarooms.manage_dataroom", advisers, room.room)
    client = world.client("outsider")
    assert client.get(f"/api/v1/datarooms/{room.room.pk}/engagement/").status_code == 404
    world.outsider.groups.add(advisers)
    assert client.get(f"/api/v1/datarooms/{room.room.pk}/engagement/").status_code == 200
    download = client.get(f"/api/v1/dataroom-documents/{room.listings.pk}/download/")
    assert download.status_code == 200
    world.outsider.groups.remove(advisers)
    assert client.get(f"/api/v1/datarooms/{room.room.pk}/engagement/").status_code == 404
    assert client.get(f"/api/v1/dataroom-documents/{room.listings.pk}/download/").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/dataroom-documents/", "/api/v1/dataroom-folders/",
                                  "/api/v1/dataroom-questions/", "/api/v1/dataroom-grants/"])
def test_lists_cost_the_same_number_of_queries_for_few_or_many_rows(world, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    room = build_room(world, grant="download")
    client = world.client("other_member")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    def add(i: int) -> None:
        folder = services.folder_create(actor=world.admin, room=room.room, name=f"Batch {i}")
        services.document_upload(actor=world.admin, folder=folder, f=io.BytesIO(b"a,b\n1,2\n"),
                                 filename=f"data-{i}.csv")
        services.question_ask(actor=world.other_member, room=room.room, text=f"Question {i}?")

    add(0)
    few = count()
    for i in range(1, 7):
        add(i)
    assert count() == few
