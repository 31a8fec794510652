"""Meetings across time zones, their slots and messages, calendar feeds, and partnering events with their
registrations, availability and bookings."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.companies.models import CONTRIBUTING_ROLES, Company, VerificationStatus, company_ids_of
from apps.core.authz import CHANGE, VIEW, GuardedModel

from .calls import _exists_q

# --- meetings --------------------------------------------------------------------------------------------------

class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(GuardedModel):
    """People of two companies meeting about a shared context (apps.partnering.contexts). Times are UTC."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the iCalendar UID, never changes
    context_type = models.CharField(_("context"), max_length=32)
    context_id = models.PositiveBigIntegerField(_("context id"))
    requester_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("requesting company"))
    invitee_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("invited company"))
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices,
                              default=MeetingStatus.REQUESTED, db_index=True)
    # Whose turn it is to answer: the company that did not propose the open slots.
    awaiting_company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at (UTC)"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("ends at (UTC)"), null=True, blank=True)
    location = models.CharField(_("location or link"), max_length=300, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: raised on every change sent out
    decline_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    event = models.ForeignKey("PartneringEvent", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="meetings", verbose_name=_("partnering event"))
    room = models.CharField(_("room or table"), max_length=80, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["context_type", "context_id"], name="meeting_context_idx")]

    def __str__(self) -> str:
        return self.subject

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        mine = company_ids_of(user)
        if action == VIEW:
            return Q(requester_company_id__in=mine) | Q(invitee_company_id__in=mine)
        if action in (CHANGE, "respond"):
            contributing = company_ids_of(user, CONTRIBUTING_ROLES)
            return Q(requester_company_id__in=contributing) | Q(invitee_company_id__in=contributing)
        return False


class SlotStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    SUPERSEDED = "superseded", _("Superseded")


class MeetingSlot(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at (UTC)"))
    ends_at = models.DateTimeField(_("ends at (UTC)"))
    proposed_by_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=SlotStatus.choices, default=SlotStatus.PROPOSED)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="slot_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.starts_at:%Y-%m-%d %H:%M} UTC"


class MeetingParticipant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="participant_once")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.meeting_id}"


class MeetingMessageKind(models.TextChoices):
    INVITATION = "request", "REQUEST"
    CANCELLATION = "cancel", "CANCEL"


class MeetingInvitationSent(models.Model):
    """One iCalendar e-mail per meeting, person, SEQUENCE and method: the task that sends them is idempotent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField()
    method = models.CharField(max_length=8, choices=MeetingMessageKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user", "sequence", "method"],
                                               name="invitation_sent_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.user_id} #{self.sequence} {self.method}"


class MeetingReminderSent(models.Model):
    """A 24-hour or 1-hour reminder, claimed once per meeting, lead time and start time."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    lead = models.CharField(max_length=4)  # "24h" | "1h"
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "lead", "starts_at"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.lead}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(GuardedModel):
    """A person's private ICS feed of their meetings, reached with a secret token they can rotate."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    rotated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return Q(user=user) if action in (VIEW, CHANGE) else False


# --- partnering events -----------------------------------------------------------------------------------------

class PartneringEvent(GuardedModel):
    """A conference with one-on-one meeting slots. Staff create it; verified companies register."""

    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    day_starts = models.TimeField(_("meetings from (local time)"))
    day_ends = models.TimeField(_("meetings until (local time)"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"),
                                                    validators=[MinValueValidator(10), MaxValueValidator(240)])
    rooms = models.JSONField(_("rooms or tables"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partnering event")
        verbose_name_plural = _("partnering events")
        ordering = ["-starts_on", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return _exists_q(_verified_member_ids(user))
        if action == CHANGE:
            return bool(user.is_staff)
        return False


def _verified_member_ids(user: Any) -> models.QuerySet:
    from apps.companies.models import Membership

    return Membership.objects.filter(user=user, company__verification_status=VerificationStatus.VERIFIED).values(
        "company_id")


class EventRegistration(GuardedModel):
    event = models.ForeignKey(PartneringEvent, on_delete=models.CASCADE, related_name="registrations")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["event", "company"], name="registration_once")]

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            return True if user.is_staff else Q(company_id__in=company_ids_of(user))
        return False


class EventAvailability(models.Model):
    """A window (UTC) in which a registered company takes meetings at the event."""

    registration = models.ForeignKey(EventRegistration, on_delete=models.CASCADE, related_name="availability")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="availability_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.starts_at:%Y-%m-%d %H:%M}"


class Booking(models.Model):
    """A person's (or a room's) busy time. On PostgreSQL two exclusion constraints (migration 0002, btree_gist)
    refuse any overlap for the same person or the same event room: nobody is ever in two meetings at once."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    event = models.ForeignKey(PartneringEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    room = models.CharField(max_length=80, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "starts_at"], name="booking_user_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(room=""), name="booking_person_or_room"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id or self.room}: {self.starts_at:%Y-%m-%d %H:%M}"
