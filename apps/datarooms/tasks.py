"""Background work of the data rooms (queue "documents").

Tasks take ids, load by id, call a service, retry transient errors (BaseTask) and record a final failure in
`on_failure`. Each is safe to repeat: the bulk import claims its job with a conditional update and a lease
(bulk_imports_sweep recovers what a dead worker left), the sweeps claim each grant once. The services never
import this module: they send the import task by name (services/imports.py RUN_TASK).
Schedules: migrations/0002_periodic_tasks.py and 0006_bulk_import_sweep_schedule.py (django-celery-beat).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from apps.core.tasks import BaseTask
from apps.datarooms.services import grants, imports

logger = logging.getLogger(__name__)


class BulkImportTask(BaseTask):
    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        """The uploader sees a final state instead of a job stuck in progress."""
        super().on_failure(exc, task_id, args, kwargs, einfo)
        job_id = args[0] if args else kwargs.get("job_id")
        if job_id is not None:
            imports.bulk_import_fail(job_id=int(job_id), reason=type(exc).__name__)


@shared_task(base=BulkImportTask, time_limit=1800, soft_time_limit=1700)
def bulk_import_run_task(job_id: int) -> str:
    """Check every entry of an uploaded archive and import it whole, or refuse it whole."""
    job = imports.bulk_import_run(job_id=int(job_id))
    return job.status if job is not None else "already-claimed"


@shared_task(base=BaseTask, time_limit=120, soft_time_limit=100)
def bulk_imports_sweep() -> dict[str, int]:
    """Every 2 minutes: enqueue again imports whose enqueue was lost or whose worker died (lease expired);
    fail those that used up their attempts. Without it a killed worker's import would wait for the
    broker's one-hour visibility timeout."""
    return imports.bulk_imports_sweep()


@shared_task(base=BaseTask, time_limit=300, soft_time_limit=240)
def grants_sweep() -> dict[str, int]:
    """Hourly: warn partners whose access expires within 3 days; record expired grants in the audit trail.
    (Expiry itself already took effect in every query the moment it passed.)"""
    return {"warned": grants.grants_warn_expiring(days=3), "expired": grants.grants_record_expired()}


# Issue 18: the document scan's tasks, imported here so the worker (which autodiscovers this module) knows them.
from apps.datarooms.scan import tasks as _scan_tasks  # noqa: E402,F401
