"""The beat schedules exist once (data migration, idempotent); the admin lists without N+1 queries."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from apps.notifications.delivery import event_deliver
from apps.notifications.models import EventStatus, OutboxEvent
from apps.notifications.services import notify
from tests.notifications.conftest import make_people

pytestmark = pytest.mark.django_db

schedules = importlib.import_module("apps.notifications.migrations.0002_periodic_tasks")


def test_sweeper_and_digest_are_scheduled_once_even_if_the_migration_runs_again():
    schedules.create_schedules(apps, None)
    schedules.create_schedules(apps, None)
    tasks = {task.name: task for task in PeriodicTask.objects.filter(name__startswith="notifications:")}
    assert set(tasks) == {schedules.SWEEPER, schedules.DIGEST}
    assert tasks[schedules.SWEEPER].task == "apps.notifications.tasks.sweep_outbox"
    assert tasks[schedules.SWEEPER].interval is not None
    assert tasks[schedules.DIGEST].task == "apps.notifications.tasks.send_daily_digests"
    assert tasks[schedules.DIGEST].crontab is not None
    assert all(task.queue == "notifications" for task in tasks.values())


def test_scheduled_task_names_are_real_tasks():
    from config.celery_app import app

    app.loader.import_default_modules()
    for name in ("apps.notifications.tasks.sweep_outbox", "apps.notifications.tasks.send_daily_digests",
                 "apps.notifications.tasks.deliver_event"):
        assert name in app.tasks


def _changelist_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_admin_lists_outbox_and_notifications_without_n_plus_1(world):
    client = _console()
    few = _changelist_queries(client, "/admin/notifications/outboxevent/")
    people = make_people(30, company=world.licensor)
    for person in people[:10]:
        event_deliver(event_id=notify(kind="membership.role_changed", recipients=[person], actor=world.owner,
                                      target=world.licensor, context={"company": "L", "role": "admin"}).pk)
    OutboxEvent.objects.filter(pk=OutboxEvent.objects.first().pk).update(status=EventStatus.FAILED,
                                                                        last_error="SMTP down")
    assert _changelist_queries(client, "/admin/notifications/outboxevent/") <= few + 2
    failed = client.get("/admin/notifications/outboxevent/?status__exact=failed")
    assert b"SMTP down" in failed.content
    first = _changelist_queries(client, "/admin/notifications/notification/")
    for person in people[10:]:
        event_deliver(event_id=notify(kind="membership.role_changed", recipients=[person], target=world.licensor,
                                      context={"company": "L", "role": "admin"}).pk)
    assert _changelist_queries(client, "/admin/notifications/notification/") == first


def test_staff_find_emails_in_doubt_in_the_console(world):
    from apps.notifications.models import EmailStatus, Notification

    event = notify(kind="membership.role_changed", recipients=[world.member], target=world.licensor,
                   context={"company": "L", "role": "admin"})
    Notification.objects.create(event=event, recipient=world.member, kind=event.kind, title="In doubt",
                                language="en", email_status=EmailStatus.UNKNOWN)
    page = _console().get("/admin/notifications/notification/?email_status__exact=unknown")
    assert page.status_code == 200
    assert b"In doubt" in page.content
    assert b"Unknown: the sending worker stopped" in page.content


def _console():
    """A superuser's client past the console's two-factor sign-in."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_retrying_a_failed_delivery_puts_it_back_and_is_on_the_record(world, django_capture_on_commit_callbacks):
    from apps.audit.models import AuditEvent

    event = notify(kind="membership.role_changed", recipients=[world.member], actor=world.owner,
                   target=world.licensor, context={"company": "L", "role": "admin"})
    OutboxEvent.objects.filter(pk=event.pk).update(status=EventStatus.FAILED, last_error="SMTP down", attempts=5)
    client = _console()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/notifications/outboxevent/",
                               {"action": "retry_delivery", "_selected_action": [event.pk]}, follow=True)
    assert response.status_code == 200
    assert b"1 event enqueued again." in response.content
    event.refresh_from_db()
    assert event.status == EventStatus.PENDING  # queued for a worker again (no worker runs in this test)
    record = AuditEvent.objects.get(action="notifications.delivery_retried")
    assert record.target_id == str(event.pk)
    assert record.details["previous_status"] == EventStatus.FAILED and record.details["attempts"] == 5
