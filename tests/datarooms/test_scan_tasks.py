"""The scan task is safe to repeat and nothing stays pending for ever (issue 18)."""

import contextlib
from datetime import timedelta
from unittest import mock

from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.datarooms.choices import ScanStatus
from apps.datarooms.scan import services as scan_services
from apps.datarooms.scan.models import DocumentScan
from apps.datarooms.scan.tasks import document_scan_task
from apps.notifications.models import OutboxEvent
from tests.datarooms.rooms import build_room
from tests.datarooms.scan_world import scan_of, upload_patient_list


def _pending_patient_list(world, settings):
    build_room(world, grant="download")  # the standard room's own documents scanned already
    settings.DATAROOMS_SCAN_INLINE = False
    return upload_patient_list(world)


def test_upload_queues_the_scan_after_commit(world, settings, django_capture_on_commit_callbacks):
    build_room(world, grant="download")
    settings.DATAROOMS_SCAN_INLINE = False
    # The service sends the task by name (it never imports the tasks module): Celery resolves it to this task.
    with mock.patch.object(document_scan_task, "apply_async") as sent, \
            django_capture_on_commit_callbacks(execute=True):
        document = upload_patient_list(world)
    assert [call.args[0] for call in sent.call_args_list] == [(scan_of(document).pk,)]


def test_running_the_task_twice_scans_once_and_tells_the_owner_once(world, settings):
    document = _pending_patient_list(world, settings)
    scan = scan_of(document)
    assert document_scan_task.run(scan.pk) == "done"
    assert document_scan_task.run(scan.pk) == "already-claimed"
    scan.refresh_from_db()
    assert scan.attempts == 1 and scan.findings["prc_resident_id"]["count"] == 2
    assert OutboxEvent.objects.filter(kind="dataroom.scan_found").count() == 1


def test_a_scan_running_under_a_live_lease_is_left_alone(world, settings):
    document = _pending_patient_list(world, settings)
    scan = scan_of(document)
    DocumentScan.objects.filter(pk=scan.pk).update(status=ScanStatus.RUNNING,
                                                   claimed_until=timezone.now() + timedelta(minutes=5))
    assert scan_services.document_scan_run(scan_id=scan.pk) is None
    assert scan_services.scans_sweep(pending_after=timedelta(0)) == {"requeued": 0, "failed": 0}


def test_sweeper_queues_again_a_scan_whose_worker_died(world, settings):
    document = _pending_patient_list(world, settings)
    scan = scan_of(document)
    DocumentScan.objects.filter(pk=scan.pk).update(status=ScanStatus.RUNNING, attempts=1,
                                                   claimed_until=timezone.now() - timedelta(seconds=1))
    with mock.patch.object(document_scan_task, "apply_async") as sent:
        assert scan_services.scans_sweep() == {"requeued": 1, "failed": 0}
    assert [call.args[0] for call in sent.call_args_list] == [(scan.pk,)]
    assert scan_of(document).status == ScanStatus.PENDING
    assert scan_services.document_scan_run(scan_id=scan.pk).status == ScanStatus.DONE


def test_sweeper_gives_up_after_the_attempts_and_the_gate_keeps_holding(world, settings):
    document = _pending_patient_list(world, settings)
    scan = scan_of(document)
    DocumentScan.objects.filter(pk=scan.pk).update(status=ScanStatus.RUNNING, attempts=3,
                                                   claimed_until=timezone.now() - timedelta(seconds=1))
    assert scan_services.scans_sweep() == {"requeued": 0, "failed": 1}
    assert scan_of(document).status == ScanStatus.FAILED
    assert AuditEvent.objects.filter(action="dataroom.scan_interrupted", target_id=str(document.pk)).exists()
    assert world.client("other_member").get(f"/api/v1/dataroom-documents/{document.pk}/download/").status_code == 403


def test_an_image_is_reported_not_readable_and_keeps_its_declaration(world, settings):
    from tests.datarooms.hostile import png
    from tests.datarooms.rooms import upload

    room = build_room(world, grant="download")
    document = upload(world.admin, room.clinical, png(), "gel.png")
    assert scan_of(document).status == ScanStatus.NOT_READABLE
    assert world.client("other_member").get(f"/api/v1/dataroom-documents/{document.pk}/download/").status_code == 200


def test_a_transient_error_puts_the_scan_back_for_the_retry(world, settings):
    document = _pending_patient_list(world, settings)
    scan = scan_of(document)
    with mock.patch("apps.datarooms.scan.services.scan_document", side_effect=OSError("disk")), \
            contextlib.suppress(OSError):
        scan_services.document_scan_run(scan_id=scan.pk)
    assert scan_of(document).status == ScanStatus.PENDING
