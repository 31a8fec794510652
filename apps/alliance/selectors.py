"""Reads of the alliance. Views read through the restricted querysets of GuardedViewSet; these helpers only shape
what a visible object already leads to."""

from __future__ import annotations

from typing import Any

from apps.alliance.models import ActionItem, CommitteeKind, CommitteeMeeting, ItemStatus, Obligation, ObligationStatus


def open_business(meeting: CommitteeMeeting) -> dict[str, Any]:
    """What a meeting must look at: the alliance's action items open past their date, and (for the steering
    committee) its overdue obligations."""
    day = meeting.starts_at.date()
    items = ActionItem.objects.filter(alliance_id=meeting.alliance_id, status=ItemStatus.OPEN, due_on__lt=day)
    obligations = (Obligation.objects.filter(alliance_id=meeting.alliance_id, status=ObligationStatus.OVERDUE)
                   if meeting.committee.kind == CommitteeKind.STEERING else Obligation.objects.none())
    return {
        "overdue_action_items": [{"id": i.pk, "title": i.title, "owner_company": i.owner_company_id,
                                  "due_on": i.due_on.isoformat()} for i in items],
        "overdue_obligations": [{"id": o.pk, "title": o.title, "owner_company": o.owner_company_id,
                                 "due_on": o.due_on.isoformat()} for o in obligations],
    }
