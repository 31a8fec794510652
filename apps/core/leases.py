"""Work claimed under a lease (a document scan, a bulk import): the beat's sweep, written once.

A job row has `status` (pending, running, ...), `created_at`, `claimed_until` (the running worker's lease) and
`attempts` (claims so far). The sweep queues again a job pending longer than `pending_after` (its enqueue was
lost) or running past its lease (its worker died), and gives up on one that used its attempts (work that kills
its worker every time): each app says how to give up (fail, audit, clean up) and how to enqueue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import Q


def stale_q(*, pending: str, running: str, now: datetime, pending_after: timedelta) -> Q:
    """Jobs pending since before `now - pending_after`, or running past their lease."""
    return Q(status=pending, created_at__lt=now - pending_after) | Q(status=running, claimed_until__lt=now)


def sweep_leased(jobs: models.QuerySet, *, pending: str, running: str, now: datetime, stale: Q, max_attempts: int,
                 give_up: Callable[[Any], bool], enqueue: Callable[[int], None], logger: logging.Logger,
                 label: str) -> dict[str, int]:
    """Sweep `jobs` (already filtered by `stale`): `give_up(job)` those with `max_attempts` claims (it returns
    whether it failed the job: a conditional update may find it already moved), put a running job past its
    lease back to pending (conditionally: a live claim is never taken away), enqueue the rest. A broker that
    is away is logged and retried at the next sweep. Returns {"requeued": n, "failed": n}."""
    model = jobs.model
    counts = {"requeued": 0, "failed": 0}
    for job in jobs:
        if job.attempts >= max_attempts:
            if give_up(job):
                counts["failed"] += 1
            continue
        if job.status == running and not model.objects.filter(
                pk=job.pk, status=running, claimed_until__lt=now).update(status=pending):
            continue
        try:
            enqueue(job.pk)
        except Exception:
            logger.warning("%s %s not enqueued (broker unavailable?); the next sweep retries", label, job.pk,
                           exc_info=True)
            continue
        counts["requeued"] += 1
    return counts
