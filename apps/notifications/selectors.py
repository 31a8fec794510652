"""Reads for notifications, always restricted to the person asking."""

from typing import Any

from django.db.models import QuerySet

from apps.notifications.kinds import Kind, personal_kinds
from apps.notifications.models import Notification, NotificationPreference


def notifications_for(*, user: Any, unread: bool | None = None) -> QuerySet[Notification]:
    queryset = Notification.objects.for_user(user, "view")
    if unread is True:
        queryset = queryset.filter(read_at__isnull=True)
    elif unread is False:
        queryset = queryset.filter(read_at__isnull=False)
    return queryset


def unread_count(*, user: Any) -> int:
    return notifications_for(user=user, unread=True).count()


def preferences_for(*, user: Any) -> list[tuple[Kind, str, bool]]:
    """Every kind a person can choose for: (kind, effective delivery, chosen by the person?)."""
    chosen = dict(NotificationPreference.objects.for_user(user, "view").values_list("kind", "delivery"))
    return [(kind, chosen.get(kind.code, kind.default_delivery), kind.code in chosen) for kind in personal_kinds()]
