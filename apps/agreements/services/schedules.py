"""Dates: the JSC meeting cadence, and the reminders of milestones due and meetings coming (once each, claimed by a
unique Reminder row)."""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.agreements.models import (
    IN_FORCE,
    Agreement,
    Milestone,
    MilestoneStatus,
    Reminder,
)
from apps.agreements.services.common import (
    milestone_context,
    notify_parties,
)
from apps.agreements.terms import Cadence


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 month = 28/29 Feb)."""
    return day + relativedelta(months=months)


def next_meeting(governance: dict[str, Any] | None, today: datetime.date) -> datetime.date | None:
    """The first JSC meeting on or after today, from the first meeting and the cadence."""
    if not governance or not governance.get("first_meeting"):
        return None
    meeting = datetime.date.fromisoformat(governance["first_meeting"])
    step = Cadence.MONTHS[governance["meeting_cadence"]]
    first, n = meeting, 0
    while meeting < today:
        n += 1
        meeting = add_months(first, step * n)
    return meeting


def _claim_reminder(**key: Any) -> bool:
    """Insert the reminder's unique row; False if it already exists (another run sent it)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(**key)
        return True
    except IntegrityError:
        return False


@transaction.atomic
def milestone_remind_due(*, milestone_id: int, due_on: datetime.date) -> bool:
    """Remind the parties of a milestone due soon, once per milestone and due date."""
    milestone = Milestone.objects.select_related("agreement").filter(pk=milestone_id).first()
    if milestone is None or milestone.due_on != due_on or milestone.status != MilestoneStatus.PENDING:
        return False
    if milestone.agreement.status not in IN_FORCE:
        return False
    if not _claim_reminder(kind=Reminder.Kind.MILESTONE_DUE, agreement=milestone.agreement, milestone=milestone,
                           due_on=due_on):
        return False
    notify_parties("agreement.milestone_due_soon", milestone.agreement, target=milestone,
                    due_on=due_on.isoformat(), **milestone_context(milestone))
    return True


@transaction.atomic
def agreement_remind_jsc(*, agreement_id: int, meeting_on: datetime.date) -> bool:
    """Remind the parties of the next JSC meeting, once per meeting date."""
    agreement = Agreement.objects.filter(pk=agreement_id, status__in=IN_FORCE).first()
    if agreement is None or agreement.next_jsc_meeting_on != meeting_on:
        return False
    if not _claim_reminder(kind=Reminder.Kind.JSC_MEETING, agreement=agreement, milestone=None, due_on=meeting_on):
        return False
    notify_parties("agreement.jsc_meeting_soon", agreement, meeting_on=meeting_on.isoformat())
    return True


def agreements_advance_jsc_meetings(*, today: datetime.date | None = None) -> int:
    """After a JSC meeting date passes, the next one (by the cadence) becomes the one to remind about."""
    today = today or timezone.localdate()
    moved = 0
    for agreement in Agreement.objects.filter(status__in=IN_FORCE, next_jsc_meeting_on__lt=today).select_related(
            "executed_version"):
        governance = agreement.executed_version.terms.get("governance") if agreement.executed_version else None
        nxt = next_meeting(governance, today)
        moved += Agreement.objects.filter(pk=agreement.pk, next_jsc_meeting_on=agreement.next_jsc_meeting_on).update(
            next_jsc_meeting_on=nxt)
    return moved
