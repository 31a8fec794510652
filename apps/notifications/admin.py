"""Staff look at deliveries here: read-mostly. Failed outbox events are one filter away and can be retried."""

from functools import partial
from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.audit.services import audit_record
from apps.console.admins import ReadOnlyAdmin
from apps.notifications.audit_actions import DELIVERY_RETRIED
from apps.notifications.models import DirectEmail, EventStatus, Notification, NotificationPreference, OutboxEvent


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "attempts", "target_repr", "actor", "created_at", "delivered_at",
                    "short_error"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["kind", "target_repr", "last_error", "actor__email"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"
    readonly_fields = ["kind", "status", "attempts", "last_error", "target_type", "target_id", "target_repr", "actor",
                       "language", "context", "recipient_count", "emails", "created_at", "updated_at", "delivered_at"]
    exclude = ["recipient_ids"]  # thousands of ids: the count is what staff need
    actions = ["retry_delivery"]

    @admin.display(description=_("last error"))
    def short_error(self, obj: OutboxEvent) -> str:
        return (obj.last_error or "")[:80]

    @admin.display(description=_("recipients"))
    def recipient_count(self, obj: OutboxEvent) -> int:
        return obj.recipient_count

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The change view is the read view; every field is read-only. Actions need it too.
        return request.user.is_staff

    @admin.action(description=_("Retry delivery of the selected events"))
    def retry_delivery(self, request: HttpRequest, queryset: QuerySet) -> None:
        from apps.notifications.tasks import enqueue_delivery

        # A staff member re-sending what the platform tells people is an act on the record, like every console
        # write: one audit event per event put back, in the same transaction as the status change.
        with transaction.atomic():
            events = list(queryset.exclude(status=EventStatus.DONE).select_for_update(of=("self",)))
            OutboxEvent.objects.filter(pk__in=[event.pk for event in events]).update(status=EventStatus.PENDING)
            for event in events:
                audit_record(action=DELIVERY_RETRIED, actor=request.user, target=event,
                             details={"kind": event.kind, "previous_status": event.status,
                                      "attempts": event.attempts})
                # Only once the status change is committed may a worker pick the event up; if the broker is down,
                # the sweeper re-sends every pending event anyway.
                transaction.on_commit(partial(enqueue_delivery, event.pk))
        enqueued = len(events)
        self.message_user(request, ngettext("%(count)d event enqueued again.", "%(count)d events enqueued again.",
                                            enqueued) % {"count": enqueued}, messages.SUCCESS)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "recipient", "kind", "title", "language", "email_status", "created_at", "read_at"]
    list_filter = ["kind", "email_status", "language", "created_at"]
    search_fields = ["recipient__email", "title", "kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["event", "recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notification._meta.fields]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "delivery", "updated_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__email", "kind"]
    list_select_related = ["user"]


@admin.register(DirectEmail)
class DirectEmailAdmin(ReadOnlyAdmin):
    list_display = ["id", "address", "event", "language", "status", "sent_at"]
    list_filter = ["status", "language"]
    search_fields = ["address"]
    list_select_related = ["event"]
