from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from apps.audit import registry

        # Every app's audit_actions module: the registry is complete once Django has started.
        registry.autodiscover()
