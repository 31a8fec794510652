"""Audit action codes of the trail itself, each with its label.
A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

# Every refused API call (403 or 404): core's exception handler sends api_access_refused, audit records it.
ACCESS_DENIED = action("access.denied", _("Access denied"))
# The export is itself a sensitive act: the trail records who took a copy of it, with which filters.
AUDIT_LOG_EXPORTED = action("audit.log_exported", _("Audit log exported"))
