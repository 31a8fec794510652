"""Data-room schedule in django-celery-beat (visible and editable in the admin). Idempotent."""

from django.db import migrations

SWEEP = "datarooms: grant expiry warnings and expiry records"


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly = IntervalSchedule.objects.filter(every=1, period="hours").first() or IntervalSchedule.objects.create(
        every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name=SWEEP,
        defaults={"task": "apps.datarooms.tasks.grants_sweep", "interval": hourly, "queue": "documents",
                  "enabled": True,
                  "description": "Warns partners 3 days before their data-room access expires; records expiries."},
    )
    from django.utils import timezone

    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("datarooms", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
