from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelligenceConfig(AppConfig):
    name = "apps.intelligence"
    verbose_name = _("Deal intelligence")

    def ready(self) -> None:
        # The console dashboard shows our charts through its panel hook (apps/console/panels.py), if it has one.
        try:
            from apps.console import panels
        except ImportError:  # pragma: no cover - the console without the hook
            return
        panels.register("intelligence/dashboard_panel.html", order=50)
