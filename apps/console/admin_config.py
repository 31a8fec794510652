from django.contrib.admin.apps import AdminConfig


class ConsoleAdminConfig(AdminConfig):
    """Replaces "django.contrib.admin" in INSTALLED_APPS (Django's documented way to swap the default site):
    `admin.site`, on which every app's admin.py registers, is a ConsoleAdminSite from the start."""

    default_site = "apps.console.sites.ConsoleAdminSite"
