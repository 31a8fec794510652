"""Delivery scenarios of the partnering kinds (runner: tests/notifications/test_every_kind_is_delivered.py)."""

from __future__ import annotations

from datetime import timedelta

from apps.catalog.models import AssetStatus
from apps.partnering import services
from apps.partnering.mailing import reminders_send
from apps.partnering.models import CallStatus
from tests.catalog.helpers import make_asset
from tests.notifications.scenarios import Told, scenario
from tests.partnering.helpers import future, make_call, make_event, make_interest, make_submission, register

TITLE = "Seeking bispecific antibodies in oncology"


def _request(world):
    start = future()
    return services.meeting_request(actor=world.other_member, context_type="interest",
                                    context_id=make_interest(world).pk, subject="Term sheet",
                                    slots=[{"starts_at": start, "ends_at": start + timedelta(hours=1)}])


def _confirmed(world):
    meeting = _request(world)
    return services.meeting_accept(actor=world.owner, meeting=meeting, slot=meeting.slots.get())


@scenario("partnering.call_submitted")
def _call_submitted(world):
    services.call_submit(actor=world.other_member, call=make_call(world, status=CallStatus.DRAFT))
    return Told(world.staff, says=f"Northbridge Pharma submitted the call for assets “{TITLE}”",
                says_zh="北桥制药 提交了资产征集", not_told=[world.owner, world.other_member])


@scenario("partnering.call_published")
def _call_published(world):
    services.call_publish(actor=world.staff, call=make_call(world, status=CallStatus.SUBMITTED))
    return Told(world.other_member, says="is now open to verified biotechs", says_zh="现已向经认证的生物技术公司开放",
                not_told=[world.owner])


@scenario("partnering.call_changes_requested")
def _call_changes_requested(world):
    services.call_request_changes(actor=world.staff, call=make_call(world, status=CallStatus.SUBMITTED),
                                  reason="Add a deadline.")
    return Told(world.other_member, says="back for changes: Add a deadline.", says_zh="请修改：Add a deadline.",
                not_told=[world.owner])


@scenario("partnering.call_matched")
def _call_matched(world):
    make_asset(world.licensor, status=AssetStatus.PUBLISHED)
    services.call_publish(actor=world.staff, call=make_call(world, status=CallStatus.SUBMITTED))
    return Told(world.owner, says="which matches at least one of your published listings",
                says_zh="与您至少一个已发布的项目匹配", not_told=[world.outsider, world.other_member])


@scenario("partnering.submission_received")
def _submission_received(world):
    asset = make_asset(world.licensor, status=AssetStatus.PUBLISHED)
    services.submission_create(actor=world.member, call=make_call(world), asset=asset, pitch="Phase 2 data.")
    return Told(world.other_member, says=f"Shanghai Lumina Biotherapeutics answered your call “{TITLE}” with",
                says_zh=f"以 {asset.code_name} 应征了您的征集", not_told=[world.owner, world.outsider])


@scenario("partnering.submission_status_changed")
def _submission_status_changed(world):
    services.submission_triage(actor=world.other_member, submission=make_submission(world), status="declined",
                               decline_reason="outside_focus")
    return Told(world.owner, says="Declined. Outside our current focus", says_zh="已婉拒。不在我们当前的关注范围内",
                not_told=[world.outsider, world.other_member])


@scenario("partnering.meeting_requested")
def _meeting_requested(world):
    _request(world)
    return Told(world.owner, says="Northbridge Pharma would like to meet: Term sheet",
                says_zh="北桥制药 希望与您会面：Term sheet", not_told=[world.outsider, world.other_member])


@scenario("partnering.meeting_slots_proposed")
def _meeting_slots_proposed(world):
    start = future(days=9)
    services.meeting_propose(actor=world.owner, meeting=_request(world),
                             slots=[{"starts_at": start, "ends_at": start + timedelta(hours=1)}])
    return Told(world.other_member, says="New times proposed for Term sheet", says_zh="Term sheet 有新的提议时间",
                not_told=[world.admin, world.owner])


@scenario("partnering.meeting_confirmed")
def _meeting_confirmed(world):
    _confirmed(world)
    return Told(world.other_member, says="Meeting confirmed: Term sheet", says_zh="会议已确认：Term sheet",
                not_told=[world.admin, world.owner])


@scenario("partnering.meeting_declined")
def _meeting_declined(world):
    services.meeting_decline(actor=world.owner, meeting=_request(world), reason="Not this quarter.")
    return Told(world.other_member, says="declined “Term sheet”: Not this quarter.",
                says_zh="婉拒了“Term sheet”：Not this quarter.", not_told=[world.admin, world.owner])


@scenario("partnering.meeting_cancelled")
def _meeting_cancelled(world):
    services.meeting_cancel(actor=world.other_member, meeting=_confirmed(world), reason="Travel cancelled.")
    return Told(world.owner, says="“Term sheet” was cancelled. Travel cancelled.",
                says_zh="“Term sheet”已取消。Travel cancelled.", not_told=[world.admin, world.other_member])


@scenario("partnering.meeting_reminder")
def _meeting_reminder(world):
    meeting = _confirmed(world)
    reminders_send(now=meeting.starts_at - timedelta(hours=2))
    return Told(world.owner, says="Reminder: Term sheet in 24 hours", says_zh="提醒：Term sheet，24 小时后开始",
                not_told=[world.admin, world.outsider])


@scenario("partnering.event_meeting_scheduled")
def _event_meeting_scheduled(world):
    event = make_event(world)
    register(event, world.partner, world.other_member)
    register(event, world.licensor, world.owner)
    services.event_meeting_schedule(actor=world.other_member, event=event, invitee_company=world.licensor,
                                    subject="Intro")
    return Told(world.owner, says="Northbridge Pharma meets you at Boston Partnering Week",
                says_zh="北桥制药 将在 Boston Partnering Week 与您会面", not_told=[world.admin, world.other_member])
