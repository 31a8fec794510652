"""Meetings across time zones: request, accept, propose, decline, update, cancel; iCalendar invitations parsed
back by two parsers; e-mails in each reader's language and zone; reminders; the private calendar feed."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import vobject
from django.core import mail
from django.utils import timezone

from apps.notifications.models import OutboxEvent
from apps.partnering.mailing import invitations_send, local_time, reminders_send
from apps.partnering.models import Booking, Meeting, MeetingStatus
from apps.partnering.services import meeting_accept, meeting_cancel, meeting_request, meeting_update
from tests.partnering.helpers import future, make_interest

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _slots(*starts, minutes=60):
    return [{"starts_at": start, "ends_at": start + timedelta(minutes=minutes)} for start in starts]


def _request(world, *starts):
    interest = make_interest(world)
    return meeting_request(actor=world.other_member, context_type="interest", context_id=interest.pk,
                           subject="PD-1xVEGF: ex-China rights", slots=_slots(*(starts or [future()])))


def _confirmed(world, start=None):
    meeting = _request(world, start or future())
    return meeting_accept(actor=world.owner, meeting=meeting, slot=meeting.slots.get())


def _parse(ics_bytes):
    ics_bytes = ics_bytes if isinstance(ics_bytes, bytes) else ics_bytes.encode()
    calendar = icalendar.Calendar.from_ical(ics_bytes)
    second = vobject.readOne(ics_bytes.decode())
    return calendar, second


def test_a_partner_requests_and_the_licensor_accepts_one_slot(world, sent_tasks, django_capture_on_commit_callbacks):
    first, second = future(days=5), future(days=6)
    interest = make_interest(world)
    response = world.client("other_member").post("/api/v1/meetings/", {
        "context_type": "interest", "context_id": interest.pk, "subject": "Term sheet",
        "slots": [{"starts_at": s.isoformat(), "ends_at": (s + timedelta(hours=1)).isoformat()}
                  for s in (first, second)]}, format="json")
    assert response.status_code == 201, response.content
    meeting = response.json()
    assert meeting["status"] == "requested" and meeting["awaiting_company"] == world.licensor.pk
    assert sorted(OutboxEvent.objects.get(kind="partnering.meeting_requested").recipient_ids) == sorted(
        [world.owner.pk, world.admin.pk, world.member.pk])
    slot = meeting["slots"][1]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        accepted = world.client("owner").post(f"/api/v1/meetings/{meeting['id']}/accept/", {"slot": slot},
                                              format="json")
    assert accepted.json()["status"] == "confirmed"
    assert accepted.json()["starts_at"].startswith(second.strftime("%Y-%m-%dT%H:%M"))
    assert Booking.objects.filter(meeting_id=meeting["id"]).count() == 2  # Nora and the owner
    assert sent_tasks == [("invite", (meeting["id"], 0))]


def test_a_meeting_about_a_context_one_cannot_see_reads_as_missing(world):
    interest = make_interest(world)
    body = {"context_type": "interest", "context_id": interest.pk, "subject": "x",
            "slots": [{"starts_at": future().isoformat(), "ends_at": (future() + timedelta(hours=1)).isoformat()}]}
    hidden = world.client("outsider").post("/api/v1/meetings/", body, format="json")
    missing = world.client("outsider").post("/api/v1/meetings/", {**body, "context_id": 99_999_999}, format="json")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_a_provider_and_its_client_meet_about_a_service_engagement(world):
    from tests.providers.helpers import engagement

    engaged = engagement(world)  # Lumina awarded Harborline the US Agent work
    body = {"context_type": "service_engagement", "context_id": engaged.pk, "subject": "FDA pre-IND plan",
            "slots": [{"starts_at": future().isoformat(), "ends_at": (future() + timedelta(hours=1)).isoformat()}]}
    response = world.client("invited_provider").post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["invitee_company"] == world.licensor.pk
    # The provider that lost the award cannot see the engagement: it reads as missing.
    refused = world.client("competitor_provider").post("/api/v1/meetings/", body, format="json")
    assert refused.status_code == 404


@pytest.mark.parametrize(("count", "status"), [(0, 400), (6, 400)])
def test_one_to_five_slots(world, count, status):
    interest = make_interest(world)
    slots = [{"starts_at": future(days=3 + n).isoformat(), "ends_at": (future(days=3 + n) + timedelta(hours=1))
              .isoformat()} for n in range(count)]
    response = world.client("other_member").post("/api/v1/meetings/", {
        "context_type": "interest", "context_id": interest.pk, "subject": "x", "slots": slots}, format="json")
    assert response.status_code == status
    assert not Meeting.objects.exists()


def test_a_slot_without_an_offset_is_refused(world):
    interest = make_interest(world)
    response = world.client("other_member").post("/api/v1/meetings/", {
        "context_type": "interest", "context_id": interest.pk, "subject": "x",
        "slots": [{"starts_at": "2031-03-10T09:00:00", "ends_at": "2031-03-10T10:00:00"}]}, format="json")
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_declining_needs_a_reason_and_tells_the_requester(world):
    meeting = _request(world)
    url = f"/api/v1/meetings/{meeting.pk}/decline/"
    assert world.client("owner").post(url, {}, format="json").status_code == 400
    response = world.client("owner").post(url, {"reason": "Not before our phase 2 readout."}, format="json")
    assert response.json()["status"] == "declined"
    assert OutboxEvent.objects.get(kind="partnering.meeting_declined").recipient_ids == [world.other_member.pk]


def test_proposing_other_slots_hands_the_turn_back(world):
    meeting = _request(world)
    later = future(days=12)
    response = world.client("owner").post(f"/api/v1/meetings/{meeting.pk}/propose/", {
        "slots": [{"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=1)).isoformat()}]},
        format="json")
    assert response.json()["awaiting_company"] == world.partner.pk
    assert [slot["status"] for slot in response.json()["slots"]] == ["superseded", "proposed"]
    assert world.client("owner").post(f"/api/v1/meetings/{meeting.pk}/accept/",
                                      {"slot": response.json()["slots"][1]["id"]}, format="json").status_code == 409


def test_nobody_is_booked_twice_at_once(world):
    start = future(days=4)
    _confirmed(world, start)
    second = _request(world, start + timedelta(minutes=30))
    response = world.client("owner").post(f"/api/v1/meetings/{second.pk}/accept/",
                                          {"slot": second.slots.get().pk}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "participant_busy"
    assert Meeting.objects.get(pk=second.pk).status == MeetingStatus.REQUESTED


# --- iCalendar ---------------------------------------------------------------------------------------------

def test_the_invitation_is_rfc5545_with_a_stable_uid_and_method_request(world):
    meeting = _confirmed(world)
    assert invitations_send(meeting_id=meeting.pk, sequence=0) == 2
    attachment = mail.outbox[0].attachments[0]
    assert attachment[2].startswith("text/calendar") and "method=REQUEST" in attachment[2]
    calendar, second = _parse(attachment[1])
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"{meeting.uid}@gpc"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == meeting.starts_at
    assert second.vevent.uid.value == f"{meeting.uid}@gpc"
    assert second.method.value == "REQUEST"
    assert second.vevent.dtstart.value == meeting.starts_at
    attendees = sorted(str(a).removeprefix("mailto:") for a in event.get("ATTENDEE"))
    assert attendees == sorted([world.other_member.email, world.owner.email])


def test_an_update_raises_sequence_and_keeps_the_uid(world, sent_tasks, django_capture_on_commit_callbacks):
    meeting = _confirmed(world)
    invitations_send(meeting_id=meeting.pk, sequence=0)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_update(actor=world.owner, meeting=meeting, location="Lumina HQ, Zhangjiang")
    assert meeting.sequence == 1 and sent_tasks[-1] == ("invite", (meeting.pk, 1))
    mail.outbox.clear()
    assert invitations_send(meeting_id=meeting.pk, sequence=0) == 0  # a stale task sends nothing
    assert invitations_send(meeting_id=meeting.pk, sequence=1) == 2
    assert invitations_send(meeting_id=meeting.pk, sequence=1) == 0  # a repeated task neither
    calendar, second = _parse(mail.outbox[0].attachments[0][1])
    event = calendar.walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1 and str(event["UID"]) == f"{meeting.uid}@gpc"
    assert str(event["LOCATION"]) == "Lumina HQ, Zhangjiang"
    assert int(second.vevent.sequence.value) == 1


def test_a_cancellation_sends_method_cancel(world):
    meeting = _confirmed(world)
    meeting = meeting_cancel(actor=world.other_member, meeting=meeting, reason="Travel cancelled.")
    assert not Booking.objects.filter(meeting=meeting).exists()
    assert invitations_send(meeting_id=meeting.pk, sequence=meeting.sequence) == 2
    calendar, second = _parse(mail.outbox[0].attachments[0][1])
    assert str(calendar["METHOD"]) == "CANCEL" and second.method.value == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    assert str(event["UID"]) == f"{meeting.uid}@gpc"
    assert "method=CANCEL" in mail.outbox[0].attachments[0][2]


def test_each_reader_gets_the_invitation_in_their_language_and_zone(world):
    world.owner.preferred_language, world.owner.time_zone = "zh-hans", "Asia/Shanghai"
    world.owner.save()
    world.other_member.time_zone = "America/New_York"
    world.other_member.save()
    start = datetime(2031, 3, 10, 13, 0, tzinfo=UTC)  # Monday after the US spring change: 09:00 EDT, 21:00 CST
    with _frozen_before(start):
        meeting = _confirmed(world, start)
    invitations_send(meeting_id=meeting.pk, sequence=0)
    by_reader = {message.to[0]: message for message in mail.outbox}
    chinese, english = by_reader[world.owner.email], by_reader[world.other_member.email]
    assert chinese.subject.startswith("会议邀请") and "2031-03-10 21:00 CST" in chinese.body
    assert english.subject.startswith("Invitation") and "2031-03-10 09:00 EDT" in english.body
    summary = icalendar.Calendar.from_ical(chinese.attachments[0][1]).walk("VEVENT")[0]
    assert "上海流明生物" in str(summary["DESCRIPTION"])


# --- time zones across daylight-saving changes ---------------------------------------------------------------

class _frozen_before:
    """Slots must be in the future: pretend it is a week before `moment`."""

    def __init__(self, moment):
        self.moment = moment

    def __enter__(self):
        self._now = timezone.now  # the clock the services read (django.utils.timezone)
        timezone.now = lambda: self.moment - timedelta(days=7)

    def __exit__(self, *exc):
        timezone.now = self._now


@pytest.mark.parametrize(("new_york_local", "shanghai_local", "offset"), [
    # 2031: US daylight saving starts on Sunday 9 March and ends on Sunday 2 November; Shanghai has none.
    (datetime(2031, 3, 7, 9, 0), datetime(2031, 3, 7, 22, 0), "-0500"),   # Friday before: EST, 13 hours apart
    (datetime(2031, 3, 10, 9, 0), datetime(2031, 3, 10, 21, 0), "-0400"),  # Monday after: EDT, 12 hours apart
    (datetime(2031, 10, 31, 9, 0), datetime(2031, 10, 31, 21, 0), "-0400"),  # Friday before: EDT
    (datetime(2031, 11, 3, 9, 0), datetime(2031, 11, 3, 22, 0), "-0500"),  # Monday after: EST again
])
def test_a_new_york_morning_meeting_is_stored_in_utc_and_read_in_shanghai(world, new_york_local, shanghai_local,
                                                                          offset):
    world.other_member.time_zone = "America/New_York"
    world.other_member.save()
    world.owner.time_zone = "Asia/Shanghai"
    world.owner.save()
    start = new_york_local.replace(tzinfo=NEW_YORK)
    with _frozen_before(start):
        interest = make_interest(world)
        response = world.client("other_member").post("/api/v1/meetings/", {
            "context_type": "interest", "context_id": interest.pk, "subject": "Morning in Boston",
            "slots": [{"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()}]},
            format="json")
    assert response.status_code == 201, response.content
    new_york = response.json()["slots"][0]
    assert new_york["starts_at_local"] == new_york_local.isoformat() + offset[:3] + ":" + offset[3:]
    stored = Meeting.objects.get().slots.get().starts_at
    assert stored.utcoffset() == timedelta(0) and stored == start
    shanghai = world.client("owner").get(f"/api/v1/meetings/{response.json()['id']}/").json()
    assert shanghai["time_zone"] == "Asia/Shanghai"
    assert shanghai["slots"][0]["starts_at_local"] == shanghai_local.isoformat() + "+08:00"
    assert local_time(stored, world.owner).startswith(shanghai_local.strftime("%Y-%m-%d %H:%M"))


def test_local_time_of_the_repeated_hour_in_november_is_unambiguous(world):
    world.other_member.time_zone = "America/New_York"
    first = datetime(2031, 11, 2, 5, 30, tzinfo=UTC)   # 01:30 EDT
    second = datetime(2031, 11, 2, 6, 30, tzinfo=UTC)  # 01:30 EST, an hour later
    assert local_time(first, world.other_member).startswith("2031-11-02 01:30 EDT")
    assert local_time(second, world.other_member).startswith("2031-11-02 01:30 EST")


# --- reminders through beat ----------------------------------------------------------------------------------

def test_reminders_go_out_24_hours_and_1_hour_before_once_each(world):
    meeting = _confirmed(world, future(days=3))
    start = meeting.starts_at
    assert reminders_send(now=start - timedelta(hours=30)) == 0
    assert reminders_send(now=start - timedelta(hours=23)) == 1
    assert reminders_send(now=start - timedelta(hours=22)) == 0  # claimed once
    assert reminders_send(now=start - timedelta(minutes=50)) == 1
    assert reminders_send(now=start - timedelta(minutes=10)) == 0
    events = OutboxEvent.objects.filter(kind="partnering.meeting_reminder").order_by("pk")
    assert [event.context["lead"] for event in events] == ["24h", "1h"]
    assert sorted(events[0].recipient_ids) == sorted([world.other_member.pk, world.owner.pk])


def test_the_reminder_sweep_is_scheduled_in_beat():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="apps.partnering.tasks.meetings_remind_sweep")
    assert task.enabled and task.interval.every == 5 and task.interval.period == "minutes"


# --- the private calendar feed -------------------------------------------------------------------------------

def test_the_feed_lists_my_meetings_and_rotating_its_token_ends_the_old_url(world, api):
    meeting = _confirmed(world)
    url = world.client("other_member").get("/api/v1/calendar-feed/").json()["url"]
    path = url.split("127.0.0.1:8000")[-1] if "127.0.0.1:8000" in url else url[url.index("/api/"):]
    feed = api.get(path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    calendar, second = _parse(feed.content)
    assert [str(event["UID"]) for event in calendar.walk("VEVENT")] == [f"{meeting.uid}@gpc"]
    assert "METHOD" not in calendar
    assert len(list(second.vevent_list)) == 1
    rotated = world.client("other_member").post("/api/v1/calendar-feed/rotate/").json()["url"]
    assert rotated != url
    assert api.get(path).status_code == 404
    assert api.get(rotated[rotated.index("/api/"):]).status_code == 200


def test_the_feed_shows_nobody_elses_meetings(world, api):
    _confirmed(world)
    url = world.client("admin").get("/api/v1/calendar-feed/").json()["url"]  # admin is not a participant
    calendar = icalendar.Calendar.from_ical(api.get(url[url.index("/api/"):]).content)
    assert calendar.walk("VEVENT") == []


def test_meeting_ics_download_for_a_participant(world):
    meeting = _confirmed(world)
    response = world.client("member").get(f"/api/v1/meetings/{meeting.pk}/ics/")
    assert response.status_code == 200
    assert str(icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]["UID"]) == f"{meeting.uid}@gpc"


def test_now_is_aware():
    assert timezone.is_aware(timezone.now())
