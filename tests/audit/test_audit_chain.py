"""The audit trail is append-only and tamper-evident."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from apps.audit.models import AuditEvent
from apps.audit.services import audit_chain_verify, audit_record


@pytest.fixture
def events(world):
    return [audit_record(action="test.event", actor=world.owner, target=world.licensor, details={"n": n})
            for n in range(5)]


@pytest.mark.django_db
class TestChain:
    def test_each_event_links_to_its_predecessor(self, events):
        for previous, current in itertools.pairwise(events):
            assert current.prev_hash == previous.hash
        assert audit_chain_verify() == (AuditEvent.objects.count(), None)

    def test_the_event_records_who_from_where(self, world, events):
        event = events[0]
        assert event.actor == world.owner
        assert event.actor_company == world.licensor
        assert event.target_type == "companies.company"
        assert event.target_id == str(world.licensor.pk)

    def test_the_database_refuses_updates(self, events):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=events[0].pk).update(action="forged")

    def test_the_database_refuses_deletes(self, events):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=events[1].pk).delete()

    def test_verify_audit_chain_names_the_first_broken_link(self, events, capsys):
        call_command("verify_audit_chain")
        assert "intact" in capsys.readouterr().out
        # Someone with database superpowers edits a row behind the trigger's back.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off, superuser only
            cursor.execute("UPDATE audit_auditevent SET details = '{\"n\": 99}' WHERE id = %s", [events[2].pk])
            cursor.execute("SET LOCAL session_replication_role = origin")
        with pytest.raises(CommandError, match=f"id={events[2].pk}"):
            call_command("verify_audit_chain")
