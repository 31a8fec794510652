from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from apps.audit import registry

        # Every app's audit_actions module: the registry is complete once Django has started.
        registry.autodiscover()

        from apps.audit.services import audit_denied_access
        from apps.core.signals import api_access_refused

        # Core sends, audit listens: core/api/errors.py never imports the audit app (no import cycle).
        api_access_refused.connect(audit_denied_access, dispatch_uid="audit.api_access_refused")
