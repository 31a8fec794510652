"""Celery tasks of the notifications queue (config/celery_app.py routes apps.notifications.tasks.*).

Every task takes ids (JSON only) and runs on apps.core.tasks.BaseTask (late acks, requeue on a lost worker,
time limits, retries of transient errors with exponential backoff; here SMTP errors count as transient too).
A delivery that finally fails is recorded on its outbox row (status "failed", last_error)
and picked up again by the sweeper.

Periodic schedules live in django-celery-beat (see migrations/0002_periodic_tasks.py).
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings

from apps.core.tasks import TRANSIENT_ERRORS, BaseTask
from apps.notifications import delivery

logger = logging.getLogger(__name__)


class NotificationTask(BaseTask):
    """BaseTask, and a refused SMTP conversation is transient too: the mail server comes back."""

    autoretry_for = (*TRANSIENT_ERRORS, smtplib.SMTPException)


class OutboxTask(NotificationTask):
    """Records each failed or retried attempt on the outbox row, where staff see it in the admin."""

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        event_id = args[0] if args else kwargs.get("event_id")
        if event_id is not None:
            delivery.event_record_failure(event_id=int(event_id), error=f"{type(exc).__name__}: {exc}", final=True)

    def on_retry(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        event_id = args[0] if args else kwargs.get("event_id")
        if event_id is not None:
            delivery.event_record_failure(event_id=int(event_id), error=f"{type(exc).__name__}: {exc} (retrying)",
                                          final=False)


@shared_task(base=OutboxTask, time_limit=600, soft_time_limit=540)
def deliver_event(event_id: int) -> str:
    """Fan one outbox event out to its recipients and send its e-mails. Safe to run twice."""
    return delivery.event_deliver(event_id=int(event_id))


# Publishing gives up quickly when the broker is unreachable: the sweeper is the retry, not the request.
_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def enqueue_delivery(event_id: int) -> bool:
    """Ask a worker to deliver `event_id` (notify() calls it after commit). Never raises: on a broker error the
    sweeper enqueues it later."""
    try:
        deliver_event.apply_async(args=[event_id], retry=True, retry_policy=_PUBLISH_RETRY_POLICY)
    except Exception:
        logger.warning("notification event %s not enqueued (broker unavailable?); the sweeper will retry",
                       event_id, exc_info=True)
        return False
    return True


def outbox_sweep(*, older_than: timedelta | None = None, limit: int = 500) -> int:
    """Enqueue every event still undelivered after `older_than` (default NOTIFICATIONS_SWEEP_AFTER_SECONDS) and
    mark e-mails whose claim expired "unknown". Lives beside the task it enqueues, so that delivery never
    imports the tasks that import it."""
    if older_than is None:
        older_than = timedelta(seconds=int(getattr(settings, "NOTIFICATIONS_SWEEP_AFTER_SECONDS", 60)))
    delivery.emails_mark_unknown()
    enqueued = 0
    for event_id in delivery.undelivered_event_ids(older_than=older_than, limit=limit):
        if enqueue_delivery(event_id):
            enqueued += 1
    return enqueued


@shared_task(base=NotificationTask, time_limit=120, soft_time_limit=100)
def sweep_outbox(older_than_seconds: int | None = None, limit: int = 500) -> int:
    """Periodic: re-enqueue events still undelivered (broker down at commit, worker lost, failed)."""
    older_than = timedelta(seconds=older_than_seconds) if older_than_seconds is not None else None
    return outbox_sweep(older_than=older_than, limit=int(limit))


@shared_task(base=NotificationTask, time_limit=1800, soft_time_limit=1700)
def send_daily_digests() -> int:
    """Periodic (daily): one e-mail per person with what waited for their digest."""
    return delivery.digests_send()
