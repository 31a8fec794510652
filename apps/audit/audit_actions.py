"""Audit action codes of the foundation (sign-in, people, companies, memberships) and of the trail itself.

The foundation's codes stay an `AuditAction` TextChoices (its callers use `AuditAction.COMPANY_VERIFIED`); they
are registered here with the labels the choices carry.
"""

from django.utils.translation import gettext_lazy as _

from apps.audit.models import AuditAction
from apps.audit.registry import action

for _code, _label in AuditAction.choices:
    action(_code, _label)

# The export is itself a sensitive act: the trail records who took a copy of it, with which filters.
AUDIT_LOG_EXPORTED = action("audit.log_exported", _("Audit log exported"))
