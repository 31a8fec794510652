"""The console's rules on other apps' admin pages (see extensions.py).

Listings are moderated by the catalog's own admin (publish / request changes / archive with a reason, through
its services); the console only adds their queue to the dashboard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.console.extensions import extend

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin as _AdminBase
else:
    _AdminBase = object

# --- data rooms: export clearances ---------------------------------------------------------------------


@extend("datarooms.ExportClearance")
class ExportClearanceRules(_AdminBase):
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


# --- catalog: listings ---------------------------------------------------------------------------------


@extend("catalog.Asset")
class AssetModerationRules(_AdminBase):
    """Publishing, sending back and archiving listings (the catalog's actions) are the moderators' work:
    staff who may only view assets, compliance officers among them, get the list without the actions."""

    def get_actions(self, request: Any) -> dict:
        actions = super().get_actions(request)
        return actions if self.has_change_permission(request) else {}
