"""Audit action codes the staff console emits, each with its label.

A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

TOTP_ENROLLED = action("console.totp_enrolled", _("Authenticator app enrolled"))
OBJECT_ADDED = action("console.object_added", _("Added in the staff console"))
OBJECT_CHANGED = action("console.object_changed", _("Changed in the staff console"))
OBJECT_DELETED = action("console.object_deleted", _("Deleted in the staff console"))
