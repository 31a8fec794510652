"""Data rooms in the console: overdue access requests and export-gate refusals are queues; compliance officers
alone record export clearances."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.datarooms.models import AccessRequest, ExportClearance
from tests.console.conftest import make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(world):
    return make_room(world.licensor)


def _queue(client, key):
    return next((q for q in client.get(reverse("admin:index")).context["queues"] if q.key == key), None)


def test_access_requests_pending_for_days_are_a_queue(console, moderator, world, room):
    old = AccessRequest.objects.create(room=room, company=world.partner, requested_by=world.other_member,
                                       message="We would like to review the phase 2 data.")
    AccessRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=5))
    other_room = make_room(world.licensor, code_name="LMN-3301")
    AccessRequest.objects.create(room=other_room, company=world.partner, requested_by=world.other_member,
                                 message="Fresh request")
    client = console(moderator)
    queue = _queue(client, "datarooms.overdue_requests")
    assert queue.count == 1
    listed = client.get(queue.url)
    assert [r.pk for r in listed.context["cl"].result_list] == [old.pk]
    assert client.get(reverse("admin:datarooms_accessrequest_change", args=[old.pk])).status_code == 200


def _held_document(room, name="Cohort genotypes.pdf"):
    from apps.datarooms.models import Document, Folder

    folder = Folder.objects.create(room=room, name="Clinical")
    return Document.objects.create(room=room, folder=folder, name=name, is_hgr=True)


def _refused(world, document, code="export_clearance_required"):
    audit_record(action="dataroom.document_refused", actor=world.other_member, target=document,
                 company=world.partner, details={"code": code, "missing": ["hgr"]})


def test_partners_held_at_the_export_gate_are_a_worklist_that_drains_when_cleared(console, compliance_officer,
                                                                                  world, room):
    document = _held_document(room)
    _refused(world, document)
    _refused(world, document)  # asked twice: still one room and company waiting
    _refused(world, document, code="view_only")  # another refusal, not the export gate's
    client = console(compliance_officer)
    queue = _queue(client, "datarooms.export_clearances_requested")
    assert queue.count == 1
    page = client.get(queue.url)
    assert page.status_code == 200
    [row] = page.context["rows"]
    assert (row.room, row.company, row.refusals) == (room, world.partner, 2)
    # The row links to the clearance form, filled in: no raw ids to type.
    form = client.get(row.form_url())
    initial = form.context["adminform"].form.initial
    assert (str(initial["room"]), str(initial["company"]), initial["clearance_type"]) == (
        str(room.pk), str(world.partner.pk), "hgr_approval")
    data = {**_clearance_form(world, room), "clearance_type": initial["clearance_type"]}
    assert client.post(row.form_url(), data).status_code == 302
    assert _queue(client, "datarooms.export_clearances_requested").count == 0
    assert client.get(queue.url).context["rows"] == []


def test_a_clearance_that_does_not_lift_the_gate_leaves_the_partner_waiting(console, compliance_officer, world,
                                                                           room):
    _refused(world, _held_document(room))
    ExportClearance.objects.create(room=room, company=world.partner, clearance_type="standard_contract",
                                   reference="SC-1", valid_until=(timezone.now() + timedelta(days=30)).date())
    assert _queue(console(compliance_officer), "datarooms.export_clearances_requested").count == 1


def test_a_moderator_sees_the_worklist_without_the_record_link(console, moderator, world, room):
    _refused(world, _held_document(room))
    page = console(moderator).get(reverse("admin:console_export_clearances"))
    assert page.status_code == 200
    assert len(page.context["rows"]) == 1
    assert "record-clearance" not in page.content.decode()


def _clearance_form(world, room):
    return {"room": room.pk, "company": world.partner.pk, "clearance_type": "hgr_filing",
            "reference": "HGR-2026-0142", "valid_until": (timezone.now() + timedelta(days=365)).date().isoformat()}


def test_a_compliance_officer_records_an_export_clearance_and_it_is_audited(console, compliance_officer, world,
                                                                          room):
    response = console(compliance_officer).post(reverse("admin:datarooms_exportclearance_add"),
                                                _clearance_form(world, room))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    clearance = ExportClearance.objects.get(reference="HGR-2026-0142")
    assert clearance.recorded_by == compliance_officer
    assert AuditEvent.objects.filter(action="dataroom.clearance_recorded", actor=compliance_officer).exists()


def test_a_moderator_cannot_record_an_export_clearance(console, moderator, world, room):
    client = console(moderator)
    assert client.get(reverse("admin:datarooms_exportclearance_add")).status_code == 403
    assert client.post(reverse("admin:datarooms_exportclearance_add"),
                       _clearance_form(world, room)).status_code == 403
    assert not ExportClearance.objects.exists()


def test_the_role_alone_is_not_enough_without_the_model_permission(console, compliance_officer, world, room):
    from django.contrib.auth.models import Group

    Group.objects.get(name="compliance officer").permissions.filter(codename="add_exportclearance").delete()
    assert console(compliance_officer).get(reverse("admin:datarooms_exportclearance_add")).status_code == 403


def test_grants_requests_and_questions_are_searchable_and_filtered_by_state(console, superuser, world, room):
    from apps.datarooms.models import AccessGrant, Question

    now = timezone.now()
    active = AccessGrant.objects.create(room=room, company=world.partner, granted_by=world.owner,
                                        expires_at=now + timedelta(days=30))
    revoked = AccessGrant.objects.create(room=room, company=world.partner, granted_by=world.owner,
                                         expires_at=now + timedelta(days=30), revoked_at=now)
    expired = AccessGrant.objects.create(room=room, company=world.partner, granted_by=world.owner,
                                         expires_at=now - timedelta(days=1))
    client = console(superuser)

    def listed(name, **params):
        response = client.get(reverse(f"admin:datarooms_{name}_changelist"), params)
        assert response.status_code == 200
        return [obj.pk for obj in response.context["cl"].result_list]

    assert listed("accessgrant", state="active") == [active.pk]
    assert listed("accessgrant", state="revoked") == [revoked.pk]
    assert listed("accessgrant", state="expired") == [expired.pk]
    assert len(listed("accessgrant", q="Northbridge")) == 3
    assert listed("accessgrant", q="Nobody Ltd") == []
    request = AccessRequest.objects.create(room=room, company=world.partner, requested_by=world.other_member,
                                           message="Please")
    assert listed("accessrequest", q="Northbridge") == [request.pk]
    asked = Question.objects.create(room=room, company=world.partner, asked_by=world.other_member,
                                    text="What was the ORR in cohort B?")
    answered = Question.objects.create(room=room, company=world.partner, asked_by=world.other_member,
                                       text="Dosing?", answer="Q3W", answered_at=now)
    assert listed("question", answered="no") == [asked.pk]
    assert listed("question", answered="yes") == [answered.pk]
    assert listed("question", q="cohort B") == [asked.pk]


def test_the_demo_has_a_partner_waiting_at_the_export_gate(db):
    import io

    from django.core.management import call_command

    from apps.console.clearances import waiting_clearances

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent: still one refusal
    [row] = waiting_clearances()
    assert row.company.name_en.startswith("Northbridge") and row.refusals == 1
