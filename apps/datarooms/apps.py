from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataroomsConfig(AppConfig):
    name = "apps.datarooms"
    verbose_name = _("Data rooms")
