"""Audit action codes the notifications app emits, each with its label.

A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

DELIVERY_RETRIED = action("notifications.delivery_retried", _("Notification delivery retried"))
