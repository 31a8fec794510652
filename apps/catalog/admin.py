"""The moderation console for listings: staff publish or send back with a reason, via the services (so the
owner is notified and the act audited exactly as through the API)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from guardian.admin import GuardedModelAdmin

from apps.catalog import services
from apps.catalog.models import Asset, ExpressionOfInterest, InterestProfile, Patent, RegulatoryEvent, WatchlistEntry
from apps.console.actions import reason_action
from apps.console.admins import calls


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
    # The console's reason pages (apps/console/actions.py): the selection (at most 200 shown), a working Cancel,
    # refusals as warnings next to each listing, pluralised results in both languages.
    actions = [
        reason_action(
            name="publish_assets", description=_("Publish the selected listings"),
            perform=calls(services.asset_publish, "asset", reason="note"),
            reason_required=False, button=_("Publish"), intro=_("Publish these listings?"),
            done_message=ngettext_lazy("%(count)d listing published.", "%(count)d listings published.", "count"),
        ),
        reason_action(
            name="request_changes", description=_("Request changes on the selected listings"),
            perform=calls(services.asset_request_changes, "asset"),
            button=_("Request changes"), intro=_("What must the owner change?"),
            done_message=ngettext_lazy("%(count)d listing sent back for changes.",
                                       "%(count)d listings sent back for changes.", "count"),
        ),
        reason_action(
            name="archive_assets", description=_("Archive the selected listings"),
            perform=calls(services.asset_archive, "asset"),
            button=_("Archive"), intro=_("Archive these listings?"),
            done_message=ngettext_lazy("%(count)d listing archived.", "%(count)d listings archived.", "count"),
        ),
    ]


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
