from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    """The Django admin as the staff console: 2FA site, queue dashboard, moderation actions, staff roles."""

    name = "apps.console"
    label = "console"
    verbose_name = _("Staff console")

    def ready(self) -> None:
        from django.contrib import admin
        from django.db.models.signals import post_migrate

        from apps.console import extensions, moderation, queues, roles, sites  # noqa: F401 (moderation registers)

        # Runs after the admin's own ready() (it comes first in INSTALLED_APPS), i.e. after every app's
        # admin.py has registered its models on the default site, which is already a ConsoleAdminSite.
        extensions.install_extensions(admin.site)
        extensions.select_related_list_columns(admin.site)
        queues.register_builtin_queues()
        # Models that land in later migrations get their permissions added to the staff roles.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="console.sync_staff_roles")

