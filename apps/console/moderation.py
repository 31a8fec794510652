"""The console's moderation on other apps' models: actions with a reason, each calling that app's service."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from guardian.admin import GuardedModelAdmin

from apps.console.actions import reason_action
from apps.console.extensions import extend

# --- catalog: assets ---------------------------------------------------------------------------------


def _asset_publish(actor: Any, asset: Any, reason: str) -> Any:
    from apps.catalog.services import asset_publish

    return asset_publish(actor=actor, asset=asset, note=reason)


def _asset_request_changes(actor: Any, asset: Any, reason: str) -> Any:
    from apps.catalog.services import asset_request_changes

    return asset_request_changes(actor=actor, asset=asset, reason=reason)


class AssetConsoleAdmin(GuardedModelAdmin):
    """Stands in until the catalog ships its own admin: the moderation queue's list, object permissions."""

    list_display = ["code_name", "name_en", "owner_company", "modality", "stage", "status", "submitted_at",
                    "published_at"]
    list_filter = ["status", "modality", "stage", "resubmission", "owner_company__country", "submitted_at"]
    search_fields = ["code_name", "inn", "name_en", "name_zh", "owner_company__name_en", "owner_company__name_zh"]
    list_select_related = ["owner_company"]
    raw_id_fields = ["owner_company", "created_by"]
    readonly_fields = ["public_id", "status", "status_reason", "submitted_at", "published_at", "resubmission",
                       "created_at", "updated_at"]
    date_hierarchy = "created_at"


@extend("catalog.Asset", fallback=AssetConsoleAdmin)
class AssetModeration:
    console_actions = [
        reason_action(
            name="publish_assets", description=_("Publish the selected listings"), perform=_asset_publish,
            reason_required=False, button=_("Publish"),
            intro=_("Only submitted listings of verified companies are published; the owner reads the note."),
            done_message=ngettext_lazy("%(count)d listing published.", "%(count)d listings published.", "count"),
        ),
        reason_action(
            name="request_asset_changes", description=_("Request changes to the selected listings"),
            perform=_asset_request_changes, button=_("Request changes"),
            intro=_("The listing goes back to its owner with your reason."),
            done_message=ngettext_lazy("%(count)d listing sent back for changes.",
                                       "%(count)d listings sent back for changes.", "count"),
        ),
    ]


# --- data rooms: export clearances ---------------------------------------------------------------------


@extend("datarooms.ExportClearance")
class ExportClearanceRules:
    """Recording a clearance takes the compliance-officer role *and* the model permission the role carries:
    a moderator handed the permission by mistake still cannot, nor can a compliance officer without it."""

    def has_add_permission(self, request: Any) -> bool:
        return super().has_add_permission(request) and request.user.has_perm("datarooms.add_exportclearance")

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return (super().has_change_permission(request, obj)
                and request.user.has_perm("datarooms.change_exportclearance"))

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return (super().has_delete_permission(request, obj)
                and request.user.has_perm("datarooms.delete_exportclearance"))
