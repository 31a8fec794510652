"""PostgreSQL only: nobody double-booked, and indexed search words for calls.

* btree_gist lets one GiST index compare a person (or an event room) by equality and a time range by overlap:
  two exclusion constraints on partnering_booking refuse a second booking of the same person, or of the same
  room of an event, for an overlapping time, whatever the concurrency.
* calls get the same generated tsvector over their search words as assets (apps/core/search.py).
SQLite (`make run`) has neither: the services' own checks are all it gets.
"""

from django.db import migrations

from apps.core.search import token_column_sql

CONSTRAINTS = [
    ("booking_person_no_overlap",
     "EXCLUDE USING gist (user_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (user_id IS NOT NULL)"),
    ("booking_room_no_overlap",
     "EXCLUDE USING gist (event_id WITH =, room WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
     "WHERE (event_id IS NOT NULL AND user_id IS NULL)"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, definition in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE partnering_booking ADD CONSTRAINT {name} {definition}")
    for statement in token_column_sql("partnering_callforassets"):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE partnering_booking DROP CONSTRAINT IF EXISTS {name}")
    schema_editor.execute("ALTER TABLE partnering_callforassets DROP COLUMN IF EXISTS search_tokens")


class Migration(migrations.Migration):
    dependencies = [("partnering", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
