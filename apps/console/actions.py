"""Moderation actions that ask for a reason first (an intermediate page), then call the app's service.

The service does the work, the audit record and the notification; the action only collects the reason,
loops over the selection and reports each refusal (a DomainError) next to the object it concerns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError

REASON_MAX_LENGTH = 2000


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("Recorded in the audit log and sent to the people concerned."),
    )

    def __init__(self, *args: Any, reason_required: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


def reason_action(
    *,
    name: str,
    description: Any,
    perform: Callable[[Any, Any, str], Any],
    done_message: Any,
    reason_required: bool = True,
    permissions: Iterable[str] = ("change",),
    button: str | Promise | None = None,
    intro: str | Promise = "",
) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet], TemplateResponse | None]:
    """An admin action `name` that shows a reason form for the selection, then `perform(actor, obj, reason)`.

    `done_message` is an `ngettext_lazy(singular, plural, "count")` string.
    """

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        applying = "apply" in request.POST
        form = ReasonForm(request.POST if applying else None, reason_required=reason_required)
        if applying and form.is_valid():
            reason = form.cleaned_data["reason"]
            done = 0
            for obj in queryset:
                try:
                    perform(request.user, obj, reason)
                except DomainError as exc:
                    modeladmin.message_user(request, f"{obj}: {exc.message}", messages.WARNING)
                else:
                    done += 1
            # Nothing changed is never a success: a warning only (the refusals above say why, one per object).
            if done:
                modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
            else:
                modeladmin.message_user(request, _("Nothing was changed."), messages.WARNING)
            return None
        opts = modeladmin.model._meta
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": description,
            "intro": intro,
            "button": button or description,
            "objects": list(queryset[:200]),
            "total": queryset.count(),
            "form": form,
            "action_name": name,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "opts": opts,
            "app_label": opts.app_label,
            "media": modeladmin.media,
        }
        request.current_app = modeladmin.admin_site.name
        return TemplateResponse(request, "admin/console/reason_action.html", context)

    action.__name__ = name
    return admin.action(description=description, permissions=list(permissions))(action)
