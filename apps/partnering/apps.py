from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartneringConfig(AppConfig):
    name = "apps.partnering"
    verbose_name = _("Partnering")

    def ready(self) -> None:
        from apps.partnering import contexts  # noqa: F401  (registers the built-in meeting contexts)
