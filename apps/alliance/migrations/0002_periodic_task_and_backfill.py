"""The alliance's daily sweep in django-celery-beat (editable in the admin), and an alliance for every agreement
executed before this app existed. Idempotent."""

from django.db import migrations

SWEEP = "alliance: reminders and overdue obligations"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    fields = dict(minute="45", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC")
    schedule = CrontabSchedule.objects.filter(**fields).first() or CrontabSchedule.objects.create(**fields)
    PeriodicTask.objects.get_or_create(
        name=SWEEP,
        defaults={"task": "apps.alliance.tasks.sweep", "crontab": schedule, "queue": "default", "enabled": True,
                  "description": "Reminds of action items due within 7 days and obligations within 30; raises "
                                 "overdue obligations."})
    Agreement = apps.get_model("agreements", "Agreement")
    Alliance = apps.get_model("alliance", "Alliance")
    for agreement_id in Agreement.objects.filter(status__in=["executed", "active", "terminated", "expired"],
                                                 executed_version__isnull=False).values_list("pk", flat=True):
        Alliance.objects.get_or_create(agreement_id=agreement_id)


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0001_initial"),
        ("agreements", "0002_periodic_tasks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
