"""Staff pages for data rooms. Compliance officers alone record export clearances; everything else is
read-only here (partners' grants are run by the licensors through the API, revocation included)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from apps.console.actions import reason_action
from apps.console.admins import ReadOnlyAdmin, calls
from apps.console.roles import is_compliance_officer
from apps.datarooms import services
from apps.datarooms.models import (
    AccessGrant,
    AccessRequest,
    DataRoom,
    Document,
    DocumentAccess,
    ExportClearance,
    Question,
)


@admin.register(ExportClearance)
class ExportClearanceAdmin(admin.ModelAdmin):
    """Clearances for mainland-China data rooms to reach a foreign company (HGR, PIPL art. 38, DSL)."""

    list_display = ["room", "company", "clearance_type", "reference", "valid_until", "recorded_by", "created_at"]
    list_filter = ["clearance_type", "valid_until"]
    search_fields = ["reference", "company__name_en", "room__name"]
    raw_id_fields = ["room", "company"]
    readonly_fields = ["recorded_by", "created_at"]

    def _officer(self, request: HttpRequest) -> bool:
        return is_compliance_officer(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._officer(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._officer(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._officer(request)

    def save_model(self, request: HttpRequest, obj: ExportClearance, form: Any, change: bool) -> None:
        obj.recorded_by = request.user  # type: ignore[assignment]  # staff only reach the admin
        super().save_model(request, obj, form, change)
        services.clearance_recorded(actor=request.user, clearance=obj)


@admin.register(DataRoom)
class DataRoomAdmin(ReadOnlyAdmin):
    list_display = ["name", "asset", "owner_company", "current_cda", "created_at"]
    search_fields = ["name", "asset__code_name", "owner_company__name_en"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["name", "room", "folder", "is_hgr", "has_personal_information", "is_important_data",
                    "is_clinical", "created_at"]
    list_filter = ["is_hgr", "has_personal_information", "is_important_data", "is_clinical"]
    search_fields = ["name", "room__name"]


class GrantStateFilter(admin.SimpleListFilter):
    """Active, revoked or expired: what a grant means today (the partner's access on its next request)."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("active", _("Active")), ("revoked", _("Revoked")), ("expired", _("Expired"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        return queryset


class AnsweredFilter(admin.SimpleListFilter):
    title = _("answered")
    parameter_name = "answered"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("Waiting for an answer")), ("yes", _("Answered"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(answered_at__isnull=self.value() == "no")
        return queryset


_ROOM_AND_COMPANY_SEARCH = ["room__name", "company__name_en", "company__name_zh"]


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ["room", "company", "requested_by", "status", "created_at", "decided_at"]
    list_filter = ["status", "created_at"]
    search_fields = [*_ROOM_AND_COMPANY_SEARCH, "requested_by__email"]
    list_select_related = ["room", "company", "requested_by"]


@admin.register(AccessGrant)
class AccessGrantAdmin(ReadOnlyAdmin):
    list_display = ["room", "company", "user", "level", "scope", "expires_at", "revoked_at"]
    list_filter = [GrantStateFilter, "level", "scope"]
    search_fields = [*_ROOM_AND_COMPANY_SEARCH, "user__email"]
    list_select_related = ["room", "company", "user"]
    actions = [
        reason_action(
            name="revoke_grants",
            description=_("Revoke the selected grants"),
            perform=calls(services.grant_revoke_by_staff, "grant"),
            done_message=ngettext_lazy("%(count)d grant revoked.", "%(count)d grants revoked.", "count"),
            permissions=("revoke",),
            intro=_("The partner loses access on its very next request. The partner and the room's owner are told."),
        ),
    ]

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("datarooms.change_accessgrant"))


@admin.register(DocumentAccess)
class DocumentAccessAdmin(ReadOnlyAdmin):
    list_display = ["download_id", "document", "user", "company", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["download_id", "user__email"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["room", "company", "asked_by", "is_faq", "created_at", "answered_at"]
    list_filter = [AnsweredFilter, "is_faq"]
    search_fields = [*_ROOM_AND_COMPANY_SEARCH, "asked_by__email", "text"]
    list_select_related = ["room", "company", "asked_by"]
