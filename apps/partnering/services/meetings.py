"""Meetings between two companies about a shared context, their iCalendar invitations and each person's
calendar feed."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.companies.models import Company
from apps.core.errors import Conflict, NotFound, PermissionRefused
from apps.core.validation import required_reason
from apps.notifications.services import notify
from apps.partnering import audit_actions as acts
from apps.partnering.contexts import get_context
from apps.partnering.models import (
    Booking,
    CalendarFeed,
    Meeting,
    MeetingParticipant,
    MeetingSlot,
    MeetingStatus,
    SlotStatus,
    new_feed_token,
)
from apps.partnering.notifications import meeting_context
from apps.partnering.services.common import _actor_company_among, _invalid, _users

MAX_SLOTS = 5
MAX_MEETING_MINUTES = 8 * 60


def _clean_slots(slots: Any) -> list[tuple[datetime, datetime]]:
    if not isinstance(slots, list | tuple) or not 1 <= len(slots) <= MAX_SLOTS:
        raise _invalid("slots", _("Propose between 1 and 5 slots."), code="slot_count")
    now = timezone.now()
    clean: list[tuple[datetime, datetime]] = []
    for slot in slots:
        starts_at, ends_at = slot["starts_at"], slot["ends_at"]
        if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
            raise _invalid("slots", _("Give times with their UTC offset."), code="naive_time")
        if ends_at <= starts_at or ends_at - starts_at > timedelta(minutes=MAX_MEETING_MINUTES):
            raise _invalid("slots", _("A slot must end after it starts, within 8 hours."), code="bad_slot")
        if starts_at <= now:
            raise _invalid("slots", _("A slot must be in the future."), code="slot_in_past")
        clean.append((starts_at.astimezone(zoneinfo.ZoneInfo("UTC")), ends_at.astimezone(zoneinfo.ZoneInfo("UTC"))))
    return clean


def _participants(company_id: int, user_ids: Iterable[int] | None, actor: Any) -> list[Any]:
    from apps.accounts.models import User

    ids = list(dict.fromkeys(user_ids or []))
    if not ids:
        return [actor]
    people = list(User.objects.filter(pk__in=ids, is_active=True, memberships__company_id=company_id).distinct())
    if len(people) != len(ids):
        raise _invalid("participants", _("Participants must be active members of your company."),
                       code="not_a_member")
    return people


@transaction.atomic
def meeting_request(*, actor: Any, context_type: str, context_id: Any, subject: str, slots: list[dict[str, Any]],
                    participants: list[int] | None = None, invitee_company: Company | None = None,
                    location: str = "") -> Meeting:
    """A contributor on one side of a shared context asks the other side to meet, proposing 1–5 slots."""
    context = get_context(context_type)
    if context is None:
        raise _invalid("context_type", _("Unknown context."), code="unknown_choice")
    resolved = context.resolve(actor, context_id)
    if resolved is None:
        raise NotFound()  # exactly like a context that does not exist
    _row, sides = resolved
    requester_id = _actor_company_among(actor, sides)
    if requester_id is None:
        raise PermissionRefused(_("Only contributors of a company taking part may request a meeting."),
                                code="not_a_party")
    others = [company_id for company_id in sides if company_id != requester_id]
    if invitee_company is not None:
        others = [company_id for company_id in others if company_id == invitee_company.pk]
    if len(others) != 1:
        raise _invalid("invitee_company", _("Say which company you invite."))
    subject = " ".join((subject or "").split())
    if not subject:
        raise _invalid("subject", _("This field is required."))
    clean_slots = _clean_slots(slots)
    people = _participants(requester_id, participants, actor)
    meeting = Meeting.objects.create(context_type=context_type, context_id=int(context_id),
                                     requester_company_id=requester_id, invitee_company_id=others[0],
                                     awaiting_company_id=others[0], subject=subject[:200],
                                     location=(location or "").strip()[:300], created_by=actor)
    MeetingSlot.objects.bulk_create([MeetingSlot(meeting=meeting, starts_at=start, ends_at=end,
                                                 proposed_by_company_id=requester_id) for start, end in clean_slots])
    MeetingParticipant.objects.bulk_create([MeetingParticipant(meeting=meeting, user=person,
                                                               company_id=requester_id) for person in people])
    meeting = Meeting.objects.select_related("requester_company", "invitee_company").get(pk=meeting.pk)
    audit_record(action=acts.MEETING_REQUESTED, actor=actor, target=meeting, company=meeting.requester_company,
                 details={"context": context_type, "context_id": int(context_id), "slots": len(clean_slots)})
    notify(kind="partnering.meeting_requested", recipients=_users(others[0]), target=meeting, actor=actor,
           context=meeting_context(meeting, slots=len(clean_slots)))
    return meeting


def _lock_meeting(actor: Any, meeting: Meeting) -> tuple[Meeting, int]:
    meeting = (Meeting.objects.select_for_update(of=("self",))
               .select_related("requester_company", "invitee_company").get(pk=meeting.pk))
    company_id = _actor_company_among(actor, [meeting.requester_company_id, meeting.invitee_company_id])
    if company_id is None:
        raise PermissionRefused()
    return meeting, company_id


def _company(company_id: int) -> Company:
    return Company.objects.get(pk=company_id)


def _other_side(meeting: Meeting, company_id: int) -> int:
    return meeting.invitee_company_id if company_id == meeting.requester_company_id else meeting.requester_company_id


def _participant_users(meeting: Meeting) -> QuerySet:
    from apps.accounts.models import User

    return User.objects.filter(pk__in=MeetingParticipant.objects.filter(meeting=meeting).values("user_id"),
                               is_active=True)


def _send_invitations_on_commit(meeting: Meeting) -> None:
    from apps.partnering.tasks import meeting_send_invitations

    transaction.on_commit(partial(meeting_send_invitations.delay, meeting.pk, meeting.sequence))


def book_people(meeting: Meeting, users: Iterable[Any], starts_at: datetime, ends_at: datetime, *,
                room: str = "") -> None:
    """Busy time for every participant (and the event room). On PostgreSQL an exclusion constraint refuses
    an overlap even between concurrent transactions; elsewhere the check below is all there is."""
    users = list(users)
    clash = Booking.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).filter(
        Q(user__in=users) | (Q(event_id=meeting.event_id, room=room) if room else Q(pk__in=[])))
    if clash.exclude(meeting=meeting).exists():
        raise Conflict(_("A participant already has a meeting at that time."), code="participant_busy")
    rows = [Booking(meeting=meeting, user=user, starts_at=starts_at, ends_at=ends_at) for user in users]
    if room:
        rows.append(Booking(meeting=meeting, event_id=meeting.event_id, room=room, starts_at=starts_at,
                            ends_at=ends_at))
    try:
        with transaction.atomic():
            Booking.objects.bulk_create(rows)
    except IntegrityError:
        raise Conflict(_("A participant already has a meeting at that time."), code="participant_busy") from None


@transaction.atomic
def meeting_accept(*, actor: Any, meeting: Meeting, slot: MeetingSlot,
                   participants: list[int] | None = None) -> Meeting:
    """The side whose turn it is accepts one proposed slot: the meeting is confirmed, everyone is booked and
    receives an iCalendar invitation."""
    meeting, company_id = _lock_meeting(actor, meeting)
    if meeting.status != MeetingStatus.REQUESTED or meeting.awaiting_company_id != company_id:
        raise Conflict(_("This meeting is not waiting for your answer."), code="invalid_transition")
    if slot.meeting_id != meeting.pk or slot.status != SlotStatus.PROPOSED:
        raise _invalid("slot", _("Choose one of the proposed slots."), code="unknown_slot")
    if slot.starts_at <= timezone.now():
        raise Conflict(_("This slot has passed."), code="slot_in_past")
    people = _participants(company_id, participants, actor)
    MeetingParticipant.objects.bulk_create([MeetingParticipant(meeting=meeting, user=person, company_id=company_id)
                                            for person in people], ignore_conflicts=True)
    book_people(meeting, _participant_users(meeting), slot.starts_at, slot.ends_at)
    MeetingSlot.objects.filter(meeting=meeting, status=SlotStatus.PROPOSED).exclude(pk=slot.pk).update(
        status=SlotStatus.SUPERSEDED)
    slot.status = SlotStatus.ACCEPTED
    slot.save(update_fields=["status"])
    first = meeting.starts_at is None and meeting.sequence == 0
    meeting.status = MeetingStatus.CONFIRMED
    meeting.starts_at, meeting.ends_at = slot.starts_at, slot.ends_at
    meeting.awaiting_company = None
    if not first:
        meeting.sequence += 1  # a new time for an invitation already sent
    meeting.save()
    audit_record(action=acts.MEETING_CONFIRMED, actor=actor, target=meeting, company=_company(company_id),
                 details={"slot": slot.pk, "starts_at": slot.starts_at.isoformat(), "sequence": meeting.sequence})
    notify(kind="partnering.meeting_confirmed", recipients=_participant_users(meeting), target=meeting,
           actor=actor, context=meeting_context(meeting))
    _send_invitations_on_commit(meeting)
    return meeting


@transaction.atomic
def meeting_propose(*, actor: Any, meeting: Meeting, slots: list[dict[str, Any]]) -> Meeting:
    """Either side proposes other slots (1–5); the earlier open ones lapse and the other side answers next.
    Proposing new times for a confirmed meeting puts it back to requested (its bookings are released)."""
    meeting, company_id = _lock_meeting(actor, meeting)
    if meeting.status not in (MeetingStatus.REQUESTED, MeetingStatus.CONFIRMED):
        raise Conflict(_("This meeting is closed."), code="invalid_transition")
    if meeting.status == MeetingStatus.REQUESTED and meeting.awaiting_company_id != company_id:
        raise Conflict(_("The other side has not answered yet."), code="invalid_transition")
    clean_slots = _clean_slots(slots)
    MeetingSlot.objects.filter(meeting=meeting).exclude(status=SlotStatus.SUPERSEDED).update(
        status=SlotStatus.SUPERSEDED)
    MeetingSlot.objects.bulk_create([MeetingSlot(meeting=meeting, starts_at=start, ends_at=end,
                                                 proposed_by_company_id=company_id) for start, end in clean_slots])
    Booking.objects.filter(meeting=meeting).delete()
    meeting.status = MeetingStatus.REQUESTED
    meeting.awaiting_company_id = _other_side(meeting, company_id)
    meeting.save()
    audit_record(action=acts.MEETING_SLOTS_PROPOSED, actor=actor, target=meeting, company=_company(company_id),
                 details={"slots": len(clean_slots)})
    notify(kind="partnering.meeting_slots_proposed", recipients=_users(meeting.awaiting_company_id),
           target=meeting, actor=actor, context=meeting_context(meeting, slots=len(clean_slots)))
    return meeting


@transaction.atomic
def meeting_decline(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """The side whose turn it is declines, with a reason the other side reads."""
    meeting, company_id = _lock_meeting(actor, meeting)
    if meeting.status != MeetingStatus.REQUESTED or meeting.awaiting_company_id != company_id:
        raise Conflict(_("This meeting is not waiting for your answer."), code="invalid_transition")
    reason = required_reason(reason, code="invalid")
    meeting.status = MeetingStatus.DECLINED
    meeting.decline_reason = reason[:2000]
    meeting.awaiting_company = None
    meeting.save()
    MeetingSlot.objects.filter(meeting=meeting, status=SlotStatus.PROPOSED).update(status=SlotStatus.SUPERSEDED)
    audit_record(action=acts.MEETING_DECLINED, actor=actor, target=meeting, company=_company(company_id),
                 details={"reason": meeting.decline_reason})
    notify(kind="partnering.meeting_declined", recipients=_users(_other_side(meeting, company_id)), target=meeting,
           actor=actor, context=meeting_context(meeting, reason=meeting.decline_reason))
    return meeting


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, subject: str | None = None,
                   location: str | None = None) -> Meeting:
    """Either side changes the subject or the place of a confirmed meeting: SEQUENCE rises and every participant
    receives the updated invitation."""
    meeting, company_id = _lock_meeting(actor, meeting)
    if meeting.status != MeetingStatus.CONFIRMED:
        raise Conflict(_("Only a confirmed meeting can be updated."), code="invalid_transition")
    changed = []
    if subject is not None and " ".join(subject.split()) and " ".join(subject.split()) != meeting.subject:
        meeting.subject = " ".join(subject.split())[:200]
        changed.append("subject")
    if location is not None and location.strip() != meeting.location:
        meeting.location = location.strip()[:300]
        changed.append("location")
    if not changed:
        return meeting
    meeting.sequence += 1
    meeting.save()
    audit_record(action=acts.MEETING_UPDATED, actor=actor, target=meeting, company=_company(company_id),
                 details={"changed": changed, "sequence": meeting.sequence})
    _send_invitations_on_commit(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str = "") -> Meeting:
    """Either side cancels; bookings are released and participants of a confirmed meeting receive METHOD:CANCEL."""
    meeting, company_id = _lock_meeting(actor, meeting)
    if meeting.status not in (MeetingStatus.REQUESTED, MeetingStatus.CONFIRMED):
        raise Conflict(_("This meeting is already closed."), code="invalid_transition")
    was_confirmed = meeting.status == MeetingStatus.CONFIRMED
    meeting.status = MeetingStatus.CANCELLED
    meeting.decline_reason = (reason or "").strip()[:2000]
    meeting.awaiting_company = None
    if was_confirmed:
        meeting.sequence += 1
    meeting.save()
    Booking.objects.filter(meeting=meeting).delete()
    audit_record(action=acts.MEETING_CANCELLED, actor=actor, target=meeting, company=_company(company_id),
                 details={"reason": meeting.decline_reason, "was_confirmed": was_confirmed})
    recipients = _participant_users(meeting) if was_confirmed else _users(_other_side(meeting, company_id))
    notify(kind="partnering.meeting_cancelled", recipients=recipients, target=meeting, actor=actor,
           context=meeting_context(meeting, reason=meeting.decline_reason))
    if was_confirmed:
        _send_invitations_on_commit(meeting)
    return meeting


@transaction.atomic
def calendar_feed_rotate(*, actor: Any) -> CalendarFeed:
    """A new secret for the person's calendar feed: the old URL stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=actor)
    if not created:
        feed.token = new_feed_token()
        feed.save()
    audit_record(action=acts.CALENDAR_FEED_ROTATED, actor=actor, target=feed, details={"created": created})
    return feed


def calendar_feed_of(user: Any) -> CalendarFeed:
    """The person's feed, created (audited) on first use."""
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed if feed is not None else calendar_feed_rotate(actor=user)

