"""What the apps' admin pages share in the console: who may add, change or delete there, and how a moderation
action calls its service.

Each app's admin.py declares only what differs (its columns, its actions' words, its service); the reason page,
the audit record and the notification stay in apps/console/actions.py and the services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class NoAddOrDelete:
    """Rows are created and removed by the companies concerned, through the API; staff moderate or look at them.
    Mix in before the ModelAdmin or InlineModelAdmin class."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnly(NoAddOrDelete):
    """Staff look, nobody edits here (changes go through the parties' audited services). Viewing follows the staff
    role's model permissions (ModelAdmin's default): fail closed."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


def calls(service: Callable[..., Any], target: str, *, reason: str = "reason") -> Callable[[Any, Any, str], Any]:
    """The `perform` of a reason_action: `service(actor=…, <target>=the object, <reason>=the reason typed)`."""

    def perform(actor: Any, obj: Any, text: str) -> Any:
        return service(actor=actor, **{target: obj, reason: text})

    return perform
