"""iCalendar e-mails and reminders, each in the reader's language and time zone."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.notifications.emails import build_email, normalize_language
from apps.notifications.services import notify
from apps.partnering import ics
from apps.partnering.models import (
    Meeting,
    MeetingInvitationSent,
    MeetingMessageKind,
    MeetingParticipant,
    MeetingReminderSent,
    MeetingStatus,
)

REMINDER_LEADS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))


def local_time(moment: datetime | None, user: Any) -> str:
    """`moment` (UTC) as the reader sees it: their zone, with its abbreviation and UTC offset."""
    if moment is None:
        return ""
    try:
        zone = zoneinfo.ZoneInfo(getattr(user, "time_zone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} (UTC{local:%z}, {zone.key})"


def invitations_send(*, meeting_id: int, sequence: int) -> int:
    """Send the current iCalendar message to each participant who has not had this SEQUENCE yet. A message for an
    older SEQUENCE is dropped: the newer one is on its way."""
    meeting = (Meeting.objects.select_related("requester_company", "invitee_company").filter(pk=meeting_id)
               .first())
    if meeting is None or meeting.sequence != sequence:
        return 0
    cancel = meeting.status == MeetingStatus.CANCELLED
    if meeting.status not in (MeetingStatus.CONFIRMED, MeetingStatus.CANCELLED):
        return 0
    method = MeetingMessageKind.CANCELLATION if cancel else MeetingMessageKind.INVITATION
    sent = 0
    for participant in MeetingParticipant.objects.filter(meeting=meeting).select_related("user"):
        user = participant.user
        # Only people who may still see the meeting (a participant who left the company hears nothing more).
        if not user.is_active or not Meeting.objects.for_user(user, "view").filter(pk=meeting.pk).exists():
            continue
        try:
            with transaction.atomic():
                MeetingInvitationSent.objects.create(meeting=meeting, user=user, sequence=sequence, method=method)
                _invitation_email(meeting, user, cancel=cancel).send()
        except IntegrityError:
            continue  # already sent by an earlier run
        sent += 1
    return sent


def _invitation_email(meeting: Meeting, user: Any, *, cancel: bool) -> Any:
    language = normalize_language(getattr(user, "preferred_language", "en"))
    with translation.override(language):
        if cancel:
            subject = _("Cancelled: %(subject)s") % {"subject": meeting.subject}
        elif meeting.sequence:
            subject = _("Updated invitation: %(subject)s") % {"subject": meeting.subject}
        else:
            subject = _("Invitation: %(subject)s") % {"subject": meeting.subject}
        zh = language.startswith("zh")
        context = {
            "recipient_name": user.full_name, "subject": meeting.subject, "cancel": cancel,
            "when": local_time(meeting.starts_at, user), "until": local_time(meeting.ends_at, user),
            "location": meeting.location,
            "requester": (meeting.requester_company.name_zh or meeting.requester_company.name_en) if zh
            else meeting.requester_company.name_en,
            "invitee": (meeting.invitee_company.name_zh or meeting.invitee_company.name_en) if zh
            else meeting.invitee_company.name_en,
        }
    message = build_email(template="partnering/email/invitation", language=language, subject=subject, to=user.email,
                          context=context, headers={"X-GPC-Meeting": str(meeting.uid)})
    method = "CANCEL" if cancel else "REQUEST"
    message.attach("invite.ics", ics.invitation(meeting, language=language, cancel=cancel),
                   f"text/calendar; charset=utf-8; method={method}")
    return message


def reminders_send(now: datetime | None = None) -> int:
    """Claim and send the reminders that are due: 24 hours before (until 1 hour before), then 1 hour before."""
    now = now or timezone.now()
    count = 0
    for lead, delta in REMINDER_LEADS:
        upper = now + delta
        lower = now if lead == "1h" else now + timedelta(hours=1)
        due = Meeting.objects.filter(status=MeetingStatus.CONFIRMED, starts_at__gt=lower, starts_at__lte=upper)
        for meeting in due.select_related("requester_company", "invitee_company"):
            if meeting.starts_at is None:  # a confirmed meeting always has a time; the filter says so too
                continue
            try:
                with transaction.atomic():
                    MeetingReminderSent.objects.create(meeting=meeting, lead=lead, starts_at=meeting.starts_at)
                    _remind(meeting, lead)
            except IntegrityError:
                continue
            count += 1
    return count


def _remind(meeting: Meeting, lead: str) -> None:
    from apps.accounts.models import User
    from apps.partnering.services.meetings import _meeting_context

    recipients = User.objects.filter(pk__in=MeetingParticipant.objects.filter(meeting=meeting).values("user_id"),
                                     is_active=True)
    notify(kind="partnering.meeting_reminder", recipients=recipients, target=meeting,
           context=_meeting_context(meeting, lead=lead))
