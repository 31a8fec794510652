from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "apps.providers"
    verbose_name = _("Service providers")

    def ready(self) -> None:
        from apps.providers import receivers

        receivers.connect()
