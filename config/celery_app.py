"""The Celery application. Queues: `notifications` stays fast; bulk work goes to `documents`."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("gpc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in ("default", "notifications", "documents")]
app.conf.task_routes = {
    "apps.notifications.tasks.*": {"queue": "notifications"},
    "apps.datarooms.tasks.*": {"queue": "documents"},
    "apps.datarooms.scan.tasks.*": {"queue": "documents"},  # issue 18: the document scan
}
app.autodiscover_tasks()
