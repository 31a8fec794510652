"""Sweeps and background work are safe to repeat."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.datarooms import services
from apps.datarooms.models import AccessGrant, BulkImport
from apps.datarooms.tasks import bulk_import_run_task, grants_sweep
from tests.datarooms.hostile import zip_bytes
from tests.datarooms.rooms import build_room

pytestmark = pytest.mark.django_db


def test_expiring_grant_is_warned_once(world):
    room = build_room(world, grant="view", expires_in=timedelta(days=2))
    assert services.grants_warn_expiring(days=3) == 1
    assert services.grants_warn_expiring(days=3) == 0
    assert AccessGrant.objects.get(pk=room.grant.pk).expiry_warned_at is not None


def test_expired_grant_is_recorded_once_in_the_audit_trail(world):
    room = build_room(world, grant="view")
    AccessGrant.objects.filter(pk=room.grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert grants_sweep.apply().get() == {"warned": 0, "expired": 1}
    assert grants_sweep.apply().get() == {"warned": 0, "expired": 0}
    assert AuditEvent.objects.filter(action="dataroom.grant_expired").count() == 1


def test_import_task_is_enqueued_after_commit_with_its_own_id(world, django_capture_on_commit_callbacks, monkeypatch):
    room = build_room(world)
    sent = []
    # The service sends the task by name (it never imports the tasks module): Celery resolves it to this task.
    monkeypatch.setattr(bulk_import_run_task, "apply_async",
                        lambda args=None, kwargs=None, **options: sent.append(args[0]))
    import io

    with django_capture_on_commit_callbacks(execute=True):
        first = services.bulk_import_create(actor=world.admin, room=room.room, parent=None,
                                            f=io.BytesIO(zip_bytes([("a.txt", b"a")])), filename="a.zip")
        second = services.bulk_import_create(actor=world.admin, room=room.room, parent=None,
                                             f=io.BytesIO(zip_bytes([("b.txt", b"b")])), filename="b.zip")
    assert sent == [first.pk, second.pk]


def test_import_task_runs_the_import(world):
    import io

    room = build_room(world)
    job = services.bulk_import_create(actor=world.admin, room=room.room, parent=room.clinical,
                                      f=io.BytesIO(zip_bytes([("notes/a.txt", b"a")])), filename="a.zip")
    assert bulk_import_run_task.apply(args=[job.pk]).get() == "done"
    assert bulk_import_run_task.apply(args=[job.pk]).get() == "already-claimed"
    assert BulkImport.objects.get(pk=job.pk).created_documents == 1


def test_failed_import_task_leaves_a_final_state(world):
    import io

    room = build_room(world)
    job = services.bulk_import_create(actor=world.admin, room=room.room, parent=None,
                                      f=io.BytesIO(zip_bytes([("a.txt", b"a")])), filename="a.zip")
    services.bulk_import_fail(job_id=job.pk, reason="WorkerLostError")
    assert BulkImport.objects.get(pk=job.pk).status == "failed"


def test_a_job_running_under_a_live_lease_is_not_claimed_twice(world):
    import io

    room = build_room(world)
    job = services.bulk_import_create(actor=world.admin, room=room.room, parent=None,
                                      f=io.BytesIO(zip_bytes([("a.txt", b"a")])), filename="a.zip")
    BulkImport.objects.filter(pk=job.pk).update(status="running", attempts=1,
                                                claimed_until=timezone.now() + timedelta(minutes=5))
    assert bulk_import_run_task.apply(args=[job.pk]).get() == "already-claimed"
    assert services.bulk_imports_sweep(pending_after=timedelta(0)) == {"requeued": 0, "failed": 0}
    assert BulkImport.objects.get(pk=job.pk).status == "running"


def test_an_import_that_keeps_losing_its_worker_is_failed_for_good(world):
    """An archive whose import killed its worker every time (memory, a crash in a parser) is not retried
    for ever: after DATAROOMS_IMPORT_MAX_ATTEMPTS claims the sweeper fails it, audited, and the uploader
    reads why."""
    import io

    room = build_room(world)
    job = services.bulk_import_create(actor=world.admin, room=room.room, parent=None,
                                      f=io.BytesIO(zip_bytes([("a.txt", b"a")])), filename="a.zip")
    BulkImport.objects.filter(pk=job.pk).update(status="running", attempts=services.bulk_import_max_attempts(),
                                                claimed_until=timezone.now() - timedelta(seconds=1))
    assert services.bulk_imports_sweep() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert (job.status, job.error_code) == ("failed", "import_interrupted")
    assert AuditEvent.objects.filter(action="dataroom.bulk_import_refused",
                                     details__code="import_interrupted").count() == 1
    progress = world.client("admin").get(f"/api/v1/dataroom-imports/{job.pk}/").json()
    assert progress["status"] == "failed" and progress["error_code"] == "import_interrupted"
    assert services.bulk_imports_sweep() == {"requeued": 0, "failed": 0}


def test_the_bulk_import_sweeper_is_scheduled_every_two_minutes(world):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="apps.datarooms.tasks.bulk_imports_sweep")
    assert (task.interval.every, task.interval.period, task.queue, task.enabled) == (2, "minutes", "documents", True)


def test_demo_loader_is_idempotent(world):
    from apps.datarooms import demo
    from apps.datarooms.models import DataRoom, Document
    from tests.datarooms.rooms import make_asset

    make_asset(world)
    ctx = {"companies": {"lumina": world.licensor, "northbridge": world.partner},
           "people": {"lumina_admin": world.admin}}
    demo.load(ctx)
    demo.load(ctx)
    assert DataRoom.objects.count() == 1
    assert Document.objects.count() == 7  # with the scan sample (issue 18)
