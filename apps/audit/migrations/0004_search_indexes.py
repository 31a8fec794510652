from django.db import migrations

# The console's audit search (apps/audit/admin.py AuditEventAdmin.get_search_results) must use an index at a million
# rows: a trigram index answers "target contains" (the admin's icontains is UPPER(col::text) LIKE UPPER(%s), so the
# index is on that expression), a b-tree answers an exact target id, and (action, id) gives the newest page of one
# action without sorting all of its rows. CONCURRENTLY is not used: migrations run in a
# transaction, and the table is append-only (a short lock on a quiet table is fine).
CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS audit_target_repr_trgm ON audit_auditevent USING gin ((UPPER(target_repr::text)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS audit_target_id_idx ON audit_auditevent (target_id);
CREATE INDEX IF NOT EXISTS audit_action_recent ON audit_auditevent (action, id DESC);
"""
DROP = """
DROP INDEX IF EXISTS audit_target_repr_trgm;
DROP INDEX IF EXISTS audit_target_id_idx;
DROP INDEX IF EXISTS audit_action_recent;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
