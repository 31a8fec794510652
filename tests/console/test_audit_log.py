"""The audit log in the admin: read-only for everybody, filterable, exportable as streamed CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit.admin import AUDIT_LOG_EXPORTED
from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.companies import services
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:audit_auditevent_changelist"


@pytest.fixture
def trail(world):
    services.company_suspend(actor=world.staff, company=world.partner, reason="Sanctions screening pending")
    services.company_update(actor=world.owner, company=world.licensor, website="https://lumina.example")
    return world


def _listed(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200, response
    return {event.action for event in response.context["cl"].result_list}


def test_superusers_cannot_add_change_or_delete_events(console, superuser, trail):
    client = console(superuser)
    event = AuditEvent.objects.first()
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "x"}).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).status_code == 200  # view only


def test_filters_by_actor_company_action_and_target_type(console, moderator, trail):
    client = console(moderator)
    assert _listed(client, actor_email="staff@gpc") == {"company.suspended"}
    assert "company.updated" in _listed(client, actor_company__id__exact=trail.licensor.pk)
    assert _listed(client, action="company.suspended") == {"company.suspended"}
    assert "company.updated" in _listed(client, target_type="companies.company")


def test_time_range_filter_takes_dates(console, moderator, trail):
    client = console(moderator)
    today = timezone.now().date()
    assert "company.suspended" in _listed(client, **{"from": today.isoformat(), "until": today.isoformat()})
    assert _listed(client, **{"until": (today - timedelta(days=1)).isoformat()}) == set()
    assert _listed(client, **{"from": (today + timedelta(days=1)).isoformat()}) == set()


def test_a_nonsense_date_does_not_break_the_list(console, moderator, trail):
    response = console(moderator).get(reverse(CHANGELIST), {"from": "yesterday-ish"})
    assert response.status_code == 302
    assert "e=1" in response["Location"]


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(body)))


def test_export_streams_the_filtered_events_as_csv_and_is_itself_audited(console, moderator, trail):
    response = console(moderator).get(reverse("admin:audit_auditevent_export"), {"action": "company.suspended"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert [row["action"] for row in rows] == ["company.suspended"]
    assert rows[0]["actor_email"] == "staff@gpc.test"
    assert '"reason": "Sanctions screening pending"' in rows[0]["details"]
    exported = AuditEvent.objects.get(action=AUDIT_LOG_EXPORTED)
    assert exported.actor == moderator
    assert "company.suspended" in exported.details["query"]


def test_export_defuses_spreadsheet_formulas(console, moderator, world):
    company = CompanyFactory(name_en="=HYPERLINK(\"http://evil.example\")")
    audit_record(action="company.registered", actor=world.owner, target=company)
    rows = _csv(console(moderator).get(reverse("admin:audit_auditevent_export")))
    assert all(not row["target_repr"].startswith("=") for row in rows)
    assert any(row["target_repr"].startswith("'=HYPERLINK") for row in rows)


def test_staff_without_the_view_permission_cannot_export(console, world):
    assert console(world.staff).get(reverse("admin:audit_auditevent_export")).status_code == 403


def test_the_list_shows_each_action_by_its_label_in_the_readers_language(console, moderator, trail):
    english = console(moderator).get(reverse(CHANGELIST)).content.decode()
    assert "Company suspended" in english
    moderator.preferred_language = "zh-hans"
    moderator.save()
    chinese = console(moderator).get(reverse(CHANGELIST)).content.decode()
    assert "公司已被暂停" in chinese
    assert "Company suspended" not in chinese
    assert "公司已认证" in chinese  # the action filter offers every label, in the reader's language


def test_companies_are_named_in_the_readers_language_where_they_have_a_chinese_name(console, moderator, trail):
    trail.licensor.name_zh = "上海露米纳"
    trail.licensor.save()
    english = console(moderator).get(reverse(CHANGELIST), {"actor_company__id__exact": trail.licensor.pk})
    assert trail.licensor.name_en in english.content.decode()
    moderator.preferred_language = "zh-hans"
    moderator.save()
    chinese = console(moderator).get(reverse(CHANGELIST), {"actor_company__id__exact": trail.licensor.pk})
    assert "上海露米纳" in chinese.content.decode()
