from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "apps.alliance"
    verbose_name = _("Alliances")

    def ready(self) -> None:
        from apps.alliance import receivers

        receivers.connect()
