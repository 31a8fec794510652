"""The staff console is the default admin site, made two-factor and given a dashboard of queues."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from apps.console import panels, queues
from apps.console.auditing import THIRD_PARTY_APPS, audited


class ConsoleAuthenticationForm(OTPAdminAuthenticationForm):
    """Password and code on one page. django-otp asks staff to pick a device first; with a single device
    (the normal case: one authenticator app) there is nothing to pick, so that device is the one verified.
    With several devices the choice stays explicit, so a wrong code never throttles an unrelated device."""

    otp_token = forms.CharField(
        label=_("Authenticator code"), required=False,
        help_text=_("The 6-digit code your authenticator app shows for GPC."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 8}),
    )

    def _chosen_device(self, user: Any) -> Any:
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device

    def device_choice_needed(self) -> bool:
        return len(getattr(self.fields["otp_device"].widget, "choices", [])) > 2




class ConsoleAdminSite(OTPAdminSite):
    """Staff must pass password *and* a TOTP code; unverified sessions are treated as not staff at all."""

    site_header = _("GPC staff console")
    site_title = _("GPC staff console")
    index_title = _("Dashboard")
    index_template = "admin/console/index.html"
    login_template = "admin/console/login.html"
    login_form = ConsoleAuthenticationForm
    # The left-hand model list takes a quarter of a 1366-pixel screen from every list page, where the columns
    # need it; the dashboard and the breadcrumbs lead everywhere the sidebar did.
    enable_nav_sidebar = False

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """Every ModelAdmin registered here records its adds, changes and deletes (apps.console.auditing)."""
        super().register(model_or_iterable, audited(admin_class or admin.ModelAdmin), **options)

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        """A POST (every write the console makes) runs in one transaction: the act and its audit event commit
        together, or neither does."""
        guarded = super().admin_view(view, cacheable)

        @wraps(guarded)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method == "POST":
                with transaction.atomic():
                    return guarded(request, *args, **kwargs)
            return guarded(request, *args, **kwargs)

        return inner

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:
            return app_list
        ours = [app for app in app_list if app["app_label"] not in THIRD_PARTY_APPS]
        theirs = [app for app in app_list if app["app_label"] in THIRD_PARTY_APPS]
        if not theirs or not request.user.is_superuser:
            return ours
        models = [{**model, "name": f"{model['name']} ({app['name']})"} for app in theirs for model in app["models"]]
        return [*ours, {"name": _("System (third-party)"), "app_label": "system", "app_url": "",
                        "has_module_perms": True, "models": models}]

    def get_urls(self) -> list:
        from django.urls import path

        from apps.console import clearances

        worklist = self.admin_view(lambda request: clearances.worklist_view(request, self))
        # Issue 18: documents whose scan and declaration disagree (apps/console/scans.py).
        from apps.console import scans

        scan_worklist = self.admin_view(lambda request: scans.worklist_view(request, self))
        return [path("console/export-clearances/", worklist, name="console_export_clearances"),
                path("console/scan-disagreements/", scan_worklist, name="console_scan_disagreements"),
                *super().get_urls()]

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        context = {"queues": queues.queues_for(request, self), "dashboard_panels": panels.templates(),
                   **(extra_context or {})}
        return super().index(request, context)
