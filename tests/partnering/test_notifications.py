"""Every partnering notification kind reaches its real recipient (a person who may see the target), in their
language; people who may not see the target never get it."""

from datetime import timedelta

import pytest

from apps.catalog.models import AssetStatus
from apps.notifications.delivery import event_deliver
from apps.notifications.models import Notification, OutboxEvent
from apps.partnering import services
from apps.partnering.mailing import reminders_send
from apps.partnering.models import CallStatus
from apps.partnering.scheduling import event_meeting_schedule
from tests.catalog.helpers import make_asset
from tests.partnering.helpers import future, make_call, make_event, make_interest, make_submission, register

pytestmark = pytest.mark.django_db


def _chinese(user):
    user.preferred_language = "zh-hans"
    user.save()


def _request(w):
    interest = make_interest(w)
    start = future()
    return services.meeting_request(actor=w.other_member, context_type="interest", context_id=interest.pk,
                                    subject="Term sheet", slots=[{"starts_at": start,
                                                                  "ends_at": start + timedelta(hours=1)}])


def _confirm(w):
    meeting = _request(w)
    return services.meeting_accept(actor=w.owner, meeting=meeting, slot=meeting.slots.get())


def _propose(w):
    start = future(days=9)
    services.meeting_propose(actor=w.owner, meeting=_request(w),
                             slots=[{"starts_at": start, "ends_at": start + timedelta(hours=1)}])


def _matched(w):
    make_asset(w.licensor, status=AssetStatus.PUBLISHED)
    services.call_publish(actor=w.staff, call=make_call(w, status=CallStatus.SUBMITTED))


def _event_meeting(w):
    event = make_event(w)
    register(event, w.partner, w.other_member)
    register(event, w.licensor, w.owner)
    event_meeting_schedule(actor=w.other_member, event=event, invitee_company=w.licensor, subject="Intro")


def _reminder(w):
    meeting = _confirm(w)
    reminders_send(now=meeting.starts_at - timedelta(hours=2))


# kind, what triggers it, who must receive it (persona), a persona who must not
CASES = [
    ("partnering.call_submitted", lambda w: services.call_submit(actor=w.other_member, call=make_call(
        w, status=CallStatus.DRAFT)), "staff", "owner"),
    ("partnering.call_published", lambda w: services.call_publish(actor=w.staff, call=make_call(
        w, status=CallStatus.SUBMITTED)), "other_member", "owner"),
    ("partnering.call_changes_requested", lambda w: services.call_request_changes(
        actor=w.staff, call=make_call(w, status=CallStatus.SUBMITTED), reason="Add a deadline."),
     "other_member", "owner"),
    ("partnering.call_matched", _matched, "owner", "outsider"),
    ("partnering.submission_received", lambda w: services.submission_create(
        actor=w.member, call=make_call(w), asset=make_asset(w.licensor, status=AssetStatus.PUBLISHED),
        pitch="Pitch."), "other_member", "owner"),
    ("partnering.submission_status_changed", lambda w: services.submission_triage(
        actor=w.other_member, submission=make_submission(w), status="declined", decline_reason="outside_focus"),
     "owner", "outsider"),
    ("partnering.meeting_requested", _request, "owner", "outsider"),
    ("partnering.meeting_slots_proposed", _propose, "other_member", "admin"),
    ("partnering.meeting_confirmed", _confirm, "other_member", "admin"),
    ("partnering.meeting_declined", lambda w: services.meeting_decline(actor=w.owner, meeting=_request(w),
                                                                       reason="Not now."), "other_member", "admin"),
    ("partnering.meeting_cancelled", lambda w: services.meeting_cancel(actor=w.other_member, meeting=_confirm(w),
                                                                       reason="Travel."), "owner", "admin"),
    ("partnering.meeting_reminder", _reminder, "owner", "admin"),
    ("partnering.event_meeting_scheduled", _event_meeting, "owner", "admin"),
]


@pytest.mark.parametrize(("kind", "act", "recipient", "bystander"), CASES, ids=[case[0] for case in CASES])
def test_each_kind_reaches_its_recipient_in_their_language(world, sent_tasks, kind, act, recipient, bystander):
    reader = world.people[recipient]
    _chinese(reader)
    act(world)
    event = OutboxEvent.objects.get(kind=kind)
    event_deliver(event_id=event.pk)
    note = Notification.objects.get(event=event, recipient=reader)
    assert note.language == "zh-hans"
    assert any("\u4e00" <= char <= "\u9fff" for char in note.title), note.title
    assert not Notification.objects.filter(event=event, recipient=world.people[bystander]).exists()


def test_the_registry_holds_exactly_these_kinds():
    from apps.notifications.kinds import all_kinds

    ours = {kind.code for kind in all_kinds() if kind.code.startswith("partnering.")}
    assert ours == {case[0] for case in CASES}
