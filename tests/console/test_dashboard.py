"""The dashboard: each queue counts the rows waiting and links to the admin list of exactly those rows."""

import pytest
from django.urls import reverse

from apps.companies.models import VerificationStatus
from apps.console import queues
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _queue(response, key):
    return next((row for row in response.context["queues"] if row.key == key), None)


def test_pending_companies_are_counted_with_a_link_to_the_filtered_list(console, moderator, world):
    CompanyFactory(name_en="Hangzhou Jade Peak Pharmaceuticals", verification_status=VerificationStatus.PENDING)
    CompanyFactory(name_en="Suzhou Nova Peptides", verification_status=VerificationStatus.PENDING)
    client = console(moderator)
    response = client.get(reverse("admin:index"))
    queue = _queue(response, "companies.pending")
    assert queue.count == 2
    assert 'data-queue="companies.pending"' in response.content.decode()
    listed = client.get(queue.url)
    assert listed.status_code == 200
    assert {c.name_en for c in listed.context["cl"].result_list} == {
        "Hangzhou Jade Peak Pharmaceuticals", "Suzhou Nova Peptides"}


def test_a_queue_whose_model_has_not_landed_does_not_appear(console, moderator):
    queues.register(queues.Queue(key="test.ghost", label="Ghosts", model="ghosts.Ghost", count=lambda m: 1))
    try:
        response = console(moderator).get(reverse("admin:index"))
    finally:
        queues.unregister("test.ghost")
    assert _queue(response, "test.ghost") is None
    assert _queue(response, "companies.pending") is not None


def test_staff_without_permission_on_a_queue_do_not_see_it(console, world):
    # The foundation's plain staff persona holds no model permission at all.
    response = console(world.staff).get(reverse("admin:index"))
    assert response.status_code == 200
    assert _queue(response, "companies.pending") is None
    assert _queue(response, "catalog.submitted") is None


def test_the_dashboard_costs_one_query_per_queue(console, moderator, django_assert_max_num_queries):
    client = console(moderator)
    client.get(reverse("admin:index"))
    visible = len(client.get(reverse("admin:index")).context["queues"])
    # session, user, device, permissions, role groups, recent actions, then one COUNT per queue
    with django_assert_max_num_queries(8 + visible):
        client.get(reverse("admin:index"))


def test_failed_notifications_are_a_queue(console, moderator):
    from apps.notifications.models import OutboxEvent

    OutboxEvent.objects.create(kind="company.verified", status="failed", attempts=5, last_error="SMTP down")
    OutboxEvent.objects.create(kind="company.verified", status="done")
    client = console(moderator)
    queue = _queue(client.get(reverse("admin:index")), "notifications.failed")
    assert queue.count == 1
    assert [e.status for e in client.get(queue.url).context["cl"].result_list] == ["failed"]
