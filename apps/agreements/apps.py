from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "apps.agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from apps.agreements import receivers

        receivers.connect()
