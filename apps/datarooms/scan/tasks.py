"""Background work of the document scan (queue "documents"; issue 18).

The task takes the scan's id, claims it with a conditional update and a lease (scan/services.py), and is safe to
repeat: a scan already finished or running under a live lease is left alone. The sweeper (beat, every 2 minutes:
migrations/0008_document_scan_backfill_and_sweep.py) queues again what a dead worker or a lost enqueue left.
Imported by apps/datarooms/tasks.py so the worker registers it.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from apps.core.tasks import BaseTask
from apps.datarooms.scan import services

logger = logging.getLogger(__name__)


def _scan_failed(self: Any, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
    logger.error("document scan %s failed for good: %s", args, exc)
    scan_id = args[0] if args else kwargs.get("scan_id")
    if scan_id is not None:
        services.document_scan_fail(scan_id=int(scan_id), reason=type(exc).__name__)


@shared_task(on_failure=_scan_failed, time_limit=1800, soft_time_limit=1700, base=BaseTask)
def document_scan_task(scan_id: int) -> str:
    """Read one document version and record what it carries (counts and masked samples)."""
    scan = services.document_scan_run(scan_id=int(scan_id))
    return scan.status if scan is not None else "already-claimed"


@shared_task(time_limit=120, soft_time_limit=100, base=BaseTask)
def document_scans_sweep() -> dict[str, int]:
    """Every 2 minutes: queue again scans whose enqueue was lost or whose worker died (lease expired); fail those
    that used up their attempts. Until then the gate holds their documents."""
    return services.scans_sweep()
