"""Celery tasks of agreements: daily sweeps (beat) that fan out one small task per reminder.

Every task takes ids and dates (JSON) and runs on apps.core.tasks.BaseTask (late acks, requeue on a lost
worker, retries of transient errors). Each is idempotent: reminders claim a unique Reminder row, state
changes are conditional updates, so a task run twice does nothing the second time.
Schedules: migrations/0002_periodic_tasks.py (django-celery-beat, visible and editable in the admin).
"""

from __future__ import annotations

import datetime
from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from apps.agreements import services
from apps.agreements.models import IN_FORCE, Agreement, Milestone, MilestoneStatus
from apps.core.tasks import BaseTask

# How many days ahead the parties hear about a milestone due date or a JSC meeting.
MILESTONE_REMINDER_DAYS = 14
JSC_REMINDER_DAYS = 7

@shared_task(base=BaseTask)
def remind_milestone_due(milestone_id: int, due_on: str) -> bool:
    """Remind both parties of one milestone due soon. Sends once per milestone and due date."""
    return services.milestone_remind_due(milestone_id=int(milestone_id),
                                         due_on=datetime.date.fromisoformat(due_on))


@shared_task(base=BaseTask)
def remind_jsc_meeting(agreement_id: int, meeting_on: str) -> bool:
    """Remind both parties of one JSC meeting. Sends once per agreement and meeting date."""
    return services.agreement_remind_jsc(agreement_id=int(agreement_id),
                                         meeting_on=datetime.date.fromisoformat(meeting_on))


@shared_task(base=BaseTask)
def send_due_reminders(today: str | None = None) -> int:
    """Periodic (daily): enqueue one reminder task per milestone due and JSC meeting in the coming days."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    services.agreements_advance_jsc_meetings(today=day)
    milestones = Milestone.objects.filter(
        status=MilestoneStatus.PENDING, agreement__status__in=IN_FORCE, due_on__gte=day,
        due_on__lte=day + datetime.timedelta(days=MILESTONE_REMINDER_DAYS)).values_list("pk", "due_on")
    meetings = Agreement.objects.filter(
        status__in=IN_FORCE, next_jsc_meeting_on__gte=day,
        next_jsc_meeting_on__lte=day + datetime.timedelta(days=JSC_REMINDER_DAYS)).values_list(
        "pk", "next_jsc_meeting_on")
    count = 0
    for pk, due_on in milestones:
        # partial, not a lambda: each hook keeps its own ids (a lambda in a loop binds late).
        transaction.on_commit(partial(remind_milestone_due.delay, pk, str(due_on)))  # ISO date
        count += 1
    for pk, meeting_on in meetings:
        transaction.on_commit(partial(remind_jsc_meeting.delay, pk, str(meeting_on)))
        count += 1
    return count


@shared_task(base=BaseTask)
def update_agreement_states(today: str | None = None) -> dict[str, int]:
    """Periodic (daily): executed agreements whose effective date came become active; ended terms expire."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return {"activated": services.agreements_activate_due(today=day),
            "expired": services.agreements_expire_due(today=day)}
