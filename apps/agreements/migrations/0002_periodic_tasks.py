"""Agreement schedules in django-celery-beat (visible and editable in the admin). Idempotent."""

from django.db import migrations

REMINDERS = "agreements: milestone and JSC reminders"
STATES = "agreements: activate and expire agreements"


def _daily(apps, hour):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    fields = dict(minute="30", hour=str(hour), day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC")
    schedule = CrontabSchedule.objects.filter(**fields).first()
    return schedule or CrontabSchedule.objects.create(**fields)


def create_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.get_or_create(
        name=STATES,
        defaults={"task": "apps.agreements.tasks.update_agreement_states", "crontab": _daily(apps, 0),
                  "queue": "default", "enabled": True,
                  "description": "Executed agreements become active on their effective date; ended terms expire."},
    )
    PeriodicTask.objects.get_or_create(
        name=REMINDERS,
        defaults={"task": "apps.agreements.tasks.send_due_reminders", "crontab": _daily(apps, 6),
                  "queue": "default", "enabled": True,
                  "description": "Reminds the parties of milestones due within 14 days and JSC meetings within 7."},
    )
    from django.utils import timezone

    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[REMINDERS, STATES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
