"""The bulk import through a real Celery worker on real Redis: queued after commit, run once, progress readable."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from apps.datarooms.models import BulkImport, Document
from tests.conftest import build_world
from tests.datarooms.hostile import good_pdf, zip_bytes
from tests.datarooms.rooms import build_room
from tests.polling import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.xdist_group("worker"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def _private_storage():
    """The worker is another process: keep the settings' own private storage so both see the same files."""
    yield


@pytest.fixture
def worker():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "TEST_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "documents", "-P", "solo",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def test_uploaded_archive_is_imported_by_the_worker(worker):
    world = build_world()
    room = build_room(world)
    archive = zip_bytes([(f"Safety/listing-{i}.csv", b"id,term\n1,rash\n") for i in range(12)]
                        + [("Safety/summary.pdf", good_pdf(2))])
    response = world.client("member").post(
        "/api/v1/dataroom-imports/", {"room": room.room.pk, "file": SimpleUploadedFile("safety.zip", archive)},
        format="multipart")
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    wait_for(lambda: BulkImport.objects.get(pk=job_id).status in ("done", "failed"), timeout=60,
             what="the worker to finish the import")
    job = BulkImport.objects.get(pk=job_id)
    assert (job.status, job.created_documents, job.processed_files) == ("done", 13, 13)
    assert Document.objects.filter(room=room.room, folder__name="Safety").count() == 13
    progress = world.client("member").get(f"/api/v1/dataroom-imports/{job_id}/").json()
    assert progress["status"] == "done" and progress["processed_files"] == 13


def _start_worker(**env_extra: str) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "TEST_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
           **env_extra}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "documents", "-P", "solo",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _flush_broker() -> None:
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


@pytest.mark.timeout(240)
def test_an_import_whose_worker_was_killed_is_run_again_by_the_sweeper():
    """SIGKILL the worker in the middle of an import: the job is left "running" under a lease; once the lease
    has expired the sweeper enqueues it again and a new worker imports it whole, once (the killed attempt's
    transaction left nothing behind)."""
    from apps.datarooms.services import bulk_imports_sweep

    _flush_broker()
    world = build_world()
    room = build_room(world)
    files = 120
    archive = zip_bytes([(f"Batch/report-{i:03}.pdf", good_pdf(2, f"Report {i}")) for i in range(files)])
    first = _start_worker(DATAROOMS_IMPORT_LEASE_SECONDS="4")
    try:
        response = world.client("member").post(
            "/api/v1/dataroom-imports/", {"room": room.room.pk, "file": SimpleUploadedFile("batch.zip", archive)},
            format="multipart")
        assert response.status_code == 202, response.content
        job_id = response.json()["id"]
        assert wait_for(lambda: BulkImport.objects.get(pk=job_id).processed_files >= 20, timeout=90), \
            "the worker never got going"
        job = BulkImport.objects.get(pk=job_id)
        assert (job.status, job.attempts) == ("running", 1), "the import finished before the kill"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        _stop(first)
    # A live lease is never taken away: right after the kill the sweeper leaves the job alone.
    assert bulk_imports_sweep()["requeued"] == 0
    assert BulkImport.objects.get(pk=job_id).status == "running"
    assert wait_for(lambda: BulkImport.objects.get(pk=job_id).claimed_until < timezone.now(), timeout=10)
    assert bulk_imports_sweep() == {"requeued": 1, "failed": 0}
    second = _start_worker()
    try:
        assert wait_for(lambda: BulkImport.objects.get(pk=job_id).status in ("done", "failed"), timeout=150), \
            "the import was not run again"
    finally:
        _stop(second)
    job = BulkImport.objects.get(pk=job_id)
    assert (job.status, job.created_documents, job.attempts) == ("done", files, 2)
    assert Document.objects.filter(room=room.room, folder__name="Batch").count() == files


def test_an_import_whose_enqueue_was_lost_is_run_by_the_sweeper():
    """The job committed but its message never reached the broker (here: the queue is emptied before any
    worker looks): it stays "pending" until the sweeper enqueues it again."""
    from apps.datarooms.services import bulk_imports_sweep

    _flush_broker()
    world = build_world()
    room = build_room(world)
    archive = zip_bytes([(f"Lost/listing-{i}.csv", b"id,term\n1,rash\n") for i in range(5)])
    response = world.client("member").post(
        "/api/v1/dataroom-imports/", {"room": room.room.pk, "file": SimpleUploadedFile("lost.zip", archive)},
        format="multipart")
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    _flush_broker()  # the enqueue is lost
    worker = _start_worker()
    try:
        time.sleep(2)
        assert BulkImport.objects.get(pk=job_id).status == "pending"
        assert bulk_imports_sweep(pending_after=timedelta(0)) == {"requeued": 1, "failed": 0}
        assert wait_for(lambda: BulkImport.objects.get(pk=job_id).status == "done", timeout=60)
    finally:
        _stop(worker)
    assert Document.objects.filter(room=room.room, folder__name="Lost").count() == 5
