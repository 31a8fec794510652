"""The notification schedules, in django-celery-beat so staff can see and change them in the admin.

Idempotent: re-running creates nothing twice (schedules are looked up, tasks are keyed by name), and a
schedule staff changed in the admin is left as they set it.

To add a schedule later (grant expiry, milestone reminders), write a data migration in your own app
like this one: get_or_create an IntervalSchedule or CrontabSchedule, then get_or_create a PeriodicTask
with a unique name, the task's dotted name and its queue.
"""

from django.db import migrations

SWEEPER = "notifications: sweep the outbox"
DIGEST = "notifications: daily digest"


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")

    every_two_minutes = IntervalSchedule.objects.filter(every=2, period="minutes").first()
    if every_two_minutes is None:
        every_two_minutes = IntervalSchedule.objects.create(every=2, period="minutes")
    daily = CrontabSchedule.objects.filter(minute="0", hour="7", day_of_week="*", day_of_month="*",
                                           month_of_year="*", timezone="UTC").first()
    if daily is None:
        daily = CrontabSchedule.objects.create(minute="0", hour="7", day_of_week="*", day_of_month="*",
                                               month_of_year="*", timezone="UTC")
    PeriodicTask.objects.get_or_create(
        name=SWEEPER,
        defaults={"task": "apps.notifications.tasks.sweep_outbox", "interval": every_two_minutes,
                  "queue": "notifications", "enabled": True,
                  "description": "Re-enqueues notification events still undelivered after a minute."},
    )
    PeriodicTask.objects.get_or_create(
        name=DIGEST,
        defaults={"task": "apps.notifications.tasks.send_daily_digests", "crontab": daily,
                  "queue": "notifications", "enabled": True,
                  "description": "One e-mail per person with the notifications that waited for the digest."},
    )
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    # Tell a running beat that the schedule changed.
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[SWEEPER, DIGEST]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
