"""The export gate rests on what a document carries (issue 18): a positive scan nobody confirmed holds a partner's
download with a reason saying what is missing; an unfinished scan holds; the owner's decision replaces the
proposal; a clean scan lets the document through."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.datarooms.choices import ScanDecision, ScanStatus
from apps.datarooms.models import ExportClearance
from apps.datarooms.scan import services as scan_services
from apps.datarooms.scan.models import DocumentScan
from tests.datarooms.rooms import build_room, upload
from tests.datarooms.scan_world import patient_list, scan_of, upload_patient_list


def _download(world, document):
    return world.client("other_member").get(f"/api/v1/dataroom-documents/{document.pk}/download/")


def test_positive_unconfirmed_scan_holds_a_partners_download_with_the_reason(world):
    document = upload_patient_list(world)
    scan = scan_of(document)
    assert scan.status == ScanStatus.DONE and scan.proposed == ["personal_information"]
    assert document.classifications == []  # nobody declared anything
    response = _download(world, document)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "export_clearance_required"
    assert error["fields"] == {"missing": ["personal_information"], "scan": ["found"]}
    assert "automatic scan found Personal information" in error["message"]
    assert AuditEvent.objects.filter(action="dataroom.document_refused", target_id=str(document.pk),
                                     details__code="export_clearance_required").exists()


def test_the_reason_comes_in_chinese_too(world):
    document = upload_patient_list(world)
    response = world.client("other_member").get(f"/api/v1/dataroom-documents/{document.pk}/download/",
                                                HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 403
    assert "自动扫描" in response.json()["error"]["message"]


def test_the_owners_own_people_still_open_a_positive_document(world):
    document = upload_patient_list(world)
    assert world.client("member").get(f"/api/v1/dataroom-documents/{document.pk}/download/").status_code == 200


def test_a_clearance_for_personal_information_lets_the_partner_take_it(world):
    document = upload_patient_list(world)
    ExportClearance.objects.create(room=document.room, company=world.partner, clearance_type="standard_contract",
                                   reference="SC-2026-018", valid_until=timezone.now().date() + timedelta(days=90))
    assert _download(world, document).status_code == 200


def test_confirmation_makes_it_the_declared_classification_and_the_gate_keeps_holding(world):
    document = upload_patient_list(world)
    scan_services.scan_confirm(actor=world.admin, scan=scan_of(document))
    document.refresh_from_db()
    assert document.classifications == ["personal_information"]
    response = _download(world, document)
    assert response.status_code == 403
    # Now held for the confirmed classification: the ordinary export-gate reason, no scan mentioned.
    assert response.json()["error"]["fields"] == {"missing": ["personal_information"]}
    assert AuditEvent.objects.filter(action="dataroom.scan_confirmed", target_id=str(document.pk)).exists()


def test_override_with_a_reason_lets_the_document_through(world):
    document = upload_patient_list(world)
    scan = scan_services.scan_override(actor=world.admin, scan=scan_of(document), classifications=[],
                                       reason="Synthetic identities generated for the assay validation.")
    assert scan.decision == ScanDecision.OVERRIDDEN
    assert _download(world, document).status_code == 200
    event = AuditEvent.objects.get(action="dataroom.scan_overridden", target_id=str(document.pk))
    assert event.details["reason"] == "Synthetic identities generated for the assay validation."
    assert event.details["proposed"] == ["personal_information"]


def test_a_pending_scan_holds_with_a_reason_saying_the_check_is_running(world, settings):
    room = build_room(world, grant="download")
    settings.DATAROOMS_SCAN_INLINE = False  # as in production: the scan waits for a worker
    document = upload(world.admin, room.clinical, b"visit,arm\n1,A\n", "visits.csv")
    assert scan_of(document).status == ScanStatus.PENDING
    response = _download(world, document)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "export_clearance_required"
    assert error["fields"] == {"missing": ["hgr", "personal_information"], "scan": ["unfinished"]}
    assert "still being checked" in error["message"]
    # Once the worker has scanned it (nothing found), the same partner takes it.
    scan_services.document_scan_run(scan_id=scan_of(document).pk)
    assert _download(world, document).status_code == 200


def test_a_pending_scan_does_not_hold_for_a_partner_in_mainland_china(world, settings):
    room = build_room(world, grant="download")
    settings.DATAROOMS_SCAN_INLINE = False
    document = upload(world.admin, room.clinical, b"visit,arm\n1,A\n", "visits.csv")
    world.partner.country = "CN"
    world.partner.save()
    assert _download(world, document).status_code == 200


def test_a_clean_scan_lets_the_document_through(world):
    room = build_room(world, grant="download")
    scan = scan_of(room.listings)
    assert scan.status == ScanStatus.DONE and scan.proposed == [] and scan.findings == {}
    assert _download(world, room.listings).status_code == 200


def test_a_new_version_is_scanned_again_and_held_until_then(world, settings):
    from apps.datarooms import services

    room = build_room(world, grant="download")
    first = scan_of(room.listings)
    settings.DATAROOMS_SCAN_INLINE = False
    import io

    services.document_version_upload(actor=world.admin, document=room.listings, f=io.BytesIO(patient_list()),
                                     filename="listings.csv")
    second = scan_of(room.listings)
    assert second.pk != first.pk and second.status == ScanStatus.PENDING
    assert _download(world, room.listings).json()["error"]["fields"]["scan"] == ["unfinished"]
    scan_services.document_scan_run(scan_id=second.pk)
    assert _download(world, room.listings).json()["error"]["fields"]["scan"] == ["found"]


def test_a_failed_scan_holds_until_a_manager_overrides_it(world, settings):
    room = build_room(world, grant="download")
    settings.DATAROOMS_SCAN_INLINE = False
    document = upload(world.admin, room.clinical, b"visit,arm\n1,A\n", "visits.csv")
    scan_services.document_scan_fail(scan_id=scan_of(document).pk, reason="SoftTimeLimitExceeded")
    assert _download(world, document).status_code == 403
    scan_services.scan_override(actor=world.admin, scan=scan_of(document), classifications=[],
                                reason="Visit schedule only; checked by hand.")
    assert _download(world, document).status_code == 200


def test_a_declared_hgr_document_keeps_the_ordinary_reason(world):
    room = build_room(world, grant="download")
    response = _download(world, room.genome)
    assert response.json()["error"]["fields"] == {"missing": ["hgr"]}


@pytest.mark.parametrize("persona", ["member", "viewer"])
def test_only_managers_decide(world, persona):
    from apps.core.errors import PermissionRefused

    document = upload_patient_list(world)
    with pytest.raises(PermissionRefused):
        scan_services.scan_confirm(actor=getattr(world, persona), scan=scan_of(document))
    assert DocumentScan.objects.get(pk=scan_of(document).pk).decision == ScanDecision.UNDECIDED
