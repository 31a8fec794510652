"""iCalendar (RFC 5545) for meetings, with the maintained `icalendar` library.

* UID: `<meeting.uid>@gpc` — stable for the life of the meeting, so calendars update the same entry.
* Invitations use METHOD:REQUEST with the meeting's SEQUENCE (raised on every change sent out);
  a cancellation uses METHOD:CANCEL, STATUS:CANCELLED and the raised SEQUENCE.
* Times are written in UTC (`...Z`): every calendar shows them in its owner's zone, DST included.
* Summary and description are written in the reader's language (the e-mail and the file go to one person).
* The private feed (`feed_calendar`) lists a person's meetings without METHOD (RFC 5545: a published
  calendar, not a scheduling message), cancelled ones as STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from apps.partnering.models import Meeting, MeetingParticipant, MeetingStatus

PRODID = "-//Global Pharma Community//Partnering//EN"


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@gpc"


def _organizer_email() -> str:
    return getattr(settings, "DEFAULT_FROM_EMAIL", "noreply@gpc.test").split("<")[-1].rstrip(">").strip()


def _event(meeting: Meeting, participants: Iterable[MeetingParticipant], *, language: str, cancel: bool) -> Event:
    with translation.override(language):
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", datetime.now(UTC))
        event.add("sequence", meeting.sequence)
        if meeting.starts_at and meeting.ends_at:
            event.add("dtstart", meeting.starts_at.astimezone(UTC))
            event.add("dtend", meeting.ends_at.astimezone(UTC))
        event.add("summary", meeting.subject)
        requester, invitee = meeting.requester_company, meeting.invitee_company
        zh = language.startswith("zh")
        names = [(company.name_zh or company.name_en) if zh else company.name_en for company in (requester, invitee)]
        event.add("description", _("Meeting between %(first)s and %(second)s on the Global Pharma Community.")
                  % {"first": names[0], "second": names[1]})
        if meeting.location:
            event.add("location", meeting.location)
        organizer = vCalAddress(f"mailto:{_organizer_email()}")
        organizer.params["cn"] = vText("GPC")
        event.add("organizer", organizer)
        for participant in participants:
            attendee = vCalAddress(f"mailto:{participant.user.email}")
            attendee.params["cn"] = vText(participant.user.full_name or participant.user.email)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            attendee.params["partstat"] = vText("ACCEPTED" if not cancel else "DECLINED")
            event.add("attendee", attendee, encode=False)
        event.add("status", "CANCELLED" if cancel or meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    return event


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def invitation(meeting: Meeting, *, language: str, cancel: bool = False) -> bytes:
    """The scheduling message for one reader: METHOD:REQUEST, or METHOD:CANCEL when `cancel`."""
    participants = list(MeetingParticipant.objects.filter(meeting=meeting).select_related("user"))
    calendar = _calendar("CANCEL" if cancel else "REQUEST")
    calendar.add_component(_event(meeting, participants, language=language, cancel=cancel))
    return calendar.to_ical()


def feed_calendar(user: Any, meetings: Iterable[Meeting]) -> bytes:
    """A person's private feed: their confirmed and cancelled meetings, in their language."""
    language = "zh-hans" if (getattr(user, "preferred_language", "") or "").startswith("zh") else "en"
    calendar = _calendar(None)
    calendar.add("x-wr-calname", "GPC")
    for meeting in meetings:
        participants = list(MeetingParticipant.objects.filter(meeting=meeting).select_related("user"))
        calendar.add_component(_event(meeting, participants, language=language,
                                      cancel=meeting.status == MeetingStatus.CANCELLED))
    return calendar.to_ical()
