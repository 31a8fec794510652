"""Partnering test helpers: the extra personas and rows built straight in the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from apps.catalog.models import AssetStatus, ExpressionOfInterest
from apps.companies.models import CompanyKind, Role
from apps.partnering.models import (
    CallForAssets,
    CallStatus,
    EventAvailability,
    EventRegistration,
    Meeting,
    MeetingParticipant,
    MeetingSlot,
    MeetingStatus,
    PartneringEvent,
    Submission,
)
from apps.partnering.services import criteria_ensure_defaults
from tests.catalog.helpers import make_asset
from tests.factories import CompanyFactory, UserFactory, add_member


def add_people(world: Any) -> Any:
    """second_partner (a member of Rhine Pharma, another verified pharma) and another_biotech (a member of
    Jade Bio, another verified biotech)."""
    if "second_partner" not in world.people:
        rhine = CompanyFactory(name_en="Rhine Pharma", name_zh="莱茵制药", kind=CompanyKind.PHARMA, country="CH")
        jade = CompanyFactory(name_en="Jade Bio", name_zh="玉石生物", kind=CompanyKind.BIOTECH, country="CN")
        world.people["second_partner"] = UserFactory(email="member@rhine.test", full_name="Rhea Rhine")
        add_member(rhine, world.people["second_partner"], Role.MEMBER)
        world.people["another_biotech"] = UserFactory(email="member@jade.test", full_name="Jia Jade")
        add_member(jade, world.people["another_biotech"], Role.MEMBER)
        world.extra["rhine"], world.extra["jade"] = rhine, jade
    return world


def make_call(world: Any, status: str = CallStatus.OPEN, **fields: Any) -> CallForAssets:
    defaults: dict[str, Any] = dict(
        title_en="Seeking bispecific antibodies in oncology", title_zh="寻求肿瘤领域双特异性抗体",
        description_en="Phase 1 or later, ex-China rights.", description_zh="一期及以后，中国以外权益。",
        therapeutic_areas=["oncology"], modalities=["bispecific_antibody"],
        deadline=timezone.localdate() + timedelta(days=30))
    defaults.update(fields)
    call = CallForAssets(company=world.partner, status=status, created_by=world.other_member, **defaults)
    if status == CallStatus.OPEN:
        call.published_at = timezone.now()
    call.save()
    return call


def make_submission(world: Any, call: CallForAssets | None = None, **fields: Any) -> Submission:
    call = call or make_call(world)
    asset = fields.pop("asset", None) or make_asset(world.licensor, status=AssetStatus.PUBLISHED)
    return Submission.objects.create(call=call, asset=asset, company=world.licensor, pitch="Our PD-1xVEGF.",
                                     created_by=world.member, **fields)


def make_interest(world: Any) -> ExpressionOfInterest:
    asset = make_asset(world.licensor, status=AssetStatus.PUBLISHED)
    return ExpressionOfInterest.objects.create(asset=asset, company=world.partner, created_by=world.other_member,
                                               message="Interested.")


def future(days: int = 7, hour: int = 14) -> datetime:
    moment = (timezone.now() + timedelta(days=days)).astimezone(UTC)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def make_meeting(world: Any, status: str = MeetingStatus.REQUESTED) -> Meeting:
    """Northbridge (other_member) asks Lumina to meet about its interest; confirmed: at the first slot."""
    interest = make_interest(world)
    meeting = Meeting.objects.create(context_type="interest", context_id=interest.pk,
                                     requester_company=world.partner, invitee_company=world.licensor,
                                     awaiting_company=world.licensor, subject="PD-1xVEGF ex-China rights",
                                     created_by=world.other_member)
    start = future()
    MeetingSlot.objects.create(meeting=meeting, starts_at=start, ends_at=start + timedelta(hours=1),
                               proposed_by_company=world.partner)
    MeetingParticipant.objects.create(meeting=meeting, user=world.other_member, company=world.partner)
    if status == MeetingStatus.CONFIRMED:
        MeetingParticipant.objects.create(meeting=meeting, user=world.owner, company=world.licensor)
        meeting.status, meeting.awaiting_company = MeetingStatus.CONFIRMED, None
        meeting.starts_at, meeting.ends_at = start, start + timedelta(hours=1)
        meeting.save()
    return meeting


def make_event(world: Any, *, days: int = 1, rooms: int = 2, slot_minutes: int = 30) -> PartneringEvent:
    starts_on = (timezone.now() + timedelta(days=10)).date()
    return PartneringEvent.objects.create(
        name="Boston Partnering Week", starts_on=starts_on, ends_on=starts_on + timedelta(days=days - 1),
        time_zone="America/New_York", day_starts=time(9, 0), day_ends=time(12, 0), slot_minutes=slot_minutes,
        rooms=[f"Table {n}" for n in range(1, rooms + 1)], created_by=world.staff)


def register(event: PartneringEvent, company: Any, person: Any, *, whole_event: bool = True) -> EventRegistration:
    from apps.partnering.services import event_slots

    registration = EventRegistration.objects.create(event=event, company=company, registered_by=person)
    if whole_event:
        slots = event_slots(event)
        EventAvailability.objects.create(registration=registration, starts_at=slots[0][0], ends_at=slots[-1][1])
    return registration


def northbridge_criteria(world: Any) -> Any:
    criteria_ensure_defaults(world.partner)
    return world.partner.evaluation_criteria.order_by("position")


def day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)
