"""Moderating calls for assets from the console like listings: the dashboard queue, then publish, send back or close
with a reason (partnering's admin actions, which call the same services as the API: audited, people told)."""

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.catalog.models import AssetStatus
from apps.notifications.models import OutboxEvent
from apps.partnering.models import CallStatus
from tests.console.conftest import make_asset
from tests.partnering.helpers import make_call

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:partnering_callforassets_changelist"


@pytest.fixture
def submitted(world):
    return make_call(world, status=CallStatus.SUBMITTED, title_en="Seeking oncology bispecifics (console)")


def _act(client, action, calls, **extra):
    data = {"action": action, "_selected_action": [c.pk for c in calls], "index": 0, **extra}
    return client.post(reverse(CHANGELIST), data)


def _messages(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_submitted_calls_are_a_dashboard_queue_that_drains(console, moderator, submitted, world):
    make_call(world, status=CallStatus.DRAFT, title_en="A draft nobody has submitted")
    make_call(world, status=CallStatus.OPEN, title_en="An open call")
    client = console(moderator)
    queue = next(q for q in client.get(reverse("admin:index")).context["queues"] if q.key == "partnering.submitted")
    assert queue.count == 1
    assert [c.pk for c in client.get(queue.url).context["cl"].result_list] == [submitted.pk]
    _act(client, "publish_calls", [submitted], apply="1", reason="")
    queue = next(q for q in client.get(reverse("admin:index")).context["queues"] if q.key == "partnering.submitted")
    assert queue.count == 0


def test_a_moderator_publishes_a_call_and_matching_biotechs_hear_of_it(console, moderator, submitted, world):
    make_asset(world.licensor, status=AssetStatus.PUBLISHED, code_name="LMN-2201")  # an oncology bispecific
    response = _act(console(moderator), "publish_calls", [submitted], apply="1", reason="Clear scope; welcome.")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == CallStatus.OPEN and submitted.published_at is not None
    event = AuditEvent.objects.get(action="partnering.call_published", target_id=str(submitted.pk))
    assert event.actor == moderator and event.details == {"note": "Clear scope; welcome."}
    told = OutboxEvent.objects.get(kind="partnering.call_published", target_id=str(submitted.pk))
    assert world.other_member.pk in told.recipient_ids
    matched = OutboxEvent.objects.get(kind="partnering.call_matched", target_id=str(submitted.pk))
    assert world.owner.pk in matched.recipient_ids and world.other_member.pk not in matched.recipient_ids


def test_the_reason_page_lists_the_selection_before_anything_changes(console, moderator, submitted):
    page = _act(console(moderator), "publish_calls", [submitted])
    assert page.status_code == 200
    assert "Publish the selected calls" in page.content.decode() and submitted.title_en in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == CallStatus.SUBMITTED


def test_sending_a_call_back_needs_a_reason_the_calling_company_reads(console, moderator, submitted, world):
    client = console(moderator)
    _act(client, "request_call_changes", [submitted], apply="1", reason="")
    submitted.refresh_from_db()
    assert submitted.status == CallStatus.SUBMITTED
    _act(client, "request_call_changes", [submitted], apply="1", reason="Name the territories you need.")
    submitted.refresh_from_db()
    assert submitted.status == CallStatus.CHANGES_REQUESTED
    assert submitted.status_reason == "Name the territories you need."
    assert AuditEvent.objects.filter(action="partnering.call_changes_requested", actor=moderator,
                                     target_id=str(submitted.pk)).exists()
    told = OutboxEvent.objects.get(kind="partnering.call_changes_requested", target_id=str(submitted.pk))
    assert told.recipient_ids == [world.other_member.pk]
    assert told.context["reason"] == "Name the territories you need."


def test_a_moderator_closes_an_open_call_with_a_reason(console, moderator, world):
    call = make_call(world, status=CallStatus.OPEN)
    _act(console(moderator), "close_calls", [call], apply="1", reason="Reported as a fishing exercise.")
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED and call.status_reason == "Reported as a fishing exercise."
    assert AuditEvent.objects.filter(action="partnering.call_closed", actor=moderator,
                                     target_id=str(call.pk)).exists()


def test_publishing_a_call_that_is_not_submitted_changes_nothing_and_says_why(console, moderator, world):
    draft = make_call(world, status=CallStatus.DRAFT)
    client = console(moderator)
    response = client.post(reverse(CHANGELIST), {"action": "publish_calls", "_selected_action": [draft.pk],
                                                 "index": 0, "apply": "1", "reason": ""}, follow=True)
    draft.refresh_from_db()
    assert draft.status == CallStatus.DRAFT
    said = _messages(response)
    assert f"{draft}: Only a submitted call can be published." in said and "Nothing was changed." in said
    assert not AuditEvent.objects.filter(action="partnering.call_published").exists()


def test_a_compliance_officer_reads_calls_but_cannot_moderate_them(console, compliance_officer, submitted):
    client = console(compliance_officer)
    listing = client.get(reverse(CHANGELIST))
    assert listing.status_code == 200 and [c.pk for c in listing.context["cl"].result_list] == [submitted.pk]
    assert "publish_calls" not in listing.content.decode()
    _act(client, "publish_calls", [submitted], apply="1", reason="")
    submitted.refresh_from_db()
    assert submitted.status == CallStatus.SUBMITTED


def test_the_call_is_read_only_in_the_console(console, superuser, submitted):
    client = console(superuser)
    page = client.get(reverse("admin:partnering_callforassets_change", args=[submitted.pk]))
    assert page.status_code == 200 and 'name="title_en"' not in page.content.decode()
    assert client.get(reverse("admin:partnering_callforassets_add")).status_code == 403
    assert client.get(reverse("admin:partnering_callforassets_delete", args=[submitted.pk])).status_code == 403


def test_submissions_and_evaluations_stay_out_of_the_console(console, superuser):
    client = console(superuser)
    assert client.get("/admin/partnering/submission/").status_code == 404
    assert client.get("/admin/partnering/evaluation/").status_code == 404
    assert client.get("/admin/partnering/evaluationscore/").status_code == 404


def test_a_chinese_speaking_moderator_moderates_calls_in_chinese(console, moderator, submitted):
    moderator.preferred_language = "zh-hans"
    moderator.save(update_fields=["preferred_language"])
    client = console(moderator)
    assert "已提交审核的资产征集" in client.get(reverse("admin:index")).content.decode()
    listing = client.get(f"{reverse(CHANGELIST)}?status__exact=submitted").content.decode()
    assert "发布所选资产征集" in listing and "要求修改所选资产征集" in listing and "关闭所选资产征集" in listing
    page = _act(client, "request_call_changes", [submitted]).content.decode()
    assert "征集方公司需要修改什么？其成员会收到原因。" in page
    response = client.post(reverse(CHANGELIST), {
        "action": "request_call_changes", "_selected_action": [submitted.pk], "index": 0, "apply": "1",
        "reason": "请说明所需的地区。"}, follow=True)
    assert "已退回 1 个资产征集要求修改。" in _messages(response)
    submitted.refresh_from_db()
    assert submitted.status == CallStatus.CHANGES_REQUESTED and submitted.status_reason == "请说明所需的地区。"
