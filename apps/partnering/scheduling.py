"""Placing a meeting request at a partnering event into a free slot.

A slot is free for a request when it lies inside both companies' published availability, none of the people
who will meet is booked then, and a room or table is free. The candidates are tried in time order; the first
that fits is booked. Two requests racing for the same person or room cannot both win: on PostgreSQL the
exclusion constraints on `partnering_booking` (migration 0002, btree_gist) refuse the second insert, which
then moves on to the next candidate. The Python checks only save round trips; the database is the guard.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import CharField, F, Value

from apps.partnering.models import (
    Booking,
    EventAvailability,
    EventRegistration,
    Meeting,
    MeetingParticipant,
    MeetingStatus,
    PartneringEvent,
)

EVENT_CONTEXT = "event"


def _inside(windows: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    return any(window_start <= start and end <= window_end for window_start, window_end in windows)


def _overlaps(busy: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    return any(busy_start < end and start < busy_end for busy_start, busy_end in busy)


def _room_free(busy: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    """`busy`: one room's bookings, sorted and never overlapping (the room constraint): only the booking that
    starts last before `end` can overlap."""
    index = bisect_left(busy, (end,))
    return index == 0 or busy[index - 1][1] <= start


BATCH = 8  # candidate slots whose room bookings are read at once


def place_meeting(*, event: PartneringEvent, slots: list[tuple[datetime, datetime]], requester: EventRegistration,
                  invitee: EventRegistration, people: list[Any], subject: str, created_by: Any) -> Meeting | None:
    """Book the first slot free for both companies, every person and one room; None when there is none.

    Runs inside the caller's transaction; each attempt is a savepoint, so a slot lost to a concurrent booking
    (exclusion violation) is simply skipped."""
    windows: dict[int, list[tuple[datetime, datetime]]] = {requester.pk: [], invitee.pk: []}
    person_ids = [person.pk for person in people]
    people_busy: list[tuple[datetime, datetime]] = []
    # Both companies' availability and the people's bookings in one round trip.
    available = EventAvailability.objects.filter(registration__in=[requester.pk, invitee.pk]).annotate(
        kind=Value("a", output_field=CharField()), ref=F("registration_id")).values_list(
        "kind", "ref", "starts_at", "ends_at")
    booked = Booking.objects.filter(user_id__in=person_ids, starts_at__lt=slots[-1][1], ends_at__gt=slots[0][0]
                                    ).annotate(kind=Value("b", output_field=CharField()), ref=F("user_id")).values_list(
        "kind", "ref", "starts_at", "ends_at")
    for kind, ref, starts_at, ends_at in available.union(booked, all=True):
        if kind == "a":
            windows[ref].append((starts_at, ends_at))
        else:
            people_busy.append((starts_at, ends_at))
    if not windows[requester.pk] or not windows[invitee.pk]:
        return None
    candidates = [(start, end) for start, end in slots
                  if _inside(windows[requester.pk], start, end) and _inside(windows[invitee.pk], start, end)
                  and not _overlaps(people_busy, start, end)]
    for offset in range(0, len(candidates), BATCH):
        batch = candidates[offset:offset + BATCH]
        rooms_busy: dict[str, list[tuple[datetime, datetime]]] = {}
        for room, starts_at, ends_at in Booking.objects.filter(
                event=event, user__isnull=True, starts_at__lt=batch[-1][1], ends_at__gt=batch[0][0]).values_list(
                "room", "starts_at", "ends_at"):
            rooms_busy.setdefault(room, []).append((starts_at, ends_at))
        for busy in rooms_busy.values():
            busy.sort()
        for start, end in batch:
            free = [name for name in event.rooms if _room_free(rooms_busy.get(name, []), start, end)]
            if not free:
                continue
            meeting = _try_book(event, requester, invitee, people, subject, created_by, start, end, str(free[0]))
            if meeting is not None:
                return meeting
    return None


def _try_book(event: PartneringEvent, requester: EventRegistration, invitee: EventRegistration, people: list[Any],
              subject: str, created_by: Any, start: datetime, end: datetime, room: str) -> Meeting | None:
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                context_type=EVENT_CONTEXT, context_id=event.pk, event=event, room=room,
                requester_company_id=requester.company_id, invitee_company_id=invitee.company_id,
                subject=subject, status=MeetingStatus.CONFIRMED, starts_at=start, ends_at=end,
                location=f"{event.name} · {room}"[:300], created_by=created_by)
            MeetingParticipant.objects.bulk_create(
                [MeetingParticipant(meeting=meeting, user=person, company_id=company_id)
                 for person, company_id in _sides(people, requester, invitee)])
            Booking.objects.bulk_create(
                [Booking(meeting=meeting, user=person, starts_at=start, ends_at=end) for person in people]
                + [Booking(meeting=meeting, event=event, room=room, starts_at=start, ends_at=end)])
    except IntegrityError:
        # Someone else took this person or this room for this slot a moment ago: the caller tries the next.
        return None
    return meeting


def _sides(people: list[Any], requester: EventRegistration, invitee: EventRegistration) -> list[tuple[Any, int]]:
    # The delegate of the invited company is the last person; everyone before them is on the requesting side.
    return [(person, requester.company_id) for person in people[:-1]] + [(people[-1], invitee.company_id)]
