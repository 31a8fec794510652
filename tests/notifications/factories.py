"""Delivered notifications for API tests: made through the real path (notify + delivery), not by hand."""

from typing import Any

from apps.notifications.delivery import event_deliver
from apps.notifications.models import Notification
from apps.notifications.services import notify


def deliver_role_change(person: Any, company: Any, role: str = "admin") -> Notification:
    event = notify(kind="membership.role_changed", recipients=[person], target=company,
                   context={"company": company.name_en, "company_zh": company.name_zh, "role": role})
    event_deliver(event_id=event.pk)
    return Notification.objects.get(event=event, recipient=person)
