"""Partnering events: staff create them, companies register and publish availability, and meetings at the event
are placed into free slots (apps/partnering/scheduling.py)."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.companies.models import Company
from apps.core.authz import require_staff
from apps.core.errors import Conflict, PermissionRefused, ValidationFailed
from apps.notifications.services import notify
from apps.partnering import audit_actions as acts
from apps.partnering.models import (
    EventAvailability,
    EventRegistration,
    Meeting,
    PartneringEvent,
)
from apps.partnering.notifications import meeting_context
from apps.partnering.scheduling import place_meeting
from apps.partnering.services.common import _actor_company_among, _evaluating_company, _invalid
from apps.partnering.services.meetings import _send_invitations_on_commit


@transaction.atomic
def event_create(*, actor: Any, name: str, starts_on: date, ends_on: date, day_starts: Any, day_ends: Any,
                 slot_minutes: int, rooms: list[str] | None = None, time_zone: str = "UTC") -> PartneringEvent:
    """Staff create a partnering event: days, local hours, slot length and rooms or tables."""
    require_staff(actor, _("Only platform staff create partnering events."))
    if time_zone not in zoneinfo.available_timezones():
        raise _invalid("time_zone", _("Unknown time zone."), code="invalid_time_zone")
    if ends_on < starts_on:
        raise _invalid("ends_on", _("The event ends before it starts."), code="reversed_range")
    if day_ends <= day_starts:
        raise _invalid("day_ends", _("The day ends before it starts."), code="reversed_range")
    rooms = list(dict.fromkeys(" ".join(str(room).split())[:80] for room in rooms or [] if str(room).strip()))
    if not rooms:
        raise _invalid("rooms", _("Name at least one room or table."))
    event = PartneringEvent(name=" ".join(name.split())[:200], starts_on=starts_on, ends_on=ends_on,
                            time_zone=time_zone, day_starts=day_starts, day_ends=day_ends, slot_minutes=slot_minutes,
                            rooms=rooms, created_by=actor)
    event.full_clean(exclude=["created_by"])
    event.save()
    audit_record(action=acts.EVENT_CREATED, actor=actor, target=event, details={"name": event.name})
    return event


def event_slots(event: PartneringEvent) -> list[tuple[datetime, datetime]]:
    """Every slot of the event in UTC: each day's local hours cut into slot-length pieces (DST-aware)."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    step = timedelta(minutes=event.slot_minutes)
    slots = []
    day = event.starts_on
    while day <= event.ends_on:
        local = datetime.combine(day, event.day_starts, tzinfo=zone)
        end_of_day = datetime.combine(day, event.day_ends, tzinfo=zone)
        while local + step <= end_of_day:
            start_utc = local.astimezone(zoneinfo.ZoneInfo("UTC"))
            slots.append((start_utc, start_utc + step))
            local = local + step
        day += timedelta(days=1)
    return slots


@transaction.atomic
def event_register(*, actor: Any, event: PartneringEvent) -> EventRegistration:
    """A contributor of a verified company registers it for the event."""
    company = _evaluating_company(actor)
    registration, created = EventRegistration.objects.get_or_create(event=event, company=company,
                                                                    defaults={"registered_by": actor})
    if not created:
        raise Conflict(_("Your company is already registered."), code="already_registered")
    audit_record(action=acts.EVENT_REGISTERED, actor=actor, target=registration, company=company,
                 details={"event": event.pk})
    return registration


@transaction.atomic
def event_availability_set(*, actor: Any, registration: EventRegistration,
                           windows: list[dict[str, Any]]) -> EventRegistration:
    """The registered company publishes when it takes meetings (replacing what it published before)."""
    registration = EventRegistration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    if _actor_company_among(actor, [registration.company_id]) is None:
        raise PermissionRefused()
    slots = event_slots(registration.event)
    first, last = (slots[0][0], slots[-1][1]) if slots else (None, None)
    rows = []
    for window in windows:
        starts_at, ends_at = window["starts_at"], window["ends_at"]
        if ends_at <= starts_at or first is None or starts_at < first or ends_at > last:
            raise _invalid("windows", _("Each window must lie within the event's hours."), code="bad_window")
        rows.append(EventAvailability(registration=registration, starts_at=starts_at, ends_at=ends_at))
    EventAvailability.objects.filter(registration=registration).delete()
    EventAvailability.objects.bulk_create(rows)
    audit_record(action=acts.EVENT_AVAILABILITY_SET, actor=actor, target=registration,
                 company=registration.company, details={"windows": len(rows)})
    return registration


@transaction.atomic
def event_meeting_schedule(*, actor: Any, event: PartneringEvent, invitee_company: Company, subject: str,
                           slots: list[tuple[datetime, datetime]] | None = None) -> Meeting:
    """A registered company asks another registered company to meet at the event: the request is placed in
    the first slot free for both companies, both delegates and a room, and confirmed at once."""
    registrations = {r.company_id: r for r in EventRegistration.objects.filter(event=event).select_related(
        "registered_by")}
    requester_id = _actor_company_among(actor, list(registrations))
    if requester_id is None:
        raise PermissionRefused(_("Only contributors of a registered company request event meetings."),
                                code="not_registered")
    invitee = registrations.get(invitee_company.pk)
    if invitee is None or invitee_company.pk == requester_id:
        raise ValidationFailed(_("Invite another registered company."), code="not_registered",
                               fields={"invitee_company": [_("Not registered for this event.")]})
    subject = " ".join((subject or "").split())[:200]
    if not subject:
        raise ValidationFailed(_("A subject is required."), fields={"subject": [_("This field is required.")]})
    requester = registrations[requester_id]
    people = [actor, invitee.registered_by] if actor.pk != invitee.registered_by_id else [actor]
    if len(people) < 2:
        raise ValidationFailed(_("Invite another registered company."), code="not_registered")
    meeting = place_meeting(event=event, slots=slots or event_slots(event), requester=requester, invitee=invitee,
                            people=people, subject=subject, created_by=actor)
    if meeting is None:
        raise Conflict(_("No slot is free for both companies."), code="no_common_slot")
    audit_record(action=acts.EVENT_MEETING_SCHEDULED, actor=actor, target=meeting, company=requester.company,
                 details={"event": event.pk, "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else "",
                          "room": meeting.room})
    meeting = Meeting.objects.select_related("requester_company", "invitee_company").get(pk=meeting.pk)
    notify(kind="partnering.event_meeting_scheduled", recipients=[invitee.registered_by], target=meeting,
           actor=actor, context=meeting_context(meeting, event=event.name, room=meeting.room))
    _send_invitations_on_commit(meeting)
    return meeting
