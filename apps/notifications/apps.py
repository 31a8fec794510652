from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Every app's kinds (apps/<app>/notifications.py) are registered before the first notify().
        from apps.notifications.kinds import autodiscover

        autodiscover()
