"""The scan through the API (issue 18): the owner company reads it with its progress and decides; partners never
learn it exists; compliance officers read it; what a scan keeps never holds a full identifier."""

import re

from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from apps.console.roles import COMPLIANCE_OFFICER
from apps.datarooms.choices import ScanStatus
from tests.datarooms.scan_world import scan_of, upload_patient_list
from tests.factories import UserFactory


def test_owner_reads_counts_masked_samples_and_the_proposal(world):
    document = upload_patient_list(world)
    scan = scan_of(document)
    body = world.client("member").get(f"/api/v1/dataroom-scans/{scan.pk}/").json()
    assert body["status"] == "done" and body["version"] == 1
    assert body["proposed"] == ["personal_information"] and body["declared"] == []
    assert body["decision"] == "undecided"
    findings = {f["detector"]: f for f in body["findings"]}
    assert findings["prc_resident_id"]["count"] == 2
    assert findings["mainland_mobile"]["count"] == 2
    assert findings["labelled_name"]["count"] == 2
    assert findings["prc_resident_id"]["samples"][0]["location"] == "line 2"
    assert body["units_done"] == 3


def test_a_scan_never_stores_a_full_identifier(world):
    document = upload_patient_list(world)
    text = str(scan_of(document).findings)
    stored = document.current_version
    from apps.datarooms import storage

    with storage.local_copy(stored.storage_name) as f:
        raw = f.read().decode()
    identifiers = re.findall(r"\d{17}[\dX]|1[3-9]\d{9}", raw)
    assert identifiers and not any(identifier in text for identifier in identifiers)
    assert "张伟" not in text and "张*" in text


def test_partner_with_a_download_grant_cannot_see_the_scan(world):
    document = upload_patient_list(world)
    client = world.client("other_member")
    assert client.get(f"/api/v1/dataroom-scans/{scan_of(document).pk}/").status_code == 404
    assert client.get("/api/v1/dataroom-scans/").json()["count"] == 0
    assert client.post(f"/api/v1/dataroom-scans/{scan_of(document).pk}/confirm/").status_code == 404


def test_plain_staff_do_not_see_scans_but_compliance_officers_do(world):
    document = upload_patient_list(world)
    url = f"/api/v1/dataroom-scans/{scan_of(document).pk}/"
    assert world.client("staff").get(url).status_code == 404
    officer = UserFactory(email="compliance@gpc.test", is_staff=True)
    officer.groups.add(Group.objects.get(name=COMPLIANCE_OFFICER))
    client = APIClient()
    client.force_authenticate(officer)
    assert client.get(url).status_code == 200
    assert client.post(f"{url}confirm/").status_code == 403  # reads, never decides


def test_admin_confirms_and_the_answer_shows_the_decision(world):
    document = upload_patient_list(world)
    response = world.client("admin").post(f"/api/v1/dataroom-scans/{scan_of(document).pk}/confirm/")
    assert response.status_code == 200
    body = response.json()
    assert body["decision"] == "confirmed" and body["classifications"] == ["personal_information"]
    assert body["declared"] == ["personal_information"]


def test_override_needs_a_reason(world):
    document = upload_patient_list(world)
    response = world.client("admin").post(f"/api/v1/dataroom-scans/{scan_of(document).pk}/override/",
                                          {"classifications": [], "reason": "  "}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "reason_required"
    assert scan_of(document).decision == "undecided"


def test_override_refuses_classifications_a_scan_cannot_decide(world):
    document = upload_patient_list(world)
    response = world.client("admin").post(f"/api/v1/dataroom-scans/{scan_of(document).pk}/override/",
                                          {"classifications": ["important_data"], "reason": "x"}, format="json")
    assert response.status_code == 400
    assert scan_of(document).decision == "undecided"


def test_an_unfinished_scan_cannot_be_decided(world, settings):
    settings.DATAROOMS_SCAN_INLINE = False
    document = upload_patient_list(world)
    scan = scan_of(document)
    assert scan.status == ScanStatus.PENDING
    response = world.client("admin").post(f"/api/v1/dataroom-scans/{scan.pk}/confirm/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "scan_not_finished"


def test_the_scan_of_an_earlier_version_cannot_be_decided(world):
    import io

    from apps.datarooms import services

    document = upload_patient_list(world)
    old = scan_of(document)
    services.document_version_upload(actor=world.admin, document=document, f=io.BytesIO(b"visit\n1\n"),
                                     filename="patients.csv")
    response = world.client("admin").post(f"/api/v1/dataroom-scans/{old.pk}/confirm/")
    assert response.status_code == 409 and response.json()["error"]["code"] == "scan_outdated"


def test_progress_is_listed_per_document(world):
    document = upload_patient_list(world)
    rows = world.client("admin").get("/api/v1/dataroom-scans/", {"document": document.pk}).json()["results"]
    assert [(row["document"], row["status"], row["units_done"]) for row in rows] == [(document.pk, "done", 3)]
