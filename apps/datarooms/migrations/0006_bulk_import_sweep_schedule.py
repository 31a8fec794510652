"""Beat schedule of the bulk-import sweeper (every 2 minutes; visible and editable in the admin). Idempotent."""

from django.db import migrations

SWEEP = "datarooms: recover interrupted bulk imports"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_2_minutes = (IntervalSchedule.objects.filter(every=2, period="minutes").first()
                       or IntervalSchedule.objects.create(every=2, period="minutes"))
    PeriodicTask.objects.get_or_create(
        name=SWEEP,
        defaults={"task": "apps.datarooms.tasks.bulk_imports_sweep", "interval": every_2_minutes,
                  "queue": "documents", "enabled": True,
                  "description": "Re-runs bulk imports whose worker died or whose enqueue was lost; fails those "
                                 "that used up their attempts."},
    )
    from django.utils import timezone

    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("datarooms", "0005_bulk_import_lease"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
