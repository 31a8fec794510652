"""Bulk import: a folder tree uploaded as a zip, checked at once for its layout, imported in the background whole
or not at all. The worker claims a job with a conditional update and a lease; the beat sweeper re-runs what a
dead worker left or whose enqueue was lost, and fails a job that kept killing its worker."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import Any, BinaryIO

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.core.authz import require_permission
from apps.core.errors import ValidationFailed
from apps.core.leases import stale_q, sweep_leased

from .. import audit_actions as A
from .. import storage
from ..access import CONTRIBUTE
from ..files import UploadRefused
from ..files.gate import inspect_bulk
from ..models import BulkImport, BulkImportStatus, DataRoom, Document, Folder
from .common import upload_limits
from .documents import inspect_or_refuse, version_create
from .rooms import folder_get_or_create

logger = logging.getLogger(__name__)

# The task that runs a job (apps/datarooms/tasks.py), sent by name: the tasks call these services, never the
# other way round. Celery resolves the name through its registry, so eager mode (make run) runs it in-process.
RUN_TASK = "apps.datarooms.tasks.bulk_import_run_task"


def _enqueue_run(job_id: int) -> None:
    current_app.signature(RUN_TASK, args=(job_id,)).delay()


def bulk_import_create(*, actor: Any, room: DataRoom, parent: Folder | None, f: BinaryIO,
                       filename: str | None) -> BulkImport:
    """Check the archive's layout now (refused at once, nothing stored), keep it, import in the background."""
    require_permission(actor, CONTRIBUTE, room)
    if parent is not None and parent.room_id != room.pk:
        raise ValidationFailed(_("The folder belongs to another data room."), code="wrong_room",
                               fields={"parent": [_("Not in this data room.")]})
    inspected = inspect_or_refuse(actor=actor, room=room, f=f, filename=filename, bulk=True)
    name = storage.store(f, room.public_id)
    try:
        with transaction.atomic():
            job = BulkImport.objects.create(room=room, parent=parent, original_name=inspected.name, storage_name=name,
                                            size=inspected.size, total_files=len(inspected.zip_plan.files),
                                            uploaded_by=actor)
            audit_record(action=A.BULK_IMPORT_QUEUED, actor=actor, target=job, company=room.owner_company,
                         details={"files": job.total_files, "size": job.size})
            transaction.on_commit(partial(_enqueue_run, job.pk))
    except BaseException:
        storage.delete_quietly(name)
        raise
    return job


def bulk_import_run(*, job_id: int) -> BulkImport | None:
    """Import a queued archive whole or not at all. Safe to repeat: the job is claimed with a conditional update
    and a lease; a job still running under another worker's lease is left alone."""
    if not _bulk_import_claim(job_id):
        return None
    job = BulkImport.objects.select_related("room", "parent", "uploaded_by").get(pk=job_id)
    room = job.room
    stored: list[str] = []
    try:
        def progress(done: int) -> None:
            # Outside any transaction: the uploader polls this while the archive is being checked.
            if done == job.total_files or done % 10 == 0:
                BulkImport.objects.filter(pk=job.pk).update(processed_files=done)

        with storage.local_copy(job.storage_name) as archive, inspect_bulk(
            archive, filename=job.original_name, limits=upload_limits(), progress=progress
        ) as bulk, transaction.atomic():
            folders: dict[tuple[str, ...], Folder | None] = {(): job.parent}
            for path in bulk.folders:
                folders[path] = folder_get_or_create(room=room, parent=folders[path[:-1]], name=path[-1])
            created = 0
            for entry in bulk.entries:
                folder = folders[entry.path[:-1]]
                if folder is None:
                    folder = folder_get_or_create(room=room, parent=None, name="Imported")
                if Document.objects.filter(folder=folder, name=entry.file.name).exists():
                    raise UploadRefused("zip_duplicate_name", detail=f"{'/'.join(entry.path)} already exists")
                document = Document.objects.create(room=room, folder=folder, name=entry.file.name,
                                                   created_by=job.uploaded_by)
                version_create(document=document, inspected=entry.file, f=entry.data, actor=job.uploaded_by,
                               number=1, stored=stored)
                created += 1
            BulkImport.objects.filter(pk=job.pk).update(status=BulkImportStatus.DONE, created_documents=created,
                                                        finished_at=timezone.now())
            audit_record(action=A.BULK_IMPORT_DONE, actor=job.uploaded_by, target=job,
                         company=room.owner_company, details={"documents": created})
    except UploadRefused as refused:
        for name in stored:
            storage.delete_quietly(name)
        BulkImport.objects.filter(pk=job.pk).update(status=BulkImportStatus.FAILED, error_code=refused.code,
                                                    error_detail=refused.detail[:400], finished_at=timezone.now())
        audit_record(action=A.BULK_IMPORT_REFUSED, actor=job.uploaded_by, target=job, company=room.owner_company,
                     details={"code": refused.code, "detail": refused.detail[:300]})
    except BaseException:
        for name in stored:
            storage.delete_quietly(name)
        BulkImport.objects.filter(pk=job.pk).update(status=BulkImportStatus.PENDING)  # let a retry claim it
        raise
    storage.delete_quietly(job.storage_name)
    job.refresh_from_db()
    return job


def bulk_import_lease() -> timedelta:
    """How long one claim lasts: longer than the task's hard time limit (1,800 s), so a live worker never
    loses its job to the sweeper; past it, the worker is known to be gone."""
    return timedelta(seconds=int(getattr(settings, "DATAROOMS_IMPORT_LEASE_SECONDS", 1900)))


def bulk_import_max_attempts() -> int:
    return int(getattr(settings, "DATAROOMS_IMPORT_MAX_ATTEMPTS", 3))


def _bulk_import_claim(job_id: int) -> bool:
    """pending (or running past its lease) → running under a new lease, counting the attempt. One worker wins."""
    now = timezone.now()
    claimable = Q(status=BulkImportStatus.PENDING) | Q(status=BulkImportStatus.RUNNING, claimed_until__lt=now)
    return bool(BulkImport.objects.filter(claimable, pk=job_id, attempts__lt=bulk_import_max_attempts()).update(
        status=BulkImportStatus.RUNNING, claimed_until=now + bulk_import_lease(), attempts=F("attempts") + 1))


def bulk_imports_sweep(*, pending_after: timedelta | None = None) -> dict[str, int]:
    """Beat: nothing stays "pending" or "running" for ever. A job pending for longer than `pending_after`
    (its enqueue was lost) or running past its lease (its worker died: the import's transaction rolled back)
    is enqueued again; one that has used DATAROOMS_IMPORT_MAX_ATTEMPTS claims is failed (an archive that
    kills its worker every time), audited, with the reason the uploader reads."""
    now = timezone.now()
    pending_after = pending_after if pending_after is not None else timedelta(
        seconds=int(getattr(settings, "DATAROOMS_IMPORT_SWEEP_AFTER_SECONDS", 60)))
    stale = stale_q(pending=BulkImportStatus.PENDING, running=BulkImportStatus.RUNNING, now=now,
                    pending_after=pending_after)

    def give_up(job: BulkImport) -> bool:
        with transaction.atomic():
            if not BulkImport.objects.filter(stale, pk=job.pk).update(
                    status=BulkImportStatus.FAILED, error_code="import_interrupted", finished_at=now,
                    error_detail=f"The import stopped {job.attempts} times before it could finish."):
                return False
            audit_record(action=A.BULK_IMPORT_REFUSED, actor=None, target=job, company=job.room.owner_company,
                         details={"code": "import_interrupted", "attempts": job.attempts})
        storage.delete_quietly(job.storage_name)
        return True

    return sweep_leased(BulkImport.objects.filter(stale).select_related("room__owner_company", "uploaded_by"),
                        pending=BulkImportStatus.PENDING, running=BulkImportStatus.RUNNING, now=now, stale=stale,
                        max_attempts=bulk_import_max_attempts(), give_up=give_up, enqueue=_enqueue_run,
                        logger=logger, label="bulk import")


def bulk_import_fail(*, job_id: int, reason: str) -> None:
    """Called when the task gives up: the uploader sees a final state instead of a job stuck in progress."""
    BulkImport.objects.filter(pk=job_id).exclude(status=BulkImportStatus.DONE).update(
        status=BulkImportStatus.FAILED, error_code="import_failed", error_detail=reason[:400],
        finished_at=timezone.now())
