from django.contrib import admin
from django.http import HttpRequest

from apps.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only for everybody, superusers included: the trail is evidence."""

    list_display = ["created_at", "action", "actor", "actor_company", "target_repr", "ip_address"]
    list_filter = ["action", "created_at"]
    search_fields = ["action", "target_repr", "actor__email", "actor_company__name_en", "target_id"]
    list_select_related = ["actor", "actor_company"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
