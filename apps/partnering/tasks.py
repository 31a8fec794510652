"""Background work of partnering (queue "default"): iCalendar e-mails and meeting reminders.

Tasks take ids and are safe to repeat: every e-mail is claimed once per meeting, person, SEQUENCE and method
(MeetingInvitationSent), every reminder once per meeting, lead time and start (MeetingReminderSent).
Schedule: migrations/0003_periodic_tasks.py (django-celery-beat, every 5 minutes).
"""

from __future__ import annotations

from celery import shared_task

from apps.core.tasks import BaseTask


@shared_task(time_limit=120, soft_time_limit=100, base=BaseTask)
def meeting_send_invitations(meeting_id: int, sequence: int) -> int:
    """E-mail the meeting's iCalendar message (REQUEST, or CANCEL once cancelled) to every participant."""
    from apps.partnering.mailing import invitations_send

    return invitations_send(meeting_id=int(meeting_id), sequence=int(sequence))


@shared_task(time_limit=300, soft_time_limit=240, base=BaseTask)
def meetings_remind_sweep() -> int:
    """Every 5 minutes: remind participants 24 hours and 1 hour before a confirmed meeting."""
    from apps.partnering.mailing import reminders_send

    return reminders_send()
