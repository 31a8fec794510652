"""Issue 18: every document's current version gets a pending scan (the sweeper queues them), and the scan
sweeper's beat schedule (every 2 minutes; visible and editable in the admin). Idempotent."""

from django.db import migrations

SWEEP = "datarooms: recover interrupted document scans"


def backfill_and_schedule(apps, schema_editor):
    Document = apps.get_model("datarooms", "Document")
    DocumentScan = apps.get_model("datarooms", "DocumentScan")
    have = set(DocumentScan.objects.values_list("version_id", flat=True))
    DocumentScan.objects.bulk_create([
        DocumentScan(version_id=version_id, document_id=document_id)
        for document_id, version_id in Document.objects.filter(current_version__isnull=False)
        .values_list("id", "current_version_id") if version_id not in have
    ], batch_size=500)

    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_2_minutes = (IntervalSchedule.objects.filter(every=2, period="minutes").first()
                       or IntervalSchedule.objects.create(every=2, period="minutes"))
    PeriodicTask.objects.get_or_create(
        name=SWEEP,
        defaults={"task": "apps.datarooms.scan.tasks.document_scans_sweep", "interval": every_2_minutes,
                  "queue": "documents", "enabled": True,
                  "description": "Queues again document scans whose worker died or whose enqueue was lost (and the "
                                 "scans of documents stored before scanning existed); fails those that used up "
                                 "their attempts."},
    )
    from django.utils import timezone

    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("datarooms", "0007_document_scan"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(backfill_and_schedule, remove_schedule)]
