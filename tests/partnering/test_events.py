"""Partnering events: availability, requests placed into mutually free slots, and nobody double-booked —
enforced by PostgreSQL exclusion constraints, also when bookings race on separate connections."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from apps.core.errors import Conflict
from apps.partnering.models import Booking, EventAvailability, Meeting
from apps.partnering.services import event_meeting_schedule, event_slots
from tests.conftest import build_world
from tests.factories import CompanyFactory, UserFactory, add_member
from tests.partnering.helpers import make_event, make_meeting, register

pytestmark = pytest.mark.django_db


def _company(name, kind="pharma"):
    company = CompanyFactory(name_en=name, kind=kind)
    person = UserFactory(email=f"{name.lower().replace(' ', '.')}@event.test")
    add_member(company, person, "admin")
    return company, person


def test_staff_create_an_event_and_its_slots_follow_local_hours_in_utc(world):
    response = world.client("staff").post("/api/v1/events/", {
        "name": "Boston Partnering Week", "starts_on": "2031-03-07", "ends_on": "2031-03-10",
        "time_zone": "America/New_York", "day_starts": "09:00", "day_ends": "10:00", "slot_minutes": 30,
        "rooms": ["Table 1"]}, format="json")
    assert response.status_code == 201, response.content
    from apps.partnering.models import PartneringEvent

    slots = event_slots(PartneringEvent.objects.get())
    starts = [start.strftime("%m-%d %H:%M") for start, _end in slots]
    # 09:00 New York is 14:00 UTC before the change on 9 March and 13:00 UTC after it.
    assert starts[:2] == ["03-07 14:00", "03-07 14:30"]
    assert starts[-2:] == ["03-10 13:00", "03-10 13:30"]


def test_a_request_is_placed_in_the_first_mutually_free_slot_with_a_room(world):
    event = make_event(world, rooms=1)
    slots = event_slots(event)
    northbridge = register(event, world.partner, world.other_member, whole_event=False)
    EventAvailability.objects.create(registration=northbridge, starts_at=slots[2][0], ends_at=slots[-1][1])
    register(event, world.licensor, world.owner)
    meeting = event_meeting_schedule(actor=world.other_member, event=event, invitee_company=world.licensor,
                                     subject="Intro")
    assert (meeting.starts_at, meeting.ends_at) == slots[2]
    assert meeting.status == "confirmed" and meeting.room == "Table 1"
    # The next request by the same people goes to the following slot.
    second = event_meeting_schedule(actor=world.owner, event=event, invitee_company=world.partner, subject="Again")
    assert (second.starts_at, second.ends_at) == slots[3]


def test_no_common_slot_is_a_conflict_and_writes_nothing(world):
    event = make_event(world)
    slots = event_slots(event)
    northbridge = register(event, world.partner, world.other_member, whole_event=False)
    lumina = register(event, world.licensor, world.owner, whole_event=False)
    EventAvailability.objects.create(registration=northbridge, starts_at=slots[0][0], ends_at=slots[1][1])
    EventAvailability.objects.create(registration=lumina, starts_at=slots[3][0], ends_at=slots[4][1])
    with pytest.raises(Conflict):
        event_meeting_schedule(actor=world.other_member, event=event, invitee_company=world.licensor, subject="x")
    assert not Meeting.objects.exists()


def test_a_meeting_outside_the_event_blocks_the_same_person(world):
    event = make_event(world)
    slots = event_slots(event)
    register(event, world.partner, world.other_member)
    register(event, world.licensor, world.owner)
    outside = make_meeting(world)
    Booking.objects.create(meeting=outside, user=world.owner, starts_at=slots[0][0], ends_at=slots[1][1])
    meeting = event_meeting_schedule(actor=world.other_member, event=event, invitee_company=world.licensor,
                                     subject="Intro")
    assert meeting.starts_at == slots[2][0]


def test_the_database_refuses_an_overlapping_booking_of_one_person(world):
    meeting = make_meeting(world)
    start = meeting.slots.get().starts_at
    Booking.objects.create(meeting=meeting, user=world.owner, starts_at=start, ends_at=start + timedelta(hours=1))
    Booking.objects.create(meeting=meeting, user=world.owner, starts_at=start + timedelta(hours=1),
                           ends_at=start + timedelta(hours=2))  # back to back is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(meeting=meeting, user=world.owner, starts_at=start + timedelta(minutes=30),
                               ends_at=start + timedelta(minutes=90))


def test_the_database_refuses_two_meetings_in_one_room_at_once(world):
    event = make_event(world)
    meeting = make_meeting(world)
    start = event_slots(event)[0][0]
    Booking.objects.create(meeting=meeting, event=event, room="Table 1", starts_at=start,
                           ends_at=start + timedelta(minutes=30))
    Booking.objects.create(meeting=meeting, event=event, room="Table 2", starts_at=start,
                           ends_at=start + timedelta(minutes=30))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(meeting=meeting, event=event, room="Table 1", starts_at=start,
                               ends_at=start + timedelta(minutes=30))


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_one_person_never_double_book():
    """Eight companies ask the same biotech delegate at the same moment, each on its own connection. Without the
    exclusion constraint the Python checks would all pass and book the first slot eight times."""
    world = build_world()
    event = make_event(world, days=2, rooms=8, slot_minutes=30)  # 12 slots for 8 requests
    register(event, world.licensor, world.owner)
    askers = []
    for n in range(8):
        company, person = _company(f"Racer {n}")
        register(event, company, person)
        askers.append(person)
    barrier = threading.Barrier(len(askers))
    results, errors = [], []

    def ask(person):
        try:
            barrier.wait(timeout=30)
            meeting = event_meeting_schedule(actor=person, event=event, invitee_company=world.licensor,
                                             subject="Race")
            results.append((meeting.starts_at, meeting.room))
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(person,)) for person in askers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(results) == 8
    owner_slots = sorted(Booking.objects.filter(user=world.owner).values_list("starts_at", flat=True))
    assert len(owner_slots) == len(set(owner_slots)) == 8  # eight distinct slots: never two at once
    assert owner_slots == [start for start, _end in event_slots(event)[:8]]
