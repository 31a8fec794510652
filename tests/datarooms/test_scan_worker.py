"""The document scan through a real Celery worker on real Redis (issue 18): queued after the upload commits, run
by the worker, and until then the partner's download is held."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.datarooms.scan.models import DocumentScan
from tests.conftest import build_world
from tests.datarooms.rooms import build_room
from tests.datarooms.scan_world import patient_list
from tests.datarooms.test_worker import _private_storage, worker  # noqa: F401  (fixtures)
from tests.polling import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.xdist_group("worker"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]


def test_uploaded_document_is_scanned_by_the_worker(worker, settings):  # noqa: F811
    world = build_world()
    room = build_room(world, grant="download")
    settings.DATAROOMS_SCAN_INLINE = False  # this process queues; the worker scans
    response = world.client("admin").post(
        "/api/v1/dataroom-documents/",
        {"folder": room.clinical.pk, "file": SimpleUploadedFile("patients.csv", patient_list(), "text/csv")},
        format="multipart")
    assert response.status_code == 201, response.content
    document_id = response.json()["id"]
    scan = DocumentScan.objects.get(document_id=document_id)
    wait_for(lambda: DocumentScan.objects.get(pk=scan.pk).status == "done", timeout=60,
             what="the worker finishing the scan")
    body = world.client("admin").get(f"/api/v1/dataroom-scans/{scan.pk}/").json()
    assert body["proposed"] == ["personal_information"] and body["units_done"] == 3
    held = world.client("other_member").get(f"/api/v1/dataroom-documents/{document_id}/download/")
    assert held.status_code == 403 and held.json()["error"]["fields"]["scan"] == ["found"]
