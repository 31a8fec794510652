"""Export clearances are recorded by compliance officers alone, in the admin, and audited."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.console.roles import COMPLIANCE_OFFICER
from apps.datarooms.models import ExportClearance
from tests.datarooms.rooms import build_room

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    return request


def test_only_compliance_officers_record_clearances(world):
    model_admin = admin.site._registry[ExportClearance]
    staff = world.staff
    assert model_admin.has_view_permission(_request(staff))
    assert not model_admin.has_add_permission(_request(staff))
    staff.groups.add(Group.objects.get_or_create(name=COMPLIANCE_OFFICER)[0])
    from apps.accounts.models import User

    officer = User.objects.get(pk=staff.pk)  # permissions are cached on the instance: re-fetch
    assert model_admin.has_add_permission(_request(officer))


def test_recorded_clearance_names_its_officer_and_is_audited(world):
    room = build_room(world, grant="download")
    model_admin = admin.site._registry[ExportClearance]
    clearance = ExportClearance(room=room.room, company=world.partner, clearance_type="hgr_filing",
                                reference="HGR-2026-0042", valid_until=timezone.now().date() + timedelta(days=30))
    model_admin.save_model(_request(world.staff), clearance, form=None, change=False)
    assert clearance.recorded_by == world.staff
    event = AuditEvent.objects.get(action="dataroom.clearance_recorded")
    assert event.details["reference"] == "HGR-2026-0042"
    assert world.client("other_member").get(f"/api/v1/dataroom-documents/{room.genome.pk}/view/").status_code == 200


def test_data_room_pages_are_read_only_for_staff(world):
    from django.contrib.auth.models import Group

    from apps.console.roles import COMPLIANCE_OFFICER
    from apps.datarooms.models import AccessGrant, DataRoom, Document

    officer = world.staff.__class__.objects.get(pk=world.staff.pk)
    for model in (DataRoom, Document, AccessGrant):
        # A staff account without a role sees nothing (fail closed) ...
        assert not admin.site._registry[model].has_view_permission(_request(world.staff))
    officer.groups.add(Group.objects.get(name=COMPLIANCE_OFFICER))
    officer = officer.__class__.objects.get(pk=officer.pk)  # permissions are cached per instance
    for model in (DataRoom, Document, AccessGrant):
        # ... a compliance officer reads, but nobody edits the rooms' contents from the admin.
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(_request(officer))
        assert not model_admin.has_change_permission(_request(officer))
        assert not model_admin.has_delete_permission(_request(officer))
