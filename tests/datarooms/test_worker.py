"""The bulk import through a real Celery worker on real Redis: queued after commit, run once, progress readable."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from apps.datarooms.models import BulkImport, Document
from tests.conftest import build_world
from tests.datarooms.hostile import good_pdf, zip_bytes
from tests.datarooms.rooms import build_room

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


def _wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


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
    done = _wait_for(lambda: BulkImport.objects.get(pk=job_id).status in ("done", "failed"))
    assert done, "the worker did not finish the import"
    job = BulkImport.objects.get(pk=job_id)
    assert (job.status, job.created_documents, job.processed_files) == ("done", 13, 13)
    assert Document.objects.filter(room=room.room, folder__name="Safety").count() == 13
    progress = world.client("member").get(f"/api/v1/dataroom-imports/{job_id}/").json()
    assert progress["status"] == "done" and progress["processed_files"] == 13
