"""B9: scheduling a partnering event with 500 companies and 5,000 meeting requests (apps/partnering/scheduling.py).

Each request is placed, in its own transaction, into the first slot inside both companies' availability where
neither delegate is booked and a table is free (`place_meeting`, the core of the event-meeting service; the
service adds the audit row and the notification every write carries). Reported:
* placed: of the requests for which a mutually free slot existed when they were made (checked independently,
  by brute force over every slot), the share that got one;
* double-bookings: pairs of overlapping bookings of one person or one table, counted in SQL afterwards;
* ratio: the scheduling time against inserting the very same meeting, participant and booking rows plainly (one
  transaction per meeting, the same exclusion constraints checked), measured in the same run.
Builds its own data (500 companies, one delegate each; a new event every run).
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from datetime import time as clock
from typing import Any

USES_SCALE_DATASET = False
N_COMPANIES = 500
N_REQUESTS = 5_000
# 500 companies hold at most 250 meetings at once: with 250 tables a table is never what is missing, so the
# measure is about people's time (a real event sizes its tables the same way).
N_TABLES = 250
PLACED_GOAL, RATIO_GOAL = 0.9, 5.0
CHUNK = 250
MARKER = "B9 company"


def _companies() -> list[tuple[Any, Any]]:
    from django.contrib.auth.models import Group

    from apps.accounts.models import User
    from apps.companies.models import Company, CompanyKind, Membership, Role, VerificationStatus

    existing = list(Company.objects.filter(name_en__startswith=MARKER).order_by("name_en"))
    if len(existing) < N_COMPANIES:
        for n in range(len(existing), N_COMPANIES):
            group = Group.objects.get_or_create(name=f"company:bench:b9:{n}")[0]
            company = Company.objects.create(name_en=f"{MARKER} {n:03d}", kind=CompanyKind.PHARMA if n % 2 else
                                             CompanyKind.BIOTECH, country="US" if n % 2 else "CN",
                                             verification_status=VerificationStatus.VERIFIED, group=group)
            person = User.objects.create_user(email=f"b9-delegate-{n}@bench.test", password=None,
                                              full_name=f"Delegate {n}",
                                              time_zone="America/New_York" if n % 2 else "Asia/Shanghai")
            Membership.objects.create(company=company, user=person, role=Role.ADMIN)
        existing = list(Company.objects.filter(name_en__startswith=MARKER).order_by("name_en"))
    people = {m.company_id: m.user for m in Membership.objects.filter(company__in=existing).select_related("user")}
    return [(company, people[company.pk]) for company in existing[:N_COMPANIES]]


def _event(staff: Any) -> Any:
    from apps.partnering.models import PartneringEvent

    starts_on = date(2031, 6, 2) + timedelta(days=7 * PartneringEvent.objects.count())
    return PartneringEvent.objects.create(
        name=f"B9 Partnering Week {starts_on}", starts_on=starts_on, ends_on=starts_on + timedelta(days=1),
        time_zone="America/New_York", day_starts=clock(9, 0), day_ends=clock(18, 0), slot_minutes=30,
        rooms=[f"Table {n}" for n in range(1, N_TABLES + 1)], created_by=staff)


def _reinsert_plainly(new_meetings: Any) -> float:
    """Delete `new_meetings` with their participants and bookings, insert the same rows again one meeting per
    transaction, and return how long the inserts took."""
    from django.db import transaction

    from apps.partnering.models import Booking, Meeting, MeetingParticipant

    meetings = list(new_meetings.values())
    ids = [row["id"] for row in meetings]
    participants: dict[int, list[dict[str, Any]]] = {}
    for row in MeetingParticipant.objects.filter(meeting_id__in=ids).values("meeting_id", "user_id", "company_id"):
        participants.setdefault(row["meeting_id"], []).append(row)
    bookings: dict[int, list[dict[str, Any]]] = {}
    for row in Booking.objects.filter(meeting_id__in=ids).values("meeting_id", "user_id", "event_id", "room",
                                                                 "starts_at", "ends_at"):
        bookings.setdefault(row["meeting_id"], []).append(row)
    Meeting.objects.filter(pk__in=ids).delete()
    started = time.perf_counter()
    for row in meetings:
        old_id = row.pop("id")
        with transaction.atomic():
            meeting = Meeting.objects.create(**row)
            MeetingParticipant.objects.bulk_create([MeetingParticipant(meeting=meeting, user_id=p["user_id"],
                                                                       company_id=p["company_id"])
                                                    for p in participants[old_id]])
            Booking.objects.bulk_create([Booking(meeting=meeting, **{k: v for k, v in b.items() if k != "meeting_id"})
                                         for b in bookings[old_id]])
    return time.perf_counter() - started


def run(ctx: dict[str, Any]) -> list[str]:
    from django.db import connection, transaction

    from apps.accounts.models import User
    from apps.partnering.models import EventAvailability, EventRegistration, Meeting
    from apps.partnering.scheduling import place_meeting
    from apps.partnering.services import event_slots

    rng = random.Random(20261130)
    staff = User.objects.filter(email="b9-staff@bench.test").first() or User.objects.create_user(
        email="b9-staff@bench.test", password=None, full_name="B9 Staff", is_staff=True)
    companies = _companies()
    event = _event(staff)
    slots = event_slots(event)
    registrations, windows = {}, {}
    created = EventRegistration.objects.bulk_create([EventRegistration(event=event, company=company,
                                                                       registered_by=person)
                                                     for company, person in companies])
    rows = []
    for (company, _person), registration in zip(companies, created, strict=True):
        # Most take meetings both days; some only one day or only mornings.
        shape = rng.random()
        day_one, day_two = slots[:18], slots[18:]
        if shape < 0.6:
            spans = [(day_one[0][0], day_one[-1][1]), (day_two[0][0], day_two[-1][1])]
        elif shape < 0.8:
            day = rng.choice([day_one, day_two])
            spans = [(day[0][0], day[-1][1])]
        else:
            spans = [(day[0][0], day[8][1]) for day in (day_one, day_two)]
        rows.extend(EventAvailability(registration=registration, starts_at=start, ends_at=end)
                    for start, end in spans)
        registrations[company.pk], windows[company.pk] = registration, spans
    EventAvailability.objects.bulk_create(rows)
    pairs = []
    while len(pairs) < N_REQUESTS:
        first, second = rng.sample(companies, 2)
        pairs.append((first, second))

    busy: dict[int, set[Any]] = {}

    tables_taken: dict[Any, int] = {}

    def mutually_free(a: Any, b: Any) -> bool:
        for start, end in slots:
            inside = all(any(s <= start and end <= e for s, e in windows[c.pk]) for c in (a, b))
            if (inside and start not in busy.get(a.pk, set()) and start not in busy.get(b.pk, set())
                    and tables_taken.get(start, 0) < N_TABLES):
                return True
        return False

    placed, missed, scheduling, plain = 0, 0, 0.0, 0.0
    # Chunks alternate: schedule 250 requests (timed), then delete the rows they made and insert the very same
    # rows plainly (timed). The database holds the same rows after each chunk either way, and both sides see
    # the machine's load at the same moments.
    for offset in range(0, len(pairs), CHUNK):
        before = Meeting.objects.filter(event=event).values_list("pk", flat=True)
        known = set(before)
        started = time.perf_counter()
        for (first, first_person), (second, second_person) in pairs[offset:offset + CHUNK]:
            with transaction.atomic():
                meeting = place_meeting(event=event, slots=slots, requester=registrations[first.pk],
                                        invitee=registrations[second.pk], people=[first_person, second_person],
                                        subject="B9 meeting", created_by=first_person)
            if meeting is not None:
                placed += 1
                tables_taken[meeting.starts_at] = tables_taken.get(meeting.starts_at, 0) + 1
                for company in (first, second):
                    busy.setdefault(company.pk, set()).add(meeting.starts_at)
            elif mutually_free(first, second):
                missed += 1
        scheduling += time.perf_counter() - started
        plain += _reinsert_plainly(Meeting.objects.filter(event=event).exclude(pk__in=known))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM partnering_booking a JOIN partnering_booking b ON a.id < b.id "
            "AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at) "
            "AND ((a.user_id IS NOT NULL AND a.user_id = b.user_id) "
            "OR (a.user_id IS NULL AND b.user_id IS NULL AND a.event_id = b.event_id AND a.room = b.room)) "
            "WHERE a.event_id = %s OR b.event_id = %s OR a.meeting_id IN "
            "(SELECT id FROM partnering_meeting WHERE event_id = %s)", [event.pk, event.pk, event.pk])
        double_bookings = cursor.fetchone()[0]

    with_slot = placed + missed
    share = placed / with_slot if with_slot else 1.0
    ratio = scheduling / plain if plain else float("inf")
    ok = share >= PLACED_GOAL and double_bookings == 0 and ratio <= RATIO_GOAL
    return [f"B9 event-scheduling placed={share:.3f} double-bookings={double_bookings} ratio={ratio:.2f} "
            f"target=placed>={PLACED_GOAL},double-bookings=0,ratio<={RATIO_GOAL:g} {'ok' if ok else 'MISSED'}",
            f"   ({len(companies)} companies, {N_REQUESTS:,} requests, {len(slots)} slots x {N_TABLES} tables: "
            f"{placed:,} placed, {missed} not placed although a mutually free slot existed, "
            f"{N_REQUESTS - placed - missed:,} with none; scheduling {scheduling:.1f} s vs plain inserts "
            f"{plain:.1f} s)"]
