"""Every admin list: search and filters on the foundation's models, and no query per row on any list page."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.audit.services import audit_record
from apps.companies import services
from apps.datarooms.models import AccessGrant, AccessRequest, ExportClearance
from apps.notifications.models import OutboxEvent
from tests.conftest import build_world
from tests.console.conftest import make_room
from tests.factories import CompanyFactory, UserFactory, add_member

FOUNDATION_APPS = {"accounts", "companies", "audit"}


def _registered(app_labels=None):
    return [
        (model, model_admin) for model, model_admin in admin.site._registry.items()
        if app_labels is None or model._meta.app_label in app_labels
    ]


@pytest.mark.parametrize("model,model_admin", _registered(FOUNDATION_APPS),
                         ids=lambda v: getattr(getattr(v, "_meta", None), "label", ""))
def test_foundation_lists_have_search_and_filters(model, model_admin):
    assert model_admin.search_fields, f"{model._meta.label} has no search"
    assert model_admin.list_filter, f"{model._meta.label} has no filters"


def _grow(world, n):
    """More rows of every foundation kind: companies with members, invitations, audit events."""
    for i in range(n):
        company = CompanyFactory(name_en=f"Grown Bio {world.licensor.pk}-{i}")
        person = UserFactory()
        add_member(company, person, "owner")
        services.invitation_create(actor=world.owner, company=world.licensor, email=f"new{i}@lumina.test",
                                   role="member")
        audit_record(action="test.grown", actor=person, target=company, company=company)
        room = make_room(world.licensor, code_name=f"LMN-{company.pk}")
        request = AccessRequest.objects.create(room=room, company=company, requested_by=person, message="Please")
        AccessGrant.objects.create(room=room, company=company, user=person, request=request, granted_by=world.owner,
                                   expires_at=timezone.now() + timedelta(days=30))
        ExportClearance.objects.create(room=room, company=company, clearance_type="hgr_filing", reference=f"H-{i}",
                                       valid_until=timezone.now().date(), recorded_by=world.staff)
        OutboxEvent.objects.create(kind="company.verified", actor=person, status="failed")


def _changelist_queries(client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_no_list_page_runs_a_query_per_row(console, superuser):
    world = build_world()
    client = console(superuser)
    models = [model for model, _ in _registered()]
    _grow(world, 2)
    before = {model: _changelist_queries(client, model) for model in models}
    _grow(world, 6)
    after = {model: _changelist_queries(client, model) for model in models}
    grew = {model._meta.label: (before[model], after[model]) for model in models if after[model] > before[model]}
    assert not grew, f"list pages whose query count grows with rows: {grew}"
