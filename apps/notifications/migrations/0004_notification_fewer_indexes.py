# Drops the three single-column indexes Django made for Notification's foreign keys (see the model). Only the
# indexes go: a plain AlterField would also drop and re-add each foreign-key constraint, which re-checks every
# row of a large table under lock. The names are the ones Django gave them (the same on PostgreSQL and SQLite).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

_INDEXES = [
    ("notifications_notification_event_id_28551f97", "event_id"),
    ("notifications_notification_recipient_id_d055f3f0", "recipient_id"),
    ("notifications_notification_target_type_id_24f86f16", "target_type_id"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('notifications', '0003_email_claim_unknown'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "notifications_notification" ("{column}")',
                )
                for name, column in _INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='notification',
                    name='event',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='notifications.outboxevent', verbose_name='event'),
                ),
                migrations.AlterField(
                    model_name='notification',
                    name='recipient',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='recipient'),
                ),
                migrations.AlterField(
                    model_name='notification',
                    name='target_type',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype', verbose_name='target type'),
                ),
            ],
        ),
    ]
