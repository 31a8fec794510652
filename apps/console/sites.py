"""The staff console is the default admin site, made two-factor and given a dashboard of queues."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from apps.console import panels, queues


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

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        context = {"queues": queues.queues_for(request, self), "dashboard_panels": panels.templates(),
                   **(extra_context or {})}
        return super().index(request, context)
