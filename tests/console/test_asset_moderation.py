"""Publishing a listing or sending it back for changes from the console (the catalog's admin actions, which call
the catalog's services), reached from the dashboard queue."""

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.catalog.models import AssetStatus
from tests.console.conftest import make_asset

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalog_asset_changelist"


@pytest.fixture
def submitted(world):
    return make_asset(world.licensor, status=AssetStatus.SUBMITTED, code_name="LMN-2201")


def _act(client, action, assets, **extra):
    data = {"action": action, "_selected_action": [a.pk for a in assets], "index": 0, **extra}
    return client.post(reverse(CHANGELIST), data)


def test_submitted_assets_are_a_dashboard_queue(console, moderator, submitted, world):
    make_asset(world.licensor, status=AssetStatus.DRAFT)
    client = console(moderator)
    queue = next(q for q in client.get(reverse("admin:index")).context["queues"] if q.key == "catalog.submitted")
    assert queue.count == 1
    assert [a.pk for a in client.get(queue.url).context["cl"].result_list] == [submitted.pk]


def test_a_moderator_publishes_a_submitted_listing_with_a_note(console, moderator, submitted):
    response = _act(console(moderator), "publish_assets", [submitted], apply="1", reason="Teaser reads well")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == AssetStatus.PUBLISHED
    event = AuditEvent.objects.get(action="catalog.asset_published", target_id=str(submitted.pk))
    assert event.actor == moderator
    assert event.details == {"note": "Teaser reads well"}


def test_requesting_changes_needs_a_reason_and_sends_the_listing_back(console, moderator, submitted):
    client = console(moderator)
    _act(client, "request_changes", [submitted], apply="1", reason="")
    submitted.refresh_from_db()
    assert submitted.status == AssetStatus.SUBMITTED
    _act(client, "request_changes", [submitted], apply="1", reason="Add the phase 2 ORR")
    submitted.refresh_from_db()
    assert submitted.status == AssetStatus.CHANGES_REQUESTED
    assert submitted.status_reason == "Add the phase 2 ORR"


def test_a_compliance_officer_cannot_publish(console, compliance_officer, submitted):
    _act(console(compliance_officer), "publish_assets", [submitted], apply="1", reason="")
    submitted.refresh_from_db()
    assert submitted.status == AssetStatus.SUBMITTED


def test_object_permissions_of_an_asset_are_manageable_per_object(console, superuser, submitted):
    response = console(superuser).get(reverse("admin:catalog_asset_permissions", args=[submitted.pk]))
    assert response.status_code == 200
