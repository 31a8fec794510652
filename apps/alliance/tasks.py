"""Celery tasks of the alliance: a daily sweep (beat) that fans out one small task per reminder and overdue
obligation. Every task takes ids and dates, acknowledges late and is idempotent (reminders claim a unique row;
overdue marking is a conditional update), so a task run twice does nothing the second time.
Schedule: migrations/0002_periodic_tasks.py (django-celery-beat, editable in the admin)."""

from __future__ import annotations

import datetime
from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from apps.agreements.models import IN_FORCE
from apps.alliance import services
from apps.alliance.models import ActionItem, ItemStatus, Obligation, ObligationStatus
from apps.core.tasks import BaseTask

# How many days ahead a party hears about an action item or an obligation coming due.
ACTION_ITEM_REMINDER_DAYS = 7
OBLIGATION_REMINDER_DAYS = 30


@shared_task(base=BaseTask)
def remind_action_item(item_id: int, due_on: str) -> bool:
    return services.action_item_remind(item_id=int(item_id), due_on=datetime.date.fromisoformat(due_on))


@shared_task(base=BaseTask)
def remind_obligation(obligation_id: int, due_on: str) -> bool:
    return services.obligation_remind(obligation_id=int(obligation_id), due_on=datetime.date.fromisoformat(due_on))


@shared_task(base=BaseTask)
def mark_obligation_overdue(obligation_id: int, today: str) -> bool:
    return services.obligation_mark_overdue(obligation_id=int(obligation_id),
                                            today=datetime.date.fromisoformat(today))


@shared_task(base=BaseTask)
def sweep(today: str | None = None) -> int:
    """Periodic (daily): reminders for action items and obligations coming due, overdue obligations raised."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    in_force = {"alliance__agreement__status__in": IN_FORCE}
    items = ActionItem.objects.filter(
        status=ItemStatus.OPEN, due_on__gte=day, due_on__lte=day + datetime.timedelta(days=ACTION_ITEM_REMINDER_DAYS),
        **in_force).values_list("pk", "due_on")
    coming = Obligation.objects.filter(
        status=ObligationStatus.OPEN, due_on__gte=day,
        due_on__lte=day + datetime.timedelta(days=OBLIGATION_REMINDER_DAYS), **in_force).values_list("pk", "due_on")
    late = Obligation.objects.filter(status=ObligationStatus.OPEN, due_on__lt=day, **in_force).values_list(
        "pk", flat=True)
    count = 0
    # partial, not a lambda: each hook keeps its own ids (a lambda in a loop binds late).
    for pk, due_on in items:
        transaction.on_commit(partial(remind_action_item.delay, pk, due_on.isoformat()))
        count += 1
    for pk, due_on in coming:
        transaction.on_commit(partial(remind_obligation.delay, pk, due_on.isoformat()))
        count += 1
    for pk in late:
        transaction.on_commit(partial(mark_obligation_overdue.delay, pk, day.isoformat()))
        count += 1
    return count
