from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "apps.financing"
    verbose_name = _("Financing")

    def ready(self) -> None:
        # Investors in a round's diligence may ask for the funded assets' data rooms (apps.datarooms).
        from apps.financing import diligence  # noqa: F401
