"""Meeting reminders in django-celery-beat (visible and editable in the admin). Idempotent."""

from django.db import migrations

SWEEP = "partnering: meeting reminders 24 h and 1 h before"


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_5 = IntervalSchedule.objects.filter(every=5, period="minutes").first() or IntervalSchedule.objects.create(
        every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEP,
        defaults={"task": "apps.partnering.tasks.meetings_remind_sweep", "interval": every_5, "queue": "default",
                  "enabled": True,
                  "description": "Reminds participants 24 hours and 1 hour before a confirmed meeting."},
    )
    from django.utils import timezone

    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnering", "0002_postgres_constraints_and_search"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
