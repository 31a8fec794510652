"""The staff console is the default admin site, made two-factor and given a dashboard of queues."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from apps.console import queues


class ConsoleAdminSite(OTPAdminSite):
    """Staff must pass password *and* a TOTP code; unverified sessions are treated as not staff at all."""

    site_header = _("GPC staff console")
    site_title = _("GPC staff console")
    index_title = _("Dashboard")
    index_template = "admin/console/index.html"

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        context = {"queues": queues.queues_for(request, self), **(extra_context or {})}
        return super().index(request, context)


def install_console_site() -> None:
    """Make the default admin site (the one every app's admin.py registered on) a ConsoleAdminSite.

    Django's documented route is a custom AdminConfig with `default_site` replacing "django.contrib.admin" in
    INSTALLED_APPS; the console changes the class of the live default instance instead, so the settings keep
    a single added line and every `@admin.register` elsewhere keeps working. The instance's state (registry,
    name "admin") is untouched; ConsoleAdminSite only adds behaviour.
    """
    site: Any = admin.site
    if getattr(site, "_wrapped", None) is empty:
        site._setup()
    instance = getattr(site, "_wrapped", site)
    if not isinstance(instance, ConsoleAdminSite):
        instance.__class__ = ConsoleAdminSite
