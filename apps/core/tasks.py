"""The one base class of every Celery task in apps/ (`@shared_task(base=BaseTask, ...)`).

The options follow Celery's task guide for work that must not be lost and may run twice:
- acks_late + reject_on_worker_lost: the message is acknowledged only after the task returns, and goes back
  to the queue when the worker process dies mid-task (so every task must be idempotent: take ids, claim work
  with a conditional update or a unique row).
- autoretry_for TRANSIENT_ERRORS with exponential backoff and jitter (5 s, 10 s, ... at most 10 minutes,
  5 retries): a database restart or a broker hiccup is retried, a bug is not.
- time limits: the hard limit kills a stuck task, the soft one (raised first) lets it clean up. A task that
  needs longer says so in its decorator.
A task that fails for good is logged by `on_failure`; a task with a record to mark (an outbox row, an import
job) subclasses BaseTask or passes its own `on_failure=`.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger("apps.tasks")

# Errors that say "try again later", not "this is wrong": the database or the broker was briefly away.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


class BaseTask(Task):
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 5
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5
    time_limit = 300
    soft_time_limit = 240

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        logger.error("task %s%s failed for good: %s", self.name, tuple(args or ()), exc)
