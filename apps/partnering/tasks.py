"""Background work of partnering (queue "default"): iCalendar e-mails and meeting reminders.

Tasks take ids and are safe to repeat: every e-mail is claimed once per meeting, person, SEQUENCE and method
(MeetingInvitationSent), every reminder once per meeting, lead time and start (MeetingReminderSent).
Schedule: migrations/0003_periodic_tasks.py (django-celery-beat, every 5 minutes).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

_COMMON: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError, ConnectionError, TimeoutError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(time_limit=120, soft_time_limit=100, **_COMMON)
def meeting_send_invitations(meeting_id: int, sequence: int) -> int:
    """E-mail the meeting's iCalendar message (REQUEST, or CANCEL once cancelled) to every participant."""
    from apps.partnering.mailing import invitations_send

    return invitations_send(meeting_id=int(meeting_id), sequence=int(sequence))


@shared_task(time_limit=300, soft_time_limit=240, **_COMMON)
def meetings_remind_sweep() -> int:
    """Every 5 minutes: remind participants 24 hours and 1 hour before a confirmed meeting."""
    from apps.partnering.mailing import reminders_send

    return reminders_send()
