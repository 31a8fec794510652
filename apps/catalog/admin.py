"""The moderation console for listings: staff publish or send back with a reason, via the services (so the
owner is notified and the act audited exactly as through the API)."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from apps.catalog import services
from apps.catalog.models import Asset, ExpressionOfInterest, InterestProfile, Patent, RegulatoryEvent, WatchlistEntry
from apps.core.errors import DomainError


class RegulatoryEventInline(admin.TabularInline):
    model = RegulatoryEvent
    extra = 0
    fields = readonly_fields = ("agency", "event_type", "designation", "date", "indication")
    can_delete = False
    show_change_link = True


class PatentInline(admin.TabularInline):
    model = Patent
    extra = 0
    fields = readonly_fields = ("family", "jurisdiction", "number", "expiry")
    can_delete = False


@admin.register(Asset)
class AssetAdmin(GuardedModelAdmin):
    list_display = ["code_name", "owner_company", "modality", "stage", "status", "submitted_at", "published_at"]
    list_filter = ["status", "modality", "stage", "resubmission"]
    search_fields = ["code_name", "inn", "name_en", "name_zh", "owner_company__name_en", "owner_company__name_zh"]
    list_select_related = ["owner_company"]
    date_hierarchy = "created_at"
    ordering = ["-submitted_at", "-created_at"]
    raw_id_fields = ["owner_company", "created_by"]
    # Status changes go through the moderation actions only: they notify and audit.
    readonly_fields = ["public_id", "status", "status_reason", "submitted_at", "published_at", "resubmission",
                       "stage_rank", "created_at", "updated_at", "created_by"]
    inlines = [RegulatoryEventInline, PatentInline]
    actions = ["publish_assets", "request_changes", "archive_assets"]

    def _with_reason(self, request: HttpRequest, queryset: QuerySet[Asset], *, action: str, prompt: Any,
                     submit_label: Any, reason_required: bool, apply: Any) -> TemplateResponse | None:
        if "apply" not in request.POST:
            return TemplateResponse(request, "admin/catalog/asset/moderation_reason.html", {
                **self.admin_site.each_context(request), "title": prompt, "prompt": prompt, "assets": queryset,
                "action": action, "submit_label": submit_label, "reason_required": reason_required,
                "opts": self.model._meta,
            })
        reason = request.POST.get("reason", "").strip()
        if reason_required and not reason:
            self.message_user(request, _("A reason is required."), messages.ERROR)
            return None
        done = 0
        for asset in queryset:
            try:
                apply(asset, reason)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{asset}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(count)d listings updated.") % {"count": done}, messages.SUCCESS)
        return None

    @admin.action(description=_("Publish the selected listings"))
    def publish_assets(self, request: HttpRequest, queryset: QuerySet[Asset]) -> TemplateResponse | None:
        return self._with_reason(
            request, queryset, action="publish_assets", prompt=_("Publish these listings?"),
            submit_label=_("Publish"), reason_required=False,
            apply=lambda asset, reason: services.asset_publish(actor=request.user, asset=asset, note=reason))

    @admin.action(description=_("Request changes on the selected listings"))
    def request_changes(self, request: HttpRequest, queryset: QuerySet[Asset]) -> TemplateResponse | None:
        return self._with_reason(
            request, queryset, action="request_changes", prompt=_("What must the owner change?"),
            submit_label=_("Request changes"), reason_required=True,
            apply=lambda asset, reason: services.asset_request_changes(actor=request.user, asset=asset,
                                                                       reason=reason))

    @admin.action(description=_("Archive the selected listings"))
    def archive_assets(self, request: HttpRequest, queryset: QuerySet[Asset]) -> TemplateResponse | None:
        return self._with_reason(
            request, queryset, action="archive_assets", prompt=_("Archive these listings?"),
            submit_label=_("Archive"), reason_required=True,
            apply=lambda asset, reason: services.asset_archive(actor=request.user, asset=asset, reason=reason))


@admin.register(RegulatoryEvent)
class RegulatoryEventAdmin(admin.ModelAdmin):
    list_display = ["asset", "agency", "event_type", "designation", "date"]
    list_filter = ["agency", "event_type", "designation"]
    search_fields = ["asset__code_name", "indication"]
    list_select_related = ["asset"]
    raw_id_fields = ["asset", "recorded_by"]


@admin.register(Patent)
class PatentAdmin(admin.ModelAdmin):
    list_display = ["asset", "family", "jurisdiction", "number", "expiry"]
    list_filter = ["jurisdiction"]
    search_fields = ["asset__code_name", "family", "number"]
    list_select_related = ["asset"]
    raw_id_fields = ["asset"]


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    list_display = ["asset", "company", "created_by", "created_at"]
    search_fields = ["asset__code_name", "company__name_en", "created_by__email"]
    list_select_related = ["asset", "company", "created_by"]
    raw_id_fields = ["asset", "company", "created_by"]


@admin.register(InterestProfile)
class InterestProfileAdmin(admin.ModelAdmin):
    list_display = ["company", "stage_min", "stage_max", "updated_at"]
    search_fields = ["company__name_en", "company__name_zh"]
    list_select_related = ["company"]
    raw_id_fields = ["company", "updated_by"]


@admin.register(WatchlistEntry)
class WatchlistEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "asset", "created_at"]
    search_fields = ["user__email", "asset__code_name"]
    list_select_related = ["user", "asset"]
    raw_id_fields = ["user", "asset"]
